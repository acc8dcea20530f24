"""Reading the calendar: posts at their times, the filters' choices, open slots from the plan.

One query fetches every delivery in view with its post, channel, author, campaign and pillar;
everything else (grouping by post and time, status words, colours) happens in Python, so the
number of queries does not grow with the number of posts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import pgettext_lazy

from varde.accounts import selectors as account_selectors
from varde.calendar.plan import (
    PlannedChannel,
    expected_times,
    open_times,
    planned_times,
)
from varde.channels import selectors as channel_selectors
from varde.content import selectors as content_selectors
from varde.content.choices import ApprovalState, MixCategory
from varde.lib.timeutil import utc_to_local
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.strategy.selectors import Pillar, pillars_for

if TYPE_CHECKING:
    from varde.accounts.models import Membership, Workspace
    from varde.calendar.periods import Period
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Campaign
    from varde.publishing.models import Delivery

PALETTE_SIZE = 8


class Status:
    """What a person reads on a post in the calendar, from its approval and its delivery."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    UNKNOWN = "unknown"

    LABELS: dict[str, object] = {
        DRAFT: pgettext_lazy("post status", "Draft"),
        IN_REVIEW: pgettext_lazy("post status", "In review"),
        CHANGES_REQUESTED: pgettext_lazy("post status", "Changes requested"),
        APPROVED: pgettext_lazy("post status", "Approved, not scheduled"),
        SCHEDULED: pgettext_lazy("post status", "Scheduled"),
        PUBLISHING: pgettext_lazy("post status", "Publishing"),
        PUBLISHED: pgettext_lazy("post status", "Published"),
        FAILED: pgettext_lazy("post status", "Failed"),
        UNKNOWN: pgettext_lazy("post status", "Checking with the network"),
    }
    # The status an entry with several channels shows: the one that most needs a person.
    URGENCY = (
        FAILED,
        UNKNOWN,
        CHANGES_REQUESTED,
        IN_REVIEW,
        DRAFT,
        APPROVED,
        PUBLISHING,
        SCHEDULED,
        PUBLISHED,
    )
    # Deliveries in these states have left (or are leaving) Varde: they cannot be moved.
    SENT = (PUBLISHING, PUBLISHED, UNKNOWN)


STATUS_CHOICES = [(value, Status.LABELS[value]) for value in Status.URGENCY]


def delivery_status(delivery_state: str, approval_state: str) -> str:
    if delivery_state == DeliveryState.DRAFT:
        return approval_state  # draft / in_review / changes_requested / approved
    return delivery_state


def status_filter(status: str) -> Q:
    """The deliveries whose calendar status is ``status``, as a database filter."""
    if status in ApprovalState.values:
        return Q(state=DeliveryState.DRAFT, post__approval_state=status)
    return Q(state=status)


@dataclass(frozen=True)
class Filters:
    channel: int | None = None
    campaign: int | None = None
    pillar: int | None = None
    author: int | None = None
    status: str | None = None

    @property
    def active(self) -> bool:
        return any(
            value is not None
            for value in (self.channel, self.campaign, self.pillar, self.author, self.status)
        )


@dataclass(frozen=True)
class EntryChannel:
    id: int
    label: str
    network: str
    status: str
    colour: int

    @property
    def status_label(self) -> object:
        return Status.LABELS[self.status]


@dataclass
class Entry:
    """One post at one time, on one or more channels."""

    post_id: int
    text: str
    local_at: dt.datetime
    author_id: int | None
    author_name: str
    campaign: str
    pillar: str
    pillar_colour: int | None
    mix_category: str
    link: str
    is_paid: bool
    channels: list[EntryChannel] = field(default_factory=list)
    can_move: bool = False  # set by the view: this person may move this post
    url: str = ""  # set by the view: where the post opens
    may_edit: bool = False  # set by the view: this person may unschedule or delete it

    @property
    def status(self) -> str:
        present = {channel.status for channel in self.channels}
        return next(status for status in Status.URGENCY if status in present)

    @property
    def status_label(self) -> object:
        return Status.LABELS[self.status]

    @property
    def mixed_status(self) -> bool:
        return len({channel.status for channel in self.channels}) > 1

    @property
    def movable(self) -> bool:
        """At least one channel has not gone out yet."""
        return any(channel.status not in Status.SENT for channel in self.channels)

    @property
    def has_scheduled(self) -> bool:
        return any(c.status in (Status.SCHEDULED, Status.FAILED) for c in self.channels)

    @property
    def channel_colour(self) -> int:
        return self.channels[0].colour if self.channels else 0

    @property
    def local_iso(self) -> str:
        return self.local_at.strftime("%Y-%m-%dT%H:%M")


def colour_of(ids: list[int]) -> dict[int, int]:
    """A stable colour index per id (channels or pillars in their usual order)."""
    return {pk: index % PALETTE_SIZE for index, pk in enumerate(ids)}


def calendar_channels(workspace: Workspace) -> list[ConnectedAccount]:
    return list(channel_selectors.channels_in(workspace=workspace).order_by("label", "id"))


