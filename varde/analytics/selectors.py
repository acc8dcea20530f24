"""Reading metric snapshots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.utils.translation import gettext as _

from varde.analytics.choices import Metric, MetricSource
from varde.analytics.models import (
    ChannelDayTotal,
    Conversion,
    DailyRollup,
    LinkClick,
    MetricSnapshot,
    ShortLink,
)
from varde.channels import selectors as channel_selectors
from varde.connectors import registry
from varde.content import selectors as content_selectors
from varde.content.choices import MixCategory
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount


def latest_metrics(
    *, workspace: Workspace, delivery_ids: Iterable[int]
) -> dict[int, MetricSnapshot]:
    """The newest snapshot of each delivery that has one, by delivery id."""
    latest: dict[int, MetricSnapshot] = {}
    snapshots = MetricSnapshot.objects.filter(
        workspace=workspace, delivery_id__in=list(delivery_ids)
    ).order_by("delivery_id", "-fetched_at", "-id")
    for snapshot in snapshots:
        latest.setdefault(snapshot.delivery_id, snapshot)
    return latest


# --- Dashboards: read from rollups ----------------------------------------------------------------

BREAKDOWNS = ("channel", "campaign", "pillar", "mix_category", "day")


@dataclass(frozen=True)
class MetricTotal:
    metric: str
    label: str
    value: int
    provenance: list[str]


@dataclass(frozen=True)
class BreakdownRow:
    key: object
    name: str
    values: dict[str, int]


def _provenance(source: str, network_label: str) -> str:
    if source == MetricSource.NETWORK:
        return _("from %(network)s") % {"network": network_label}
    if source == MetricSource.SANDBOX:
        return _("from the sandbox (sandbox data)")
    return str(MetricSource(source).label)


def _network_labels(workspace: Workspace) -> dict[int, str]:
    labels = {}
    for channel in channel_selectors.channels_in(workspace=workspace):
        try:
            labels[channel.pk] = _(registry.get(channel.connector_key).label)
        except registry.UnknownConnectorError:
            labels[channel.pk] = channel.connector_key
    return labels


CUBE_COLUMNS = ("channel_id", "campaign_id", "pillar_id", "mix_category", "metric", "source")


def period_cube(*, workspace: Workspace, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The period's rollups summed per channel × campaign × pillar × content kind × metric ×
    source, in one pass over the period's rows: the totals and every breakdown of a page are
    folded from it (``metric_totals(rows=…)``, ``breakdown(rows=…)``) instead of one pass
    each. Kept in the cache under the period's version (``_period_version``), so the pass is
    made once after the numbers change, not on every page view."""
    key = f"analytics:cube:{workspace.pk}:{start}:{end}:{_period_version(workspace, start, end)}"
    found = cache.get(key)
    if isinstance(found, list):
        return found
    rows = list(
        DailyRollup.objects.filter(workspace=workspace, day__gte=start, day__lte=end)
        .values(*CUBE_COLUMNS)
        .annotate(total=Sum("value"), last_day=Max("day"))
        .order_by()
    )
    cache.set(key, rows, timeout=24 * 3600)
    return rows


def _period_version(workspace: Workspace, start: dt.date, end: dt.date) -> str:
    """What changes whenever a day of the period is rolled up again: ``rollup_rebuild``
    replaces the day's ``ChannelDayTotal`` rows (new ids) with its rollups, so the newest id
    and the number of rows of the period (a few per channel and day) and their sum tell a
    change."""
    seen = ChannelDayTotal.objects.filter(
        workspace=workspace, day__gte=start, day__lte=end
    ).aggregate(newest=Max("id"), n=Count("id"), total=Sum("value"))
    return f"{seen['newest']}-{seen['n']}-{seen['total']}"


