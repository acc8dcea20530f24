"""The next free slot: the next preferred day and time in the publishing plan with no post on it.

The plan (strategy, phase 4) says per network how often to post and on which days and at which
times. A slot is taken when the channel already has a post within half an hour of it; a week
is full when the channel already has as many posts as the plan asks for (seed 003: keep the
frequency, but not too much). Times are wall-clock times in the workspace's time zone, so a
09:00 slot stays 09:00 across a change to or from summer time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from varde.channels.selectors import plan_entries_for
from varde.lib.timeutil import local_to_utc
from varde.strategy.selectors import ChannelPlan, publishing_plan_for

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount

LOOK_AHEAD_DAYS = 56
TAKEN_WITHIN = dt.timedelta(minutes=30)


def plan_for_channel(
    channel: ConnectedAccount, plans: list[ChannelPlan] | None = None
) -> ChannelPlan | None:
    """The plan's entry for this connected account: same network, the matching name if several."""
    plans = plans if plans is not None else publishing_plan_for(channel.workspace)
    candidates = plan_entries_for(channel, plans)
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class Slot:
    at: dt.datetime  # aware, UTC
    local: dt.datetime  # the same instant in the workspace's time zone


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def next_free_slot(
    *,
    workspace: Workspace,
    plan: ChannelPlan,
    taken: list[dt.datetime],
    now: dt.datetime,
    also_free: list[list[dt.datetime]] | None = None,
) -> Slot | None:
    """The first planned time after ``now`` with nothing in ``taken`` near it.

    ``taken`` holds the planned times (aware) of the channel's other posts; ``also_free`` the
    same for other channels that must be free at that time too. None when the plan names no
    times, or nothing is free within eight weeks.
    """
    if not plan.times:
        return None
    zone = ZoneInfo(workspace.timezone)
    days = set(plan.days) if plan.days else set(range(7))
    per_week = int(plan.posts_per_week) if plan.posts_per_week else None
    today = now.astimezone(zone).date()
    busy = [*taken]
    others = also_free or []
    for offset in range(LOOK_AHEAD_DAYS):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in days:
            continue
        if per_week is not None:
            monday = _week_start(day)
            week = [t for t in busy if _week_start(t.astimezone(zone).date()) == monday]
            if len(week) >= per_week:
                continue
        for wall in plan.times:
            at = local_to_utc(dt.datetime.combine(day, wall), workspace.timezone)
            if at <= now:
                continue
            if any(abs(t - at) < TAKEN_WITHIN for t in busy):
                continue
            if any(any(abs(t - at) < TAKEN_WITHIN for t in other) for other in others):
                continue
            return Slot(at=at, local=at.astimezone(zone))
    return None
