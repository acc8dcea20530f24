"""A believable week of posts for the demo workspace, through the real engine.

Nothing here writes a delivery's state by hand. The posts that show as published were sent by
the engine to the sandbox network while the demo was created (so their time is the moment the
demo was made); the failed one was refused by the sandbox with a plain reason; the rest are
scheduled, one of them a few minutes ahead so a running worker can be watched sending it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.publishing import engine
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services.scheduling import delivery_schedule, delivery_schedule_local
from varde.sandbox.choices import FaultKind
from varde.sandbox.selectors import sandbox_accounts_of
from varde.sandbox.services import sandbox_channel_create, sandbox_fault_add, sandbox_faults_clear

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post

DEMO_CHANNEL_LABEL = "Sandkasse"
DEMO_WORKER = "demo-seed"


@dataclass(frozen=True)
class DemoPost:
    author: str  # key in the demo team (see varde.demo.TEAM)
    text: str


# Sent while the demo is created, oldest first.
PUBLISHED = (
    DemoPost(
        "silje",
        "Ny uke, nye turer! Vi har fått inn tre nye elsykler til utleie – perfekt for bakkene "
        "opp mot Fløyen. Book på nett eller stikk innom oss på Bryggen.",
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
)
FAILED_REASON = (
    "Innlegget ble avvist: kontoen tillater ikke lenker til kampanjesider. Fjern lenken eller "
    "skriv om teksten, og prøv igjen."
)
SOON = DemoPost(
    "jonas",
    "Regnvær i Bergen? Selvsagt. Vi har regntøy for syklister på lager – innom butikken i dag.",
)
# (days from today, local time, post)
LATER = (
    (
        1,
        time(9, 0),
        DemoPost(
            "silje",
            "Hvordan velger du riktig sykkelstørrelse? Vi forklarer det på to minutter i en ny "
            "video på nettsiden vår.",
        ),
    ),
    (
        2,
        time(12, 0),
        DemoPost(
            "silje",
            "Guidet sykkeltur langs Nordnes søndag kl. 11. Meld deg på i butikken eller på nett – "
            "det er begrenset med plasser.",
        ),
    ),
    (
        4,
        time(18, 0),
        DemoPost(
            "jonas",
            "Sol i helgen! Lei en sykkel hos oss og se Bergen fra setet – fra Bryggen til "
            "Nordnesparken på et kvarter.",
        ),
    ),
)
SOON_MINUTES = 10


def publishing_seed_demo(
    *, workspace: Workspace, actor: User | None, users: dict[str, User]
) -> None:
    """Give the demo a sandbox channel and a week of posts. Idempotent: a workspace that has
    deliveries already is left alone; a sandbox channel made earlier (by another seeder) is
    used rather than a second one made."""
    if Delivery.objects.in_workspace(workspace).exists():
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

    for item in PUBLISHED:
        _send_now(workspace, channel, item, author(item))
    sandbox_fault_add(kind=FaultKind.REJECTED, account=account, remaining=1, message=FAILED_REASON)
    _send_now(workspace, channel, FAILED, author(FAILED))
    sandbox_faults_clear(account=account)

    soon = _approved(workspace, SOON, author(SOON))
    delivery_schedule(
        post=soon,
        channel=channel,
        at=timezone.now() + timedelta(minutes=SOON_MINUTES),
        actor=author(SOON),
    )
    today = timezone.now().astimezone(ZoneInfo(workspace.timezone)).date()
    for days, at, item in LATER:
        post = _approved(workspace, item, author(item))
        local = datetime.combine(today + timedelta(days=days), at)
        delivery_schedule_local(post=post, channel=channel, local=local, actor=author(item))


def _approved(workspace: Workspace, item: DemoPost, author: User | None) -> Post:
    return post_create(
        workspace=workspace, author=author, text=item.text, approval_state=ApprovalState.APPROVED
    )


def _send_now(
    workspace: Workspace, channel: ConnectedAccount, item: DemoPost, author: User | None
) -> Delivery:
    """Schedule for now and let the engine send it, as a worker would."""
    post = _approved(workspace, item, author)
    delivery = delivery_schedule(post=post, channel=channel, at=timezone.now(), actor=author)
    # The engine takes the earliest due delivery of any workspace; a few turns reach this one.
    for _turn in range(100):
        delivery.refresh_from_db()
        if delivery.state not in {DeliveryState.SCHEDULED, DeliveryState.PUBLISHING}:
            break
        if not engine.publish_one(worker=DEMO_WORKER):
            break
    return delivery