def calendar_campaigns(workspace: Workspace) -> QuerySet[Campaign]:
    return content_selectors.campaigns_of(workspace=workspace)


def calendar_pillars(workspace: Workspace) -> list[Pillar]:
    return pillars_for(workspace)


def calendar_authors(workspace: Workspace) -> QuerySet[Membership]:
    return account_selectors.members_of(workspace=workspace)


# Only the columns the calendar shows: plain tuples, no model instances (thousands of rows).
ENTRY_FIELDS = (
    "post_id",
    "scheduled_at",
    "state",
    "channel_id",
    "channel__label",
    "channel__connector_key",
    "post__text",
    "post__approval_state",
    "post__author_id",
    "post__author__full_name",
    "post__author__email",
    "post__campaign__name",
    "post__pillar_id",
    "post__pillar__name",
    "post__mix_category",
    "post__link_url",
    "post__is_paid",
)


def _deliveries_in(
    *, workspace: Workspace, start: dt.datetime, end: dt.datetime, filters: Filters
) -> QuerySet[Delivery]:
    deliveries = (
        publishing_selectors.deliveries_in(workspace=workspace)
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(state=DeliveryState.CANCELLED)
        .order_by("scheduled_at", "post_id", "channel__label", "channel_id")
    )
    if filters.channel is not None:
        deliveries = deliveries.filter(channel_id=filters.channel)
    if filters.campaign is not None:
        deliveries = deliveries.filter(post__campaign_id=filters.campaign)
    if filters.pillar is not None:
        deliveries = deliveries.filter(post__pillar_id=filters.pillar)
    if filters.author is not None:
        deliveries = deliveries.filter(post__author_id=filters.author)
    if filters.status:
        deliveries = deliveries.filter(status_filter(filters.status))
    return deliveries


def calendar_entries(
    *,
    workspace: Workspace,
    start: dt.datetime,
    end: dt.datetime,
    filters: Filters,
    channel_colours: dict[int, int],
    pillar_colours: dict[int, int],
) -> list[Entry]:
    """Posts with a planned or scheduled time in [start, end), grouped by post and time."""
    zone = ZoneInfo(workspace.timezone)
    mix_labels = dict(MixCategory.choices)
    entries: dict[tuple[int, dt.datetime], Entry] = {}
    rows = _deliveries_in(workspace=workspace, start=start, end=end, filters=filters)
    for (
        post_id,
        at,
        state,
        channel_id,
        channel_label,
        network,
        text,
        approval_state,
        author_id,
        author_name,
        author_email,
        campaign,
        pillar_id,
        pillar,
        mix_category,
        link,
        is_paid,
    ) in rows.values_list(*ENTRY_FIELDS):
        key = (post_id, at)
        entry = entries.get(key)
        if entry is None:
            entry = Entry(
                post_id=post_id,
                text=text,
                local_at=at.astimezone(zone),
                author_id=author_id,
                author_name=author_name or author_email or "",
                campaign=campaign or "",
                pillar=pillar or "",
                pillar_colour=pillar_colours.get(pillar_id) if pillar_id else None,
                mix_category=str(mix_labels.get(mix_category, "")),
                link=link,
                is_paid=is_paid,
            )
            entries[key] = entry
        entry.channels.append(
            EntryChannel(
                id=channel_id,
                label=channel_label,
                network=network,
                status=delivery_status(state, approval_state),
                colour=channel_colours.get(channel_id, 0),
            )
        )
    return list(entries.values())


def entries_by_day(entries: list[Entry]) -> dict[dt.date, list[Entry]]:
    days: dict[dt.date, list[Entry]] = defaultdict(list)
    for entry in entries:
        days[entry.local_at.date()].append(entry)
    return days


@dataclass(frozen=True)
class Slot:
    """A time the publishing plan expects a post on a channel, with nothing planned yet."""

    channel_id: int
    channel_label: str
    network: str
    local_at: dt.datetime

    @property
    def local_iso(self) -> str:
        return self.local_at.strftime("%Y-%m-%dT%H:%M")


def open_slots(
    *,
    workspace: Workspace,
    period: Period,
    planned: list[PlannedChannel],
    now: dt.datetime,
) -> dict[dt.date, list[Slot]]:
    """Suggestions per day: plan times in the future that no post on that channel is near."""
    zone = workspace.timezone
    local_now = utc_to_local(now, zone).replace(tzinfo=None)
    times = planned_times(workspace=workspace, start=period.start_utc, end=period.end_utc)
    slots: dict[dt.date, list[Slot]] = defaultdict(list)
    for day in period.days:
        if day < local_now.date():
            continue
        for item in planned:
            if day.weekday() not in item.plan.days:
                continue
            for account in item.accounts:
                free = open_times(expected_times(item.plan), times.get((account.pk, day), []))
                for at in free:
                    local = dt.datetime.combine(day, at)
                    if local <= local_now:
                        continue
                    slots[day].append(Slot(account.pk, account.label, account.connector_key, local))
    for day_slots in slots.values():
        day_slots.sort(key=lambda slot: (slot.local_at, slot.channel_label))
    return slots
