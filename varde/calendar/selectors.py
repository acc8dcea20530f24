"""Reading the calendar: posts at their times, the filters' choices, open slots from the plan.

One query fetches every delivery in view with its post, channel, author, campaign and pillar;
everything else (grouping by post and time, status words, colours) happens in Python, so the
number of queries does not grow with the number of posts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import DenseRank
from django.utils.translation import pgettext_lazy

from varde.accounts import selectors as account_selectors
from varde.calendar.periods import local_midnight_utc
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
SUMMARY_CHARS = 60  # a post's text in a cell: three or four lines of a week's narrow column


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
    bucket: int = 0  # with an EntryWindow: the bucket (day, hour, period) the post falls in
    bucket_total: int = 0  # with an EntryWindow: how many posts that bucket holds in all
    can_move: bool = False  # set by the view: this person may move this post
    url: str = ""  # set by the view: where the post opens
    may_edit: bool = False  # set by the view: this person may unschedule or delete it

    # Cached: the template asks each several times, for hundreds of posts. An entry lives for
    # one request, so a label resolved in that request's language stays right.
    @cached_property
    def status(self) -> str:
        present = {channel.status for channel in self.channels}
        return next(status for status in Status.URGENCY if status in present)

    @cached_property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @cached_property
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
    def local_time(self) -> str:
        return self.local_at.strftime("%H:%M")

    @property
    def local_iso(self) -> str:
        return self.local_at.strftime("%Y-%m-%dT%H:%M")

    @cached_property
    def summary(self) -> str:
        """The text as the calendar shows it (a crowded week draws hundreds: cut once)."""
        return _cut(self.text, SUMMARY_CHARS)

    @cached_property
    def label(self) -> str:
        """A short name for screen readers: "Move" and "Delete…" say which post."""
        return _cut(self.text, 40)


def _cut(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters with "…" (Truncator's result, at a tenth the cost)."""
    if len(text) <= length:
        return text
    return text[: length - 1] + "…"


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


@dataclass(frozen=True)
class EntryWindow:
    """Which posts of the period to read: in each bucket, those ranked ``skip + 1`` to
    ``skip + limit`` in time order, and how many the bucket holds in all.

    A busy month holds thousands of posts and a page draws a few per day, so the database
    picks them (a window function) rather than Python reading every row: one query still, and
    its cost does not grow with what is not drawn. ``starts`` are the UTC instants at which
    each bucket begins (a day's local midnight, an hour), ascending; the first is the period's
    start, and the last bucket runs to the period's end.
    """

    starts: tuple[dt.datetime, ...]
    limit: int
    skip: int = 0


def _bucket_of(deliveries: QuerySet[Delivery], starts: tuple[dt.datetime, ...]) -> Value | RawSQL:
    """The bucket index of a delivery's time: the last start at or before it.

    A binary search written as nested CASEs: about six comparisons a row for the 42 days of a
    month grid, eight for the 168 hours of a week, where a flat CASE makes ~20 and ~80. Written
    as SQL text: built from ORM expressions, a week's 168 buckets cost more to compile than
    the query takes to run. The instants are adapted as the backend stores them (SQLite: text).
    """
    if len(starts) == 1:
        return Value(0)
    quote = connection.ops.quote_name
    column = f"{quote(deliveries.model._meta.db_table)}.{quote('scheduled_at')}"
    params: list[Any] = []

    def between(low: int, high: int) -> str:
        if low == high:
            return str(low)
        middle = (low + high + 1) // 2
        params.append(connection.ops.adapt_datetimefield_value(starts[middle]))
        earlier = between(low, middle - 1)
        later = between(middle, high)
        return f"CASE WHEN {column} < %s THEN {earlier} ELSE {later} END"

    sql = between(0, len(starts) - 1)
    # Safe: the text holds only a quoted column, integers and placeholders; the instants are
    # parameters.
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611


