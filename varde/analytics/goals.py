"""The plan's goals measured: each SMART goal's numbers over time, where they come from, and
where they are heading (``forecast.outlook``).

What Varde measures itself, per goal metric (the strategy's ``Metric`` values):

- ``followers``: the accounts' followers, read daily from the network (the goal's network, or
  every channel);
- ``reach``: views of the posts in the last 30 days, from the network;
- ``engagement_rate``: likes, shares, comments and quotes per view in the last 30 days, in
  per cent, computed by Varde;
- ``link_clicks`` and ``web_visits``: clicks and daily unique visitors on Varde's short links in
  the last 30 days, counted by Varde;
- ``leads``, ``customers``, ``revenue``: conversions in the last 30 days (the endpoint, the
  pixel, or entered by hand).

Anything else (response time, share of voice, sentiment, a custom metric) is entered by hand
with a date; a number entered by hand for a day always wins over a measured one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from varde.analytics.choices import ENGAGEMENT_METRICS, ConversionKind, Metric, MetricSource
from varde.analytics.forecast import Outlook, outlook
from varde.analytics.models import ChannelDayTotal, Conversion, GoalReading, LinkClick
from varde.channels import selectors as channel_selectors
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from varde.accounts.models import Workspace
    from varde.strategy.selectors import GoalTarget

WINDOW_DAYS = 30
HISTORY_DAYS = 400
MEASURED = frozenset(
    {
        "followers",
        "reach",
        "engagement_rate",
        "link_clicks",
        "web_visits",
        "leads",
        "customers",
        "revenue",
    }
)
LOWER_IS_BETTER = frozenset({"response_time"})

STATUS_LABELS: dict[str, Promise] = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "reached": _("Reached"),
    "no_data": _("No data yet"),
    "no_target": _("No target or deadline"),
}


@dataclass
class GoalProgress:
    goal: GoalTarget
    series: list[tuple[dt.date, float]]
    sources: list[str]  # MetricSource values behind the numbers
    outlook: Outlook
    measured: bool  # whether Varde can measure it (else: enter it by hand)

    @property
    def actual(self) -> float | None:
        return self.series[-1][1] if self.series else None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.outlook.status, self.outlook.status))

    @property
    def sandbox(self) -> bool:
        return MetricSource.SANDBOX in self.sources


def _channel_ids(workspace: Workspace, network: str | None) -> list[int]:
    channels = channel_selectors.channels_in(workspace=workspace)
    return [
        channel.pk
        for channel in channels
        if network is None or channel_selectors.plan_network_of(channel) == network
    ]


def _rolling(
    per_day: dict[dt.date, float], start: dt.date, end: dt.date
) -> list[tuple[dt.date, float]]:
    """The sum over the last ``WINDOW_DAYS`` days, for every day from the first with data (a
    sliding sum: one addition and one subtraction a day)."""
    if not per_day:
        return []
    first = max(min(per_day), start)
    total = sum(per_day.get(first - dt.timedelta(days=i), 0.0) for i in range(WINDOW_DAYS))
    out = [(first, total)]
    day = first + dt.timedelta(days=1)
    while day <= end:
        total += per_day.get(day, 0.0) - per_day.get(day - dt.timedelta(days=WINDOW_DAYS), 0.0)
        out.append((day, total))
        day += dt.timedelta(days=1)
    return out


def _rollup_per_day(
    workspace: Workspace, metrics: list[str], channel_ids: list[int], start: dt.date
) -> tuple[dict[str, dict[dt.date, float]], set[str]]:
    rows = (
        ChannelDayTotal.objects.filter(
            workspace=workspace, metric__in=metrics, channel_id__in=channel_ids, day__gte=start
        )
        .values("metric", "day", "source")
        .annotate(total=Sum("value"))
    )
    per: dict[str, dict[dt.date, float]] = defaultdict(dict)
    sources = set()
    for row in rows:
        per[row["metric"]][row["day"]] = per[row["metric"]].get(row["day"], 0.0) + float(
            row["total"]
        )
        sources.add(row["source"])
    return per, sources


def _measured_series(
    workspace: Workspace, goal: GoalTarget, today: dt.date
) -> tuple[list[tuple[dt.date, float]], set[str]]:
    start = today - dt.timedelta(days=HISTORY_DAYS)
    metric = goal.metric
    if metric in {"followers", "reach", "engagement_rate"}:
        channel_ids = _channel_ids(workspace, goal.network)
    if metric == "followers":
        per, sources = _rollup_per_day(workspace, [Metric.FOLLOWERS], channel_ids, start)
        return sorted(per[Metric.FOLLOWERS].items()), sources
    if metric == "reach":
        per, sources = _rollup_per_day(workspace, [Metric.VIEWS], channel_ids, start)
        return _rolling(per[Metric.VIEWS], start, today), sources
    if metric == "engagement_rate":
        per, sources = _rollup_per_day(
            workspace, [Metric.VIEWS, *ENGAGEMENT_METRICS], channel_ids, start
        )
        views = dict(_rolling(per[Metric.VIEWS], start, today))
        engaged: dict[dt.date, float] = defaultdict(float)
        for each in ENGAGEMENT_METRICS:
            for day, value in _rolling(per[each], start, today):
                engaged[day] += value
        series = [
            (day, round(engaged[day] / total * 100, 2))
            for day, total in sorted(views.items())
            if total
        ]
        return series, (sources | {MetricSource.VARDE}) if series else set()
    if metric in {"link_clicks", "web_visits"}:
        clicks = LinkClick.objects.filter(workspace=workspace, day__gte=start)
        if metric == "link_clicks":
            rows = clicks.values("day").annotate(n=Count("id"))
        else:
            rows = clicks.values("day").annotate(n=Count("visitor", distinct=True))
        per_day = {row["day"]: float(row["n"]) for row in rows}
        return _rolling(per_day, start, today), {MetricSource.VARDE} if per_day else set()
    kind = {"leads": ConversionKind.LEAD, "customers": ConversionKind.CUSTOMER}.get(metric)
    conversions = Conversion.objects.filter(workspace=workspace, day__gte=start)
    if kind is not None:
        counted = conversions.filter(kind=kind).values("day").annotate(n=Count("id"))
    else:  # revenue
        counted = conversions.exclude(value=None).values("day").annotate(n=Sum("value"))
    per_day = {row["day"]: float(row["n"]) for row in counted}
    return _rolling(per_day, start, today), {MetricSource.CONVERSION} if per_day else set()


def goal_progress(*, workspace: Workspace, goal: GoalTarget, today: dt.date) -> GoalProgress:
    measured = goal.metric in MEASURED
    series, sources = _measured_series(workspace, goal, today) if measured else ([], set())
    manual = dict(
        GoalReading.objects.filter(workspace=workspace, goal_id=goal.id).values_list("day", "value")
    )
    if manual:
        merged = dict(series)
        merged.update({day: float(value) for day, value in manual.items()})
        series = sorted(merged.items())
        sources.add(MetricSource.MANUAL)
    target = float(goal.target) if goal.target is not None else None
    baseline = float(goal.baseline) if goal.baseline is not None else None
    higher = goal.metric not in LOWER_IS_BETTER
    if target is not None and baseline is not None and target != baseline:
        higher = target > baseline
    return GoalProgress(
        goal=goal,
        series=series,
        sources=sorted(sources),
        outlook=_outlook_cached(series, target, goal.deadline, today, higher),
        measured=measured,
    )


def _outlook_cached(
    series: list[tuple[dt.date, float]],
    target: float | None,
    deadline: dt.date | None,
    today: dt.date,
    higher: bool,
) -> Outlook:
    """The outlook, fitted once per set of numbers: the damped-trend fit and its 500 simulated
    futures cost about 0.2 s, and the numbers change at most a few times a day (the rollups).
    The key is the numbers themselves, so a new reading is never answered from an old fit."""
    key = (
        "analytics:outlook:"
        + hashlib.sha256(repr((series, target, deadline, today, higher)).encode()).hexdigest()
    )
    found = cache.get(key)
    if isinstance(found, Outlook):
        return found
    result = outlook(
        series=series, target=target, deadline=deadline, today=today, higher_is_better=higher
    )
    cache.set(key, result, timeout=6 * 3600)
    return result


def goals_progress(*, workspace: Workspace, today: dt.date) -> list[GoalProgress]:
    return [
        goal_progress(workspace=workspace, goal=goal, today=today)
        for goal in strategy_selectors.goals_for(workspace)
    ]


def goal_target(*, workspace: Workspace, goal_id: int) -> GoalTarget | None:
    return next((g for g in strategy_selectors.goals_for(workspace) if g.id == goal_id), None)


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))
