"""Issue 14 item 10: the dashboards read rollups, in a number of queries that does not grow
with the history, the goals or the channels (bench/analytics.py measures the time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varde.analytics import charts, goals
from varde.analytics.choices import Metric
from varde.analytics.daily import sandbox_history_seed
from varde.analytics.models import ChannelDayTotal, DailyRollup
from varde.analytics.tests.test_tracking_and_goals import _goal, _sandbox_published
from varde.sandbox.services import sandbox_channel_create


def _overview_queries(client, workspace) -> int:
    url = reverse("analytics:overview", kwargs={"workspace": workspace.slug})
    client.get(url)  # the session and the first-request lookups
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_overview_query_count_does_not_grow_with_history_or_channels(client, workspace, owner):
    _sandbox_published(workspace, owner)
    sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=10)
    _goal(workspace, target=Decimal(50000))
    _goal(workspace, title="Reach", metric="reach", target=Decimal(10**6))
    client.force_login(owner)
    small = _overview_queries(client, workspace)
    assert small <= 30
    sandbox_channel_create(workspace=workspace, actor=owner, stands_in_for="linkedin")
    sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=40)
    assert _overview_queries(client, workspace) == small


def test_channel_day_totals_are_the_rollups_summed(workspace, owner):
    _sandbox_published(workspace, owner)
    sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=10)
    rolled = dict(
        DailyRollup.objects.filter(workspace=workspace)
        .values_list("metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    totals = dict(
        ChannelDayTotal.objects.filter(workspace=workspace)
        .values_list("metric")
        .annotate(n=Sum("value"))
        .order_by()
    )
    assert rolled
    assert totals == rolled
    assert Metric.FOLLOWERS in totals


def test_rolling_sum_is_the_window_sum():
    start = dt.date(2026, 1, 1)
    per_day = {start + dt.timedelta(days=n): float(n % 7) for n in range(0, 90, 2)}
    end = start + dt.timedelta(days=100)
    for day, total in goals._rolling(per_day, start, end):
        expected = sum(
            per_day.get(day - dt.timedelta(days=i), 0.0) for i in range(goals.WINDOW_DAYS)
        )
        assert total == expected


def test_goal_chart_spec_is_valid_vega_lite(workspace, owner):
    """The spec is built from a cached template; Altair still accepts it as Vega-Lite."""
    import altair as alt

    _sandbox_published(workspace, owner)
    sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=10)
    _goal(workspace, target=Decimal(50000))
    [progress] = goals.goals_progress(workspace=workspace, today=timezone.localdate())
    spec = charts.goal_chart(progress)
    alt.Chart.from_dict(spec) if "layer" not in spec else alt.LayerChart.from_dict(spec)
    assert spec["title"] == progress.goal.title
    assert spec["layer"][0]["data"]["values"][0]["series"] == "Actual"
    assert spec["layer"][1]["data"]["values"] == [{"target": 50000.0}]


def test_period_sums_are_read_again_when_a_day_is_rolled_up_again(workspace, owner):
    from varde.analytics import selectors
    from varde.analytics.daily import rollup_rebuild
    from varde.analytics.models import DailyMetric

    _sandbox_published(workspace, owner)
    today = timezone.localdate()
    sandbox_history_seed(workspace=workspace, today=today, days=10)
    start = today - dt.timedelta(days=29)

    def views() -> int:
        cube = selectors.period_cube(workspace=workspace, start=start, end=today)
        return sum(row["total"] for row in cube if row["metric"] == Metric.VIEWS)

    before = views()
    row = DailyMetric.objects.filter(workspace=workspace, metric=Metric.VIEWS, day=today).first()
    assert row is not None
    DailyMetric.objects.filter(pk=row.pk).update(value=row.value + 1000)
    rollup_rebuild(workspace_id=workspace.pk, day=today)
    assert views() == before + 1000
