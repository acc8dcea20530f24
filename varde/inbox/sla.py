"""The response clocks of a conversation, counted in business hours against three targets:

- **first response**: the plan's "answer within N hours" (phase 6), while a conversation we
  never answered is New, from the person's first item;
- **next response**: while a conversation we answered before is New again, from the person's
  first item after our last reply; the workspace's own target (Inbox → Business hours), else
  the plan's;
- **resolution**: while a conversation is open (New or Pending), from when it was opened (or
  re-opened after Resolved); the workspace's own target, else none.

A clock is "on time" below 75 % of its target, "at risk" from 75 %, and "overdue" from 100 %.
Without a target there is no clock, and the settings page says what to set instead of
guessing. ``due_q`` turns "at risk" and "overdue" into one database condition (the moment a
clock must have started by, found once per request), so the "At risk" view and the escalation
task filter in SQL, with no query per row.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Exists, Min, OuterRef, Q
from django.utils.translation import gettext as _

from varde.inbox.business_time import (
    BusinessHours,
    add_business_seconds,
    business_seconds,
    holiday_name,
    subtract_business_seconds,
)
from varde.inbox.choices import ClockKind, ConversationState
from varde.inbox.models import BusinessHours as BusinessHoursRow
from varde.inbox.models import Conversation, InboxItem
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from collections.abc import Iterable

    from varde.accounts.models import Workspace

AT_RISK_SHARE = 0.75
DEFAULT_WEEKDAYS = frozenset(range(5))
DEFAULT_OPENS = dt.time(8, 0)
DEFAULT_CLOSES = dt.time(16, 0)
OPEN_STATES = (ConversationState.NEW, ConversationState.PENDING)


class ClockState(enum.StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Clock:
    state: ClockState
    waited_s: float  # business seconds
    target_s: float
    due_at: dt.datetime | None
    kind: ClockKind = ClockKind.FIRST
    since: dt.datetime | None = None  # when it started

    @property
    def words(self) -> str:
        if self.kind == ClockKind.RESOLUTION:
            return self._resolution_words()
        if self.state == ClockState.OVERDUE:
            return _("Overdue by %(time)s") % {
                "time": duration_words(self.waited_s - self.target_s)
            }
        left = duration_words(self.target_s - self.waited_s)
        if self.state == ClockState.AT_RISK:
            return _("At risk: %(time)s left") % {"time": left}
        return _("Answer within %(time)s") % {"time": left}

    def _resolution_words(self) -> str:
        if self.state == ClockState.OVERDUE:
            return _("Resolution overdue by %(time)s") % {
                "time": duration_words(self.waited_s - self.target_s)
            }
        left = duration_words(self.target_s - self.waited_s)
        if self.state == ClockState.AT_RISK:
            return _("Resolution at risk: %(time)s left") % {"time": left}
        return _("Resolve within %(time)s") % {"time": left}

    @property
    def title(self) -> str:
        return str(self.kind.label)

    @property
    def hint(self) -> str:
        """The tag's title on the list."""
        return _("%(what)s, counted in business hours") % {"what": self.kind.label}

    @property
    def is_late(self) -> bool:
        return self.state != ClockState.ON_TIME


