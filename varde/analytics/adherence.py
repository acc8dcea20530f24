"""Plan adherence: what the team did against what the plan says (issue 14, item 4).

- **Frequency**, per channel of the plan and week: the posts published on the connected
  accounts that are that channel (tied, or matched by network, as the calendar's meter does),
  judged with the plan's one rule (``strategy.frequency``: too few, kept, too many). The week in
  progress is shown but not judged. **Kept in a row** counts the full weeks, back from the last
  one, in which the frequency was kept (seed 003: once you post daily, keep it).
- **Content mix** over the same weeks: the share of published posts of each kind against the
  plan's target, with how many posts had no kind.
- **Response time** from the inbox: the median business time to the first reply for the
  conversations begun in the period, and how many were answered within the plan's target.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from varde.channels import selectors as channel_selectors
from varde.content import selectors as content_selectors
from varde.content.choices import MixCategory
from varde.inbox import sla
from varde.lib.timeutil import local_to_utc
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.strategy import selectors as strategy_selectors
from varde.strategy.frequency import OK, frequency_verdict

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from varde.accounts.models import Workspace

WEEKS = 8


@dataclass(frozen=True)
class WeekCount:
    monday: dt.date
    count: int
    verdict: str | None  # strategy.frequency LOW / OK / HIGH; None: not judged
    in_progress: bool


@dataclass(frozen=True)
class ChannelAdherence:
    name: str
    network_name: str
    planned: Decimal | None
    accounts: tuple[str, ...]
    weeks: tuple[WeekCount, ...]
    kept_in_a_row: int
    plan_channel_id: int | None = None


@dataclass(frozen=True)
class MixAdherence:
    label: str
    target: int
    actual: int | None  # per cent of the posts with a kind; None without any
    posts: int
    key: str = ""  # the content.choices.MixCategory value


@dataclass(frozen=True)
class Adherence:
    mondays: tuple[dt.date, ...]
    channels: tuple[ChannelAdherence, ...]
    mix: tuple[MixAdherence, ...]
    untagged_posts: int
    responses: sla.FirstResponses
    target_hours: float | None


def plan_adherence(*, workspace: Workspace, today: dt.date, weeks: int = WEEKS) -> Adherence:
    zone_name = workspace.timezone
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = tuple(this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    start = local_to_utc(dt.datetime.combine(mondays[0], dt.time()), zone_name)
    end = local_to_utc(
        dt.datetime.combine(this_monday + dt.timedelta(days=7), dt.time()), zone_name
    )
    published = list(
        publishing_selectors.deliveries_in(workspace=workspace)
        .filter(state=DeliveryState.PUBLISHED, published_at__gte=start, published_at__lt=end)
        .values_list("channel_id", "post_id", "published_at")
    )
    zone = _zone(zone_name)
    per_week: Counter[tuple[int, dt.date]] = Counter()
    for channel_id, _post_id, at in published:
        if at is None:
            continue
        local = at.astimezone(zone).date()
        per_week[(channel_id, local - dt.timedelta(days=local.weekday()))] += 1
    target = sla.target_seconds(workspace)
    kinds = _kinds(workspace, {post_id for _c, post_id, _at in published})
    return Adherence(
        mondays=mondays,
        channels=_channels(workspace, mondays, this_monday, per_week),
        mix=_mix(workspace, kinds),
        untagged_posts=sum(1 for kind in kinds if not kind),
        responses=sla.first_responses(workspace=workspace, start=start, end=end),
        target_hours=None if target is None else target / 3600,
    )


def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name or "Europe/Oslo")


def _channels(
    workspace: Workspace,
    mondays: tuple[dt.date, ...],
    this_monday: dt.date,
    per_week: Counter[tuple[int, dt.date]],
) -> tuple[ChannelAdherence, ...]:
    plans = strategy_selectors.publishing_plan_for(workspace)
    accounts = list(channel_selectors.channels_in(workspace=workspace).current())
    rows = []
    for plan, matched in channel_selectors.plan_accounts(plans, accounts):
        weeks = tuple(
            _week(monday, sum(per_week[(a.pk, monday)] for a in matched), plan, this_monday)
            for monday in mondays
        )
        rows.append(
            ChannelAdherence(
                name=plan.name,
                network_name=plan.network_name,
                planned=plan.posts_per_week,
                accounts=tuple(a.label for a in matched),
                weeks=weeks,
                kept_in_a_row=_kept_in_a_row(weeks),
                plan_channel_id=plan.channel_id,
            )
        )
    return tuple(rows)


def _week(
    monday: dt.date, count: int, plan: strategy_selectors.ChannelPlan, this_monday: dt.date
) -> WeekCount:
    in_progress = monday == this_monday
    verdict = None if in_progress else frequency_verdict(count, plan.posts_per_week)
    return WeekCount(monday=monday, count=count, verdict=verdict, in_progress=in_progress)


def _kept_in_a_row(weeks: tuple[WeekCount, ...]) -> int:
    kept = 0
    for week in reversed(weeks):
        if week.in_progress:
            continue
        if week.verdict != OK:
            break
        kept += 1
    return kept


def _kinds(workspace: Workspace, post_ids: set[int]) -> list[str]:
    return list(
        content_selectors.posts_in(workspace=workspace)
        .filter(pk__in=post_ids)
        .values_list("mix_category", flat=True)
    )


def _mix(workspace: Workspace, post_kinds: list[str]) -> tuple[MixAdherence, ...]:
    """Each kind's share among the posts that have one; one query for the kinds, made once."""
    kinds = Counter(kind for kind in post_kinds if kind)
    tagged = sum(kinds.values())
    targets = strategy_selectors.content_mix_target(workspace)
    planned = {
        MixCategory.PROMOTIONAL: targets.promotional,
        MixCategory.CURATED: targets.curated,
        MixCategory.ENGAGEMENT: targets.engagement,
    }
    return tuple(
        MixAdherence(
            label=str(category.label),
            target=planned[category],
            actual=round(100 * kinds[category.value] / tagged) if tagged else None,
            posts=kinds[category.value],
            key=category.value,
        )
        for category in MixCategory
    )