def _windowed(deliveries: QuerySet[Delivery], window: EntryWindow) -> QuerySet[Delivery]:
    """Only the deliveries of the posts ``window`` picks, each with its bucket's size.

    DENSE_RANK over (time, post) numbers the posts of a bucket (a post on three channels at one
    time is one post); ranked from both ends, ``rank + rank_from_end - 1`` is the number of
    posts in the bucket, known on every row without a second query.
    """
    bucket = _bucket_of(deliveries, window.starts)
    return deliveries.annotate(
        cal_bucket=bucket,
        cal_rank=Window(
            DenseRank(), partition_by=[bucket], order_by=[F("scheduled_at"), F("post_id")]
        ),
        cal_rank_from_end=Window(
            DenseRank(),
            partition_by=[bucket],
            order_by=[F("scheduled_at").desc(), F("post_id").desc()],
        ),
    ).filter(cal_rank__gt=window.skip, cal_rank__lte=window.skip + window.limit)


ENTRY_WINDOW_FIELDS = ("cal_bucket", "cal_rank", "cal_rank_from_end")


def calendar_entries(
    *,
    workspace: Workspace,
    start: dt.datetime,
    end: dt.datetime,
    filters: Filters,
    channel_colours: dict[int, int],
    pillar_colours: dict[int, int],
    window: EntryWindow | None = None,
) -> list[Entry]:
    """Posts with a planned or scheduled time in [start, end), grouped by post and time.

    With ``window``, only the posts it picks, each knowing its bucket and the bucket's size.
    """
    rows = _deliveries_in(workspace=workspace, start=start, end=end, filters=filters)
    builder = _EntryBuilder(workspace.timezone, channel_colours, pillar_colours)
    if window is None:
        for row in rows.values_list(*ENTRY_FIELDS):
            builder.add(row)
        return builder.entries()
    width = len(ENTRY_FIELDS)
    for row in _windowed(rows, window).values_list(*ENTRY_FIELDS, *ENTRY_WINDOW_FIELDS):
        entry = builder.add(row[:width])
        bucket, rank, rank_from_end = row[width:]
        entry.bucket = bucket
        entry.bucket_total = rank + rank_from_end - 1
    return builder.entries()


class _EntryBuilder:
    """Groups delivery rows (``ENTRY_FIELDS``) into entries: one per post and time."""

    def __init__(
        self, zone: str, channel_colours: dict[int, int], pillar_colours: dict[int, int]
    ) -> None:
        self.zone = ZoneInfo(zone)
        self.channel_colours = channel_colours
        self.pillar_colours = pillar_colours
        self.mix_labels = dict(MixCategory.choices)
        self.by_key: dict[tuple[int, dt.datetime], Entry] = {}

    def add(self, row: tuple) -> Entry:  # type: ignore[type-arg]
        (
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
        ) = row
        entry = self.by_key.get((post_id, at))
        if entry is None:
            entry = Entry(
                post_id=post_id,
                text=text,
                local_at=at.astimezone(self.zone),
                author_id=author_id,
                author_name=author_name or author_email or "",
                campaign=campaign or "",
                pillar=pillar or "",
                pillar_colour=self.pillar_colours.get(pillar_id) if pillar_id else None,
                mix_category=str(self.mix_labels.get(mix_category, "")),
                link=link,
                is_paid=is_paid,
            )
            self.by_key[post_id, at] = entry
        entry.channels.append(
            EntryChannel(
                id=channel_id,
                label=channel_label,
                network=network,
                status=delivery_status(state, approval_state),
                colour=self.channel_colours.get(channel_id, 0),
            )
        )
        return entry

    def entries(self) -> list[Entry]:
        return list(self.by_key.values())


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
    channel_ids = [account.pk for item in planned for account in item.accounts]
    first_day = max(period.first_day, local_now.date())
    if not channel_ids or first_day > period.last_day:
        return {}  # nothing to suggest: no need to read the period's posts
    times = planned_times(
        workspace=workspace,
        start=local_midnight_utc(first_day, zone),
        end=period.end_utc,
        channel_ids=channel_ids,
    )
    slots: dict[dt.date, list[Slot]] = defaultdict(list)
    for day in period.days:
        if day < first_day:
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
