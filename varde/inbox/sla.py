"""The response clock of a conversation: how long the person has waited for us, counted in
business hours, against the plan's target ("answer within N hours", phase 6).

A conversation waits for us while it is New: since its first item after our last reply (or
since its first item, when we never answered). The clock is "on time" below 75 % of the
target, "at risk" from 75 %, and "overdue" from 100 %. Without a target in the plan, or without
business hours, there is no clock, and the page says what to set instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.utils.translation import gettext as _

from varde.inbox.business_time import (
    BusinessHours,
    add_business_seconds,
    business_seconds,
    holiday_name,
)
from varde.inbox.choices import ConversationState
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

    @property
    def words(self) -> str:
        if self.state == ClockState.OVERDUE:
            return _("Overdue by %(time)s") % {
                "time": duration_words(self.waited_s - self.target_s)
            }
        left = duration_words(self.target_s - self.waited_s)
        if self.state == ClockState.AT_RISK:
            return _("At risk: %(time)s left") % {"time": left}
        return _("Answer within %(time)s") % {"time": left}


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
    zone = ZoneInfo(workspace.timezone or "Europe/Oslo")
    row = BusinessHoursRow.objects.filter(workspace=workspace).first()
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
    hours = strategy_selectors.plan_response_time_hours(workspace)
    return None if hours is None or hours <= 0 else float(hours) * 3600


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
    *, workspace: Workspace, conversations: list[Conversation], now: dt.datetime
) -> dict[int, Clock]:
    """The clock of each conversation that waits for us; none when the plan has no target."""
    target = target_seconds(workspace)
    if target is None:
        return {}
    hours = hours_of(workspace)
    return {
        conversation_id: clock_of(since, now=now, target_s=target, hours=hours)
        for conversation_id, since in waiting_since(conversations).items()
    }


def clock_of(
    since: dt.datetime, *, now: dt.datetime, target_s: float, hours: BusinessHours
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