@dataclass(frozen=True)
class ChannelPublished:
    name: str
    posts: int
    planned_per_week: Decimal | None


@dataclass(frozen=True)
class PeriodPublishing:
    channels: tuple[ChannelPublished, ...]
    mix: tuple[MixAdherence, ...]
    untagged_posts: int
    by_weekday: tuple[int, ...]  # posts per weekday, Monday first, in the workspace's time zone
    total: int


def published_in(*, workspace: Workspace, start: dt.datetime, end: dt.datetime) -> PeriodPublishing:
    """What was published in ``[start, end)`` per channel of the plan, the content mix and the
    weekdays, by the same rules as the Plan kept page (for reports of any period)."""
    published = list(
        publishing_selectors.deliveries_in(workspace=workspace)
        .filter(state=DeliveryState.PUBLISHED, published_at__gte=start, published_at__lt=end)
        .values_list("channel_id", "post_id", "published_at")
    )
    per_channel = Counter(channel_id for channel_id, _post, _at in published)
    zone = _zone(workspace.timezone)
    weekdays = Counter(at.astimezone(zone).weekday() for _c, _p, at in published if at)
    plans = strategy_selectors.publishing_plan_for(workspace)
    accounts = list(channel_selectors.channels_in(workspace=workspace).current())
    channels = tuple(
        ChannelPublished(
            name=plan.name,
            posts=sum(per_channel[a.pk] for a in matched),
            planned_per_week=plan.posts_per_week,
        )
        for plan, matched in channel_selectors.plan_accounts(plans, accounts)
    )
    kinds = _kinds(workspace, {post_id for _c, post_id, _at in published})
    return PeriodPublishing(
        channels=channels,
        mix=_mix(workspace, kinds),
        untagged_posts=sum(1 for kind in kinds if not kind),
        by_weekday=tuple(weekdays[day] for day in range(7)),
        total=len(published),
    )
