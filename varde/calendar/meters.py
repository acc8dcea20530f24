"""Plan meters: is the calendar doing what the plan says?

* Content mix: the share of promotional, curated and engagement posts, in the past weeks and the
  coming weeks, against the plan's target mix.
* Frequency: posts per channel in one week against the publishing plan. Too few *and* too many
  are flagged — seed 003: find the frequency and keep it, and don't nag.
* Gaps: days in the coming two weeks where the plan expects a post and none is planned.

Every figure is computed from stored deliveries: "a post" is a delivery that is planned,
scheduled, on its way or out (failed and cancelled ones do not count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from varde.calendar.periods import local_midnight_utc, week_start
from varde.calendar.plan import (
    COUNTED_STATES,
    PlannedChannel,
    expected_times,
    open_times,
    plan_with_accounts,
    planned_times,
)
from varde.channels import selectors as channel_selectors
from varde.content.choices import MixCategory
from varde.lib.timeutil import utc_to_local
from varde.publishing import selectors as publishing_selectors
from varde.strategy.frequency import frequency_bounds, frequency_verdict
from varde.strategy.selectors import ContentMix, content_mix_target, network_name

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount

MIX_WEEKS = 4  # the past and the coming window of the content-mix meter
MIX_TOLERANCE = 10  # percentage points either side of the target before it is flagged
MIX_MIN_POSTS = 5  # fewer tagged posts than this say too little to judge the mix
GAP_DAYS = 14


class Flag:
    OK = "ok"
    LOW = "low"  # too few (mix share below target, or too few posts)
    HIGH = "high"  # too many
    NOT_ENOUGH_DATA = "not_enough_data"
    NOT_CONNECTED = "not_connected"


@dataclass(frozen=True)
class MixShare:
    category: str
    label: str
    target: int
    count: int
    percent: int | None
    flag: str


@dataclass(frozen=True)
class MixMeter:
    first_day: dt.date
    last_day: dt.date
    total: int  # posts in the window
    untagged: int  # of those, without a kind of content
    shares: tuple[MixShare, ...]
    has_target: bool

    @property
    def judged(self) -> bool:
        return self.has_target and self.total - self.untagged >= MIX_MIN_POSTS


@dataclass(frozen=True)
class FrequencyRow:
    plan_name: str
    network: str
    channel_label: str  # the connected account, "" when none is connected
    channel_id: int | None
    planned: Decimal | None  # posts per week in the plan
    count: int
    flag: str
    low: int  # fewer than this is too few
    high: int  # more than this is too many

    @property
    def network_name(self) -> str:
        return network_name(self.network)


@dataclass(frozen=True)
class Gap:
    day: dt.date
    channel_id: int
    channel_label: str
    local_at: dt.datetime  # the plan's first open time that day

    @property
    def local_iso(self) -> str:
        return self.local_at.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class PlanMeters:
    week_first_day: dt.date
    week_last_day: dt.date
    mix_past: MixMeter
    mix_coming: MixMeter
    frequency: tuple[FrequencyRow, ...]
    gaps: tuple[Gap, ...]
    has_plan: bool
    # Connected channels the plan gives days and times: where gaps were looked for. Zero means
    # "no gaps" would say nothing, and the page says why instead.
    gap_channels: int = 0


# --- content mix -----------------------------------------------------------------------------


def content_mix(
    *,
    workspace: Workspace,
    first_day: dt.date,
    last_day: dt.date,
    target: ContentMix | None = None,
) -> MixMeter:
    """Posts (not deliveries) with a counted delivery between two local dates, by kind."""
    zone = workspace.timezone
    rows = (
        publishing_selectors.deliveries_in(workspace=workspace)
        .filter(
            scheduled_at__gte=local_midnight_utc(first_day, zone),
            scheduled_at__lt=local_midnight_utc(last_day + dt.timedelta(days=1), zone),
            state__in=COUNTED_STATES,
        )
        .order_by()
        .values_list("post_id", "post__mix_category")
        .distinct()
    )
    kinds = dict(rows)
    counts = dict.fromkeys(MixCategory.values, 0)
    for kind in kinds.values():
        if kind in counts:
            counts[kind] += 1
    tagged = sum(counts.values())
    target = target or content_mix_target(workspace)
    targets = {
        MixCategory.PROMOTIONAL: target.promotional,
        MixCategory.CURATED: target.curated,
        MixCategory.ENGAGEMENT: target.engagement,
    }
    judged = target.total > 0 and tagged >= MIX_MIN_POSTS
    shares = []
    for category in MixCategory:
        percent = round(100 * counts[category] / tagged) if tagged else None
        if not judged or percent is None:
            flag = Flag.NOT_ENOUGH_DATA
        elif percent < targets[category] - MIX_TOLERANCE:
            flag = Flag.LOW
        elif percent > targets[category] + MIX_TOLERANCE:
            flag = Flag.HIGH
        else:
            flag = Flag.OK
        shares.append(
            MixShare(
                category.value,
                str(category.label),
                targets[category],
                counts[category],
                percent,
                flag,
            )
        )
    return MixMeter(
        first_day=first_day,
        last_day=last_day,
        total=len(kinds),
        untagged=len(kinds) - tagged,
        shares=tuple(shares),
        has_target=target.total > 0,
    )


# --- frequency -------------------------------------------------------------------------------


def frequency_flag(count: int, planned: Decimal | None) -> str:
    verdict = frequency_verdict(count, planned)
    return Flag.NOT_ENOUGH_DATA if verdict is None else verdict


def frequency(
    *, workspace: Workspace, planned: list[PlannedChannel], monday: dt.date
) -> tuple[FrequencyRow, ...]:
    zone = workspace.timezone
    times = planned_times(
        workspace=workspace,
        start=local_midnight_utc(monday, zone),
        end=local_midnight_utc(monday + dt.timedelta(days=7), zone),
    )
    per_channel: dict[int, int] = {}
    for (channel_id, _day), at_times in times.items():
        per_channel[channel_id] = per_channel.get(channel_id, 0) + len(at_times)
    rows = []
    for item in planned:
        plan = item.plan
        low, high = frequency_bounds(plan.posts_per_week) if plan.posts_per_week else (0, 0)
        if not item.accounts:
            rows.append(
                FrequencyRow(
                    plan.name,
                    plan.network,
                    "",
                    None,
                    plan.posts_per_week,
                    0,
                    Flag.NOT_CONNECTED,
                    low,
                    high,
                )
            )
            continue
        for account in item.accounts:
            count = per_channel.get(account.pk, 0)
            rows.append(
                FrequencyRow(
                    plan.name,
                    plan.network,
                    account.label,
                    account.pk,
                    plan.posts_per_week,
                    count,
                    frequency_flag(count, plan.posts_per_week),
                    low,
                    high,
                )
            )
    return tuple(rows)


# --- gaps ------------------------------------------------------------------------------------


def gaps(
    *, workspace: Workspace, planned: list[PlannedChannel], now: dt.datetime, days: int = GAP_DAYS
) -> tuple[Gap, ...]:
    """Days from today where the plan expects a post on a connected channel and none is planned.

    Today counts only while one of its plan times is still ahead.
    """
    zone = workspace.timezone
    local_now = utc_to_local(now, zone).replace(tzinfo=None)
    today = local_now.date()
    times = planned_times(
        workspace=workspace,
        start=local_midnight_utc(today, zone),
        end=local_midnight_utc(today + dt.timedelta(days=days), zone),
    )
    found = []
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        for item in planned:
            if day.weekday() not in item.plan.days:
                continue
            expected = expected_times(item.plan)
            for account in item.accounts:
                already = times.get((account.pk, day), [])
                if already:
                    continue  # something is planned that day: not a gap
                ahead = [
                    t for t in open_times(expected, []) if dt.datetime.combine(day, t) > local_now
                ]
                if ahead:
                    found.append(
                        Gap(day, account.pk, account.label, dt.datetime.combine(day, ahead[0]))
                    )
    return tuple(sorted(found, key=lambda gap: (gap.local_at, gap.channel_label)))


# --- all together ----------------------------------------------------------------------------


def plan_meters(
    *,
    workspace: Workspace,
    week: dt.date,
    now: dt.datetime,
    accounts: list[ConnectedAccount] | None = None,
    planned: list[PlannedChannel] | None = None,
) -> PlanMeters:
    """The meters for the week that holds ``week``: mix before and from it, its frequency, gaps."""
    monday = week_start(week)
    if accounts is None:
        accounts = list(channel_selectors.channels_in(workspace=workspace))
    if planned is None:
        planned = plan_with_accounts(workspace, accounts)
    target = content_mix_target(workspace)
    return PlanMeters(
        week_first_day=monday,
        week_last_day=monday + dt.timedelta(days=6),
        mix_past=content_mix(
            workspace=workspace,
            first_day=monday - dt.timedelta(weeks=MIX_WEEKS),
            last_day=monday - dt.timedelta(days=1),
            target=target,
        ),
        mix_coming=content_mix(
            workspace=workspace,
            first_day=monday,
            last_day=monday + dt.timedelta(weeks=MIX_WEEKS, days=-1),
            target=target,
        ),
        frequency=frequency(workspace=workspace, planned=planned, monday=monday),
        gaps=gaps(workspace=workspace, planned=planned, now=now),
        has_plan=bool(planned),
        gap_channels=sum(
            len(item.accounts) for item in planned if item.plan.days and expected_times(item.plan)
        ),
    )
