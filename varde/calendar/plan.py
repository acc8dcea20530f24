"""The publishing plan, read against the channels that are actually connected.

The plan (strategy) lists channels by network and name ("Instagram, @bryggensykkel"); posts go to
``ConnectedAccount`` rows. A plan channel maps to the connected accounts a person tied to it
(on the channel's page, or right after connecting), and to the untied accounts of the same
network (``channels.selectors.plan_accounts``: a blog is a WordPress site); when a network has
several accounts, the one whose name or handle matches the plan's name is preferred.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from varde.channels.selectors import plan_accounts
from varde.lib.timeutil import utc_to_local
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.strategy.selectors import ChannelPlan, publishing_plan_for

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount

# Deliveries that count as "a post on this channel": planned, scheduled, on its way or out.
# Failed and cancelled ones did not (and will not) go out, so they leave the slot open.
COUNTED_STATES = (
    DeliveryState.DRAFT,
    DeliveryState.SCHEDULED,
    DeliveryState.PUBLISHING,
    DeliveryState.PUBLISHED,
    DeliveryState.UNKNOWN,
)


@dataclass(frozen=True)
class PlannedChannel:
    plan: ChannelPlan
    accounts: tuple[ConnectedAccount, ...]


def plan_with_accounts(
    workspace: Workspace, accounts: Iterable[ConnectedAccount]
) -> list[PlannedChannel]:
    """Each channel of the publishing plan with the connected accounts that post for it."""
    matched = plan_accounts(publishing_plan_for(workspace), list(accounts))
    return [PlannedChannel(plan, found) for plan, found in matched]


def planned_times(
    *,
    workspace: Workspace,
    start: dt.datetime,
    end: dt.datetime,
    channel_ids: list[int] | None = None,
) -> dict[tuple[int, dt.date], list[dt.time]]:
    """Local times of counted deliveries per (channel, local date), in one query.

    ``channel_ids`` narrows it to those channels (the plan's, for open slots).
    """
    deliveries = publishing_selectors.deliveries_in(workspace=workspace).filter(
        scheduled_at__gte=start, scheduled_at__lt=end, state__in=COUNTED_STATES
    )
    if channel_ids is not None:
        deliveries = deliveries.filter(channel_id__in=channel_ids)
    rows = deliveries.values_list("channel_id", "scheduled_at")
    found: dict[tuple[int, dt.date], list[dt.time]] = defaultdict(list)
    for channel_id, at in rows:
        if at is None:
            continue
        local = utc_to_local(at, workspace.timezone)
        found[(channel_id, local.date())].append(local.time())
    return found


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def open_times(expected: Iterable[dt.time], planned: Iterable[dt.time]) -> list[dt.time]:
    """The plan's times of a day that no planned post is close to.

    Each planned post fills the nearest still-open time, so a post at 11:30 fills the 11:00
    slot, and two posts fill two slots even when both are near the same one.
    """
    remaining = sorted(expected)
    for at in sorted(planned):
        if not remaining:
            break
        nearest = min(remaining, key=lambda slot: abs(_minutes(slot) - _minutes(at)))
        remaining.remove(nearest)
    return remaining


DEFAULT_SLOT_TIME = dt.time(9, 0)


def expected_times(plan: ChannelPlan) -> tuple[dt.time, ...]:
    """The times a plan day expects a post; a plan with days but no times expects one at 09:00."""
    return plan.times or (DEFAULT_SLOT_TIME,)
