"""A believable few weeks of posts for the demo workspace, through the real engine.

The sandbox stands in for the plan's Facebook page, which the plan posts to twice a week
(Tuesday and Thursday at 19:00), so the posts sit on those slots and the frequency meter reads
"2 of 2" for this week and the next. Each post has a kind of content, so the mix meter has
something to show.

No delivery's state is written by hand: the published posts were sent by the engine to the
sandbox while the demo was created, and then dated back to the plan slot they stand for
(``delivery_date_back_for_demo``), the one write the engine cannot do; the failed one was
refused by the sandbox with a plain reason, shown on its status page; the rest are scheduled,
one of them a few minutes ahead so a running worker can be watched sending it (it is one of
this week's two).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from varde.content.choices import ApprovalState, MixCategory
from varde.content.services import post_create, post_set_mix_category
from varde.publishing import engine
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.publishing.services import delivery_date_back_for_demo, delivery_schedule
from varde.sandbox.choices import FaultKind
from varde.sandbox.selectors import sandbox_accounts_of
from varde.sandbox.services import sandbox_channel_create, sandbox_fault_add, sandbox_faults_clear

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post
    from varde.publishing.models import Delivery

DEMO_CHANNEL_LABEL = "Sandkasse"
DEMO_WORKER = "demo-seed"


@dataclass(frozen=True)
class DemoPost:
    author: str  # key in the demo team (``varde/demo/team.py``)
    text: str
    kind: str = MixCategory.ENGAGEMENT


# Sent while the demo is created, oldest first.
PUBLISHED = (
    DemoPost(
        "silje",
        "Ny uke, nye turer! Vi har fått inn tre nye elsykler til utleie – perfekt for bakkene "
        "opp mot Fløyen. Book på nett eller stikk innom oss på Bryggen.",
        MixCategory.PROMOTIONAL,
    ),
    DemoPost(
        "jonas",
        "Verkstedtips: sjekk dekktrykket før helgeturen. Riktig trykk gir færre punkteringer og "
        "lettere tråkk – vi sjekker det gratis hvis du kommer innom.",
    ),
    DemoPost(
        "silje",
        "Takk til alle som ble med på kveldsturen rundt Store Lungegårdsvann i går! Neste tur er "
        "torsdag kl. 18, og alle er velkomne.",
    ),
)
# Refused by the sandbox, so the failure is real and shows its reason.
FAILED = DemoPost(
    "silje",
    "Siste sjanse: 20 % på alle sykkelhjelmer ut uka! Hele utvalget finner du i nettbutikken.",
    MixCategory.PROMOTIONAL,
)
FAILED_REASON = (
    "Innlegget ble avvist: kontoen tillater ikke lenker til kampanjesider. Fjern lenken eller "
    "skriv om teksten, og prøv igjen."
)
SOON = DemoPost(
    "jonas",
    "Regnvær i Bergen? Selvsagt. Vi har regntøy for syklister på lager – innom butikken i dag.",
    MixCategory.PROMOTIONAL,
)
# On the plan's next slots after this week's own: engagement and a curated tip.
LATER = (
    DemoPost(
        "silje",
        "Hvordan velger du riktig sykkelstørrelse? Vi forklarer det på to minutter i en ny "
        "video på nettsiden vår.",
    ),
    DemoPost(
        "silje",
        "Guidet sykkeltur langs Nordnes søndag kl. 11. Meld deg på i butikken eller på nett – "
        "det er begrenset med plasser.",
    ),
    DemoPost(
        "jonas",
        "Bergen kommune har samlet de nye sykkelveiene fra i år i ett kart – verdt en titt før "
        "helgeturen. Takk til Syklistforeningen for tipset!",
        MixCategory.CURATED,
    ),
)
# The demo plan's Facebook slots (weekday, local time), which the sandbox stands in for.
PLAN_SLOTS = ((1, time(19, 0)), (3, time(19, 0)))
SOON_MINUTES = 10


def demo_posts_seed(*, workspace: Workspace, actor: User | None, users: Mapping[str, User]) -> None:
    """Give the demo a sandbox channel and a week of posts. Idempotent: a workspace that has
    deliveries already is left alone; a sandbox channel made earlier (by another seeder) is
    used rather than a second one made."""
    if publishing_selectors.deliveries_in(workspace=workspace).exists():
        return
    existing = sorted(sandbox_accounts_of(workspace=workspace).values(), key=lambda c: c.pk)
    channel = (
        existing[0]
        if existing
        else sandbox_channel_create(
            workspace=workspace,
            label=DEMO_CHANNEL_LABEL,
            actor=actor,
            # The demo plan's Facebook page: its slots and meters show on the sandbox.
            stands_in_for="facebook",
        )
    )
    account = str(channel.config["account"])

    def author(item: DemoPost) -> User | None:
        return users.get(item.author, actor)

    zone = ZoneInfo(workspace.timezone)
    now = timezone.now()
    past, this_week, coming = _slots(now, zone)
    # Oldest first: three published in earlier weeks, then the failed one on the last slot.
    for item, at in zip(PUBLISHED, past[-4:-1], strict=True):
        _send_now(workspace, channel, item, author(item), at=at)
    sandbox_fault_add(kind=FaultKind.REJECTED, account=account, remaining=1, message=FAILED_REASON)
    _send_now(workspace, channel, FAILED, author(FAILED), at=past[-1])
    sandbox_faults_clear(account=account)

    # This week: the post a few minutes ahead (to watch it go out), and one on a plan slot.
    soon = _approved(workspace, SOON, author(SOON))
    delivery_schedule(
        post=soon, channel=channel, at=now + timedelta(minutes=SOON_MINUTES), actor=author(SOON)
    )
    first, *later = LATER
    if this_week[0] < now:
        _send_now(workspace, channel, first, author(first), at=this_week[0])
    else:
        post = _approved(workspace, first, author(first))
        delivery_schedule(post=post, channel=channel, at=this_week[0], actor=author(first))
    for item, at in zip(later, coming, strict=False):
        post = _approved(workspace, item, author(item))
        delivery_schedule(post=post, channel=channel, at=at, actor=author(item))


def _slots(now: datetime, zone: ZoneInfo) -> tuple[list[datetime], list[datetime], list[datetime]]:
    """The plan's slots (UTC): before this week, this week's latest past one or its first
    (one only: the post a few minutes ahead is the week's other), and next week's."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    slots = [
        datetime.combine(monday + timedelta(weeks=week, days=day), at, tzinfo=zone)
        for week in range(-3, 2)
        for day, at in PLAN_SLOTS
    ]
    utc = [slot.astimezone(UTC) for slot in slots]
    week_start = datetime.combine(monday, time(0), tzinfo=zone)
    next_week = week_start + timedelta(weeks=1)
    past = [s for s in utc if s < week_start]
    mine = [s for s in utc if week_start <= s < next_week]
    gone = [s for s in mine if s < now]
    return past, [gone[-1]] if gone else mine[:1], [s for s in utc if s >= next_week]


def _approved(workspace: Workspace, item: DemoPost, author: User | None) -> Post:
    post = post_create(
        workspace=workspace, author=author, text=item.text, approval_state=ApprovalState.APPROVED
    )
    return post_set_mix_category(post=post, mix_category=item.kind)


def _send_now(
    workspace: Workspace,
    channel: ConnectedAccount,
    item: DemoPost,
    author: User | None,
    *,
    at: datetime,
) -> Delivery:
    """Schedule for now and let the engine send it, as a worker would; then date it back to
    the plan slot ``at`` it stands for."""
    post = _approved(workspace, item, author)
    delivery = delivery_schedule(post=post, channel=channel, at=timezone.now(), actor=author)
    # The engine takes the earliest due delivery of any workspace; a few turns reach this one.
    for _turn in range(100):
        delivery.refresh_from_db()
        if delivery.state not in {DeliveryState.SCHEDULED, DeliveryState.PUBLISHING}:
            break
        if not engine.publish_one(worker=DEMO_WORKER):
            break
    return delivery_date_back_for_demo(delivery=delivery, at=at)