def duration_words(seconds: float) -> str:
    """ "2 h 10 min", "35 min": business time, never below a minute."""
    minutes = max(1, round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


def hours_of(workspace: Workspace) -> BusinessHours:
    """The workspace's business hours; Monday to Friday 08–16 until someone sets them."""
    return _hours_from(workspace, BusinessHoursRow.objects.filter(workspace=workspace).first())


def _hours_from(workspace: Workspace, row: BusinessHoursRow | None) -> BusinessHours:
    zone = ZoneInfo(workspace.timezone or "Europe/Oslo")
    if row is None:
        return BusinessHours(DEFAULT_WEEKDAYS, DEFAULT_OPENS, DEFAULT_CLOSES, zone)
    return BusinessHours(
        frozenset(int(day) for day in row.weekdays),
        row.opens,
        row.closes,
        zone,
        skip_public_holidays=row.skip_public_holidays,
    )


def upcoming_holidays(*, today: dt.date, count: int = 5) -> list[tuple[dt.date, str]]:
    """The next public holidays, named in the active language, for the settings page."""
    found: list[tuple[dt.date, str]] = []
    day = today
    for _turn in range(400):
        name = holiday_name(day)
        if name and day.weekday() < 5:
            found.append((day, name))
            if len(found) == count:
                break
        day += dt.timedelta(days=1)
    return found


def target_seconds(workspace: Workspace) -> float | None:
    """The first-response target: the plan's "answer within (hours)"."""
    return _seconds(strategy_selectors.plan_response_time_hours(workspace))


def _seconds(hours: object) -> float | None:
    return None if hours is None or float(str(hours)) <= 0 else float(str(hours)) * 3600


@dataclass(frozen=True)
class Targets:
    """A workspace's business hours and its three targets, in business seconds (None: no
    clock of that kind). Read once per request: two queries."""

    hours: BusinessHours
    first_s: float | None
    next_s: float | None
    resolution_s: float | None

    @property
    def any(self) -> bool:
        return any((self.first_s, self.next_s, self.resolution_s))

    def of(self, kind: ClockKind) -> float | None:
        return {
            ClockKind.FIRST: self.first_s,
            ClockKind.NEXT: self.next_s,
            ClockKind.RESOLUTION: self.resolution_s,
        }[kind]


def targets_of(workspace: Workspace) -> Targets:
    """The plan states the first response; the workspace sets the next response (else the
    plan's) and the resolution (else none) on the business hours page."""
    row = BusinessHoursRow.objects.filter(workspace=workspace).first()
    first = target_seconds(workspace)
    next_own = _seconds(row.next_response_hours) if row is not None else None
    return Targets(
        hours=_hours_from(workspace, row),
        first_s=first,
        next_s=next_own or first,
        resolution_s=_seconds(row.resolution_hours) if row is not None else None,
    )


def own_targets(workspace: Workspace) -> dict[str, object]:
    """The targets set on the business hours page (for its form)."""
    row = BusinessHoursRow.objects.filter(workspace=workspace).first()
    return {
        "next_response_hours": row.next_response_hours if row else None,
        "resolution_hours": row.resolution_hours if row else None,
    }


def due_q(targets: Targets, *, now: dt.datetime, share: float = 1.0) -> Q | None:
    """Open conversations with a clock at ``share`` of its target or beyond (``AT_RISK_SHARE``:
    at risk or overdue; 1.0: overdue), as one condition; None when no clock can be due."""
    parts: list[Q] = []
    items = InboxItem.objects.filter(conversation=OuterRef("pk"))
    first = _cutoff(targets, ClockKind.FIRST, now, share)
    if first is not None:
        parts.append(
            Q(state=ConversationState.NEW, last_reply_at__isnull=True)
            & Q(Exists(items.filter(received_at__lte=first)))
        )
    following = _cutoff(targets, ClockKind.NEXT, now, share)
    if following is not None:
        newer = items.filter(received_at__gt=OuterRef("last_reply_at"))
        parts.append(
            Q(state=ConversationState.NEW, last_reply_at__isnull=False)
            & Q(Exists(newer.filter(received_at__lte=following)))
        )
    resolution = _cutoff(targets, ClockKind.RESOLUTION, now, share)
    if resolution is not None:
        parts.append(
            Q(state__in=OPEN_STATES)
            & (Q(opened_at__lte=resolution) | Q(opened_at__isnull=True, created_at__lte=resolution))
        )
    if not parts:
        return None
    found = parts[0]
    for part in parts[1:]:
        found |= part
    return found


def _cutoff(
    targets: Targets, kind: ClockKind, now: dt.datetime, share: float
) -> dt.datetime | None:
    """The latest start of a ``kind`` clock that is at ``share`` of its target by ``now``."""
    target = targets.of(kind)
    if not target:
        return None
    return subtract_business_seconds(now, share * target, targets.hours)


def waiting_since(conversations: Iterable[Conversation]) -> dict[int, dt.datetime]:
    """For each conversation waiting for us: its first item after our last reply. One query."""
    waiting = [c for c in conversations if c.state == ConversationState.NEW]
    if not waiting:
        return {}
    after_our_reply = Q()
    for conversation in waiting:
        newer = Q(conversation_id=conversation.pk)
        if conversation.last_reply_at is not None:
            newer &= Q(received_at__gt=conversation.last_reply_at)
        after_our_reply |= newer
    rows = (
        InboxItem.objects.filter(after_our_reply)
        .values("conversation_id")
        .annotate(first=Min("received_at"))
        .order_by()
    )
    return {row["conversation_id"]: row["first"] for row in rows}


def clocks_for(
    *,
    workspace: Workspace,
    conversations: list[Conversation],
    now: dt.datetime,
    targets: Targets | None = None,
) -> dict[int, Clock]:
    """The response clock (first or next) of each conversation that waits for us; none
    without a target. One query at most."""
    targets = targets or targets_of(workspace)
    if not (targets.first_s or targets.next_s):
        return {}
    by_id = {conversation.pk: conversation for conversation in conversations}
    clocks = {}
    for conversation_id, since in waiting_since(conversations).items():
        kind = ClockKind.FIRST if by_id[conversation_id].last_reply_at is None else ClockKind.NEXT
        target = targets.of(kind)
        if target:
            clocks[conversation_id] = clock_of(
                since, now=now, target_s=target, hours=targets.hours, kind=kind
            )
    return clocks


def resolution_clocks_for(
    *, conversations: list[Conversation], now: dt.datetime, targets: Targets
) -> dict[int, Clock]:
    """The resolution clock of each open conversation; none without a target. No query."""
    target = targets.resolution_s
    if not target:
        return {}
    return {
        conversation.pk: clock_of(
            conversation.opened_at or conversation.created_at,
            now=now,
            target_s=target,
            hours=targets.hours,
            kind=ClockKind.RESOLUTION,
        )
        for conversation in conversations
        if conversation.state in OPEN_STATES
    }


def clock_of(
    since: dt.datetime,
    *,
    now: dt.datetime,
    target_s: float,
    hours: BusinessHours,
    kind: ClockKind = ClockKind.FIRST,
) -> Clock:
    waited = business_seconds(since, now, hours)
    if waited >= target_s:
        state = ClockState.OVERDUE
    elif waited >= AT_RISK_SHARE * target_s:
        state = ClockState.AT_RISK
    else:
        state = ClockState.ON_TIME
    return Clock(
        state=state,
        waited_s=waited,
        target_s=target_s,
        due_at=add_business_seconds(since, target_s, hours),
        kind=kind,
        since=since,
    )


@dataclass(frozen=True)
class FirstResponses:
    """How fast the team first answered the conversations that started in a period."""

    answered: int
    unanswered: int
    median_s: float | None  # business seconds
    within_target: int | None  # None without a target


def first_responses(
    *, workspace: Workspace, start: dt.datetime, end: dt.datetime
) -> FirstResponses:
    """Conversations begun in ``[start, end)``: the business time to the first reply that went
    out. One query; the clock is the same as on the inbox list."""
    from statistics import median

    rows = list(
        Conversation.objects.filter(
            workspace=workspace,
            created_at__gte=start,
            created_at__lt=end,
            channel__isnull=False,
        )
        .annotate(first_reply=Min("replies__sent_at"))
        .values_list("created_at", "first_reply")
    )
    hours = hours_of(workspace)
    target = target_seconds(workspace)
    waits = [business_seconds(begun, replied, hours) for begun, replied in rows if replied]
    unanswered = sum(1 for _begun, replied in rows if not replied)
    return FirstResponses(
        answered=len(waits),
        unanswered=unanswered,
        median_s=median(waits) if waits else None,
        within_target=None if target is None else sum(1 for w in waits if w <= target),
    )
