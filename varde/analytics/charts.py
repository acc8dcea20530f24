"""Analytics' charts as Vega-Lite specs built with Altair: one definition, drawn in the page by
the vendored vega-embed and rendered to SVG by vl-convert for documents (``varde.lib.charts``,
shared with listening). Every chart has a table beside it for screen readers (the templates)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from varde.lib.charts import to_svg

__all__ = ["goal_chart", "metric_chart", "to_svg"]

if TYPE_CHECKING:
    from varde.analytics.goals import GoalProgress


def goal_chart(progress: GoalProgress) -> dict[str, Any]:
    """Actual against target over time, the forecast or pace line to the deadline, and the
    pace needed from today to reach the target."""
    import altair as alt

    actual_label, ahead_label, needed_label = _("Actual"), _("Forecast"), _("Pace needed")
    if progress.outlook.method == "pace":
        ahead_label = _("Pace kept so far")
    rows: list[dict[str, Any]] = [
        {"date": day.isoformat(), "value": value, "series": actual_label}
        for day, value in progress.series
    ]
    rows += [
        {"date": day.isoformat(), "value": value, "series": ahead_label}
        for day, value in progress.outlook.points
    ]
    goal = progress.goal
    if progress.series and goal.target is not None and goal.deadline is not None:
        last_day, last = progress.series[-1]
        rows += [
            {"date": last_day.isoformat(), "value": last, "series": needed_label},
            {
                "date": goal.deadline.isoformat(),
                "value": float(goal.target),
                "series": needed_label,
            },
        ]
    lines = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_line(point=False)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("value:Q", title=goal.metric_label, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[actual_label, ahead_label, needed_label],
                    range=["#1f5f8b", "#7a9cc6", "#b5651d"],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(
                    domain=[actual_label, ahead_label, needed_label],
                    range=[[1, 0], [6, 4], [2, 3]],
                ),
                legend=None,
            ),
        )
    )
    layers: list[Any] = [lines]
    if goal.target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": float(goal.target)}]))  # type: ignore[no-untyped-call]
            .mark_rule(color="#2e7d32")
            .encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(
        width="container",
        height=220,
        title=goal.title,
        description=_("Actual against target for the goal %(goal)s") % {"goal": goal.title},
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def metric_chart(*, title: str, rows: list[dict[str, Any]], y_title: str) -> dict[str, Any]:
    """A daily bar chart (``rows``: {"date", "value", "series"})."""
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("sum(value):Q", title=y_title),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width="container", height=200, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