def metric_totals(
    *,
    workspace: Workspace,
    start: dt.date,
    end: dt.date,
    rows: list[dict[str, Any]] | None = None,
) -> list[MetricTotal]:
    """Each metric's total for the period (followers: the latest day's count), with where the
    numbers came from. ``rows``: the period's ``period_cube``, when the caller has it."""
    rows_list = rows if rows is not None else period_cube(workspace=workspace, start=start, end=end)
    labels = _network_labels(workspace)
    totals: dict[str, int] = defaultdict(int)
    provenance: dict[str, set[str]] = defaultdict(set)
    followers_day = max(
        (r["last_day"] for r in rows_list if r["metric"] == Metric.FOLLOWERS), default=None
    )
    for metric, source, channel_id in {
        (row["metric"], row["source"], row["channel_id"]) for row in rows_list
    }:
        provenance[metric].add(_provenance(source, labels.get(channel_id, "")))
    for row in rows_list:
        if row["metric"] != Metric.FOLLOWERS:
            totals[row["metric"]] += row["total"]
    if followers_day is not None:
        for channel_id, value in DailyRollup.objects.filter(
            workspace=workspace, metric=Metric.FOLLOWERS, day=followers_day
        ).values_list("channel_id", "value"):
            totals[Metric.FOLLOWERS] += value
            del channel_id
    return [
        MetricTotal(
            metric=metric.value,
            label=str(metric.label),
            value=totals[metric.value],
            provenance=sorted(provenance[metric.value]),
        )
        for metric in Metric
        if metric.value in provenance
    ]


def breakdown(
    *,
    workspace: Workspace,
    by: str,
    start: dt.date,
    end: dt.date,
    rows: list[dict[str, Any]] | None = None,
) -> list[BreakdownRow]:
    """Per channel, campaign, pillar, content kind or day: each count's increase in the period
    (followers are left out: they are a level, not a count of the period). ``rows``: the
    period's ``period_cube``, when the caller has it (not for ``day``)."""
    column = {"channel": "channel_id", "campaign": "campaign_id", "pillar": "pillar_id"}.get(by, by)
    if rows is None or by == "day":
        rows = list(
            DailyRollup.objects.filter(workspace=workspace, day__gte=start, day__lte=end)
            .exclude(metric=Metric.FOLLOWERS)
            .values(column, "metric")
            .annotate(total=Sum("value"))
        )
    names = _names(workspace, by)
    grouped: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["metric"] != Metric.FOLLOWERS:
            grouped[row[column]][row["metric"]] += row["total"]
    result = [
        BreakdownRow(key=key, name=names(key), values=dict(values))
        for key, values in grouped.items()
    ]
    if by == "day":
        return sorted(result, key=lambda r: str(r.key))
    return sorted(result, key=lambda r: -r.values.get(Metric.VIEWS, 0))


def _names(workspace: Workspace, by: str) -> Callable[[object], str]:
    none = str(_("None"))
    labels: dict[Any, str]
    if by == "channel":
        labels = {c.pk: c.label for c in channel_selectors.channels_in(workspace=workspace)}
    elif by == "campaign":
        labels = {c.pk: c.name for c in content_selectors.campaigns_of(workspace=workspace)}
    elif by == "pillar":
        labels = {p.id: p.name for p in strategy_selectors.pillars_for(workspace)}
    elif by == "mix_category":
        labels = {value: str(label) for value, label in MixCategory.choices}
    else:
        return lambda key: key.isoformat() if isinstance(key, dt.date) else str(key)
    return lambda key: labels.get(key, none) if key not in (None, "") else none


@dataclass(frozen=True)
class LinkRow:
    code: str
    url: str
    target_url: str
    channel: str
    post_id: int | None
    clicks: int
    visitors: int


def link_rows(*, workspace: Workspace, start: dt.date, end: dt.date) -> list[LinkRow]:
    """Short links with their clicks and daily unique visitors in the period (the salt
    changes every day, so distinct hashes are visitors per day, summed)."""
    from varde.analytics.links import short_url

    labels = {c.pk: c.label for c in channel_selectors.channels_in(workspace=workspace)}
    counted = {
        row["link_id"]: row
        for row in LinkClick.objects.filter(workspace=workspace, day__gte=start, day__lte=end)
        .values("link_id")
        .annotate(clicks=Count("id"), visitors=Count("visitor", distinct=True))
    }
    links = ShortLink.objects.filter(workspace=workspace).order_by("-created_at")[:200]
    return sorted(
        (
            LinkRow(
                code=link.code,
                url=short_url(link),
                target_url=link.target_url,
                channel=labels.get(link.channel_id or 0, ""),
                post_id=link.post_id,
                clicks=counted.get(link.pk, {}).get("clicks", 0),
                visitors=counted.get(link.pk, {}).get("visitors", 0),
            )
            for link in links
        ),
        key=lambda row: -row.clicks,
    )


def conversions_recent(*, workspace: Workspace) -> QuerySet[Conversion]:
    return Conversion.objects.filter(workspace=workspace).select_related("link")[:50]


def conversions_between(
    *, workspace: Workspace, start: dt.date, end: dt.date
) -> QuerySet[Conversion]:
    return Conversion.objects.filter(workspace=workspace, day__gte=start, day__lte=end).order_by(
        "day", "pk"
    )


def conversion_totals(*, workspace: Workspace, start: dt.date, end: dt.date) -> dict[str, Any]:
    rows = (
        Conversion.objects.filter(workspace=workspace, day__gte=start, day__lte=end)
        .values("kind")
        .annotate(n=Count("id"), revenue=Sum("value"))
    )
    return {row["kind"]: row for row in rows}


def has_sandbox_data(*, workspace: Workspace) -> bool:
    return DailyRollup.objects.filter(workspace=workspace, source=MetricSource.SANDBOX).exists()


@dataclass(frozen=True)
class FollowerRow:
    channel_id: int
    name: str
    at_start: int | None  # the last count before the period, else its first
    at_end: int
    series: list[tuple[dt.date, int]]  # the counts in the period, by day

    @property
    def change(self) -> int | None:
        return None if self.at_start is None else self.at_end - self.at_start


FOLLOWERS_LOOKBACK_DAYS = 31


def followers_by_channel(
    *, workspace: Workspace, start: dt.date, end: dt.date
) -> list[FollowerRow]:
    """Each channel's followers over the period from the daily rollups (the numbers the
    dashboard's total adds up), with the count just before it to measure the growth."""
    rows = (
        DailyRollup.objects.filter(
            workspace=workspace,
            metric=Metric.FOLLOWERS,
            day__gte=start - dt.timedelta(days=FOLLOWERS_LOOKBACK_DAYS),
            day__lte=end,
        )
        .values("channel_id", "day")
        .annotate(total=Sum("value"))
        .order_by("channel_id", "day")
    )
    before: dict[int, int] = {}
    during: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for row in rows:
        if row["day"] < start:
            before[row["channel_id"]] = row["total"]
        else:
            during[row["channel_id"]].append((row["day"], row["total"]))
    names = _names(workspace, "channel")
    return [
        FollowerRow(
            channel_id=channel_id,
            name=names(channel_id),
            at_start=before.get(channel_id, series[0][1]),
            at_end=series[-1][1],
            series=series,
        )
        for channel_id, series in sorted(during.items(), key=lambda item: names(item[0]))
    ]


def link_clicks_total(*, workspace: Workspace, start: dt.date, end: dt.date) -> dict[str, int]:
    """Clicks on the short links in the period and their visitors, summed over the links as
    ``link_rows`` counts them (the links page's numbers)."""
    per_link = (
        LinkClick.objects.filter(workspace=workspace, day__gte=start, day__lte=end)
        .values("link_id")
        .annotate(clicks=Count("id"), visitors=Count("visitor", distinct=True))
    )
    clicks = visitors = 0
    for row in per_link:
        clicks += row["clicks"]
        visitors += row["visitors"]
    return {"clicks": clicks, "visitors": visitors}


# --- Best time, as a hint for the composer ------------------------------------------------------


@dataclass(frozen=True)
class BestTimeHint:
    """The channel's best slot so far, for the composer to show beside the plan's next free
    slot: a hint, never a change of the plan."""

    weekday: str
    hours: str
    score: float
    posts: int
    slot_matches: bool  # the slot offered falls in this day and block


def best_time_hint(
    *, channel: ConnectedAccount, when: dt.datetime, today: dt.date
) -> BestTimeHint | None:
    """The best tried slot of the channel's own history (``best_time``), or None where there
    is not enough history to rank (its minimum) or no slot did better than usual. ``when``:
    the slot the composer offers, in the workspace's time zone."""
    from varde.analytics import best_time

    zone = best_time.zone_of(channel.workspace.timezone)
    result = best_time.best_times(channel=channel, zone=zone, today=today)
    best = next((s for s in result.suggestions if not s.untried and s.score), None)
    if best is None or best.score is None:
        return None
    local = when.astimezone(zone)
    return BestTimeHint(
        weekday=best_time.weekday_name(best.weekday),
        hours=best_time.block_label(best.block),
        score=round(best.score, 1),
        posts=best.posts,
        slot_matches=(local.weekday(), local.hour // best_time.BLOCK_HOURS)
        == (best.weekday, best.block),
    )
