"""Charts as Vega-Lite specs built with Altair: one definition, drawn in the page by the
vendored vega-embed (``lib/static/lib/charts/charts.js``) and rendered to SVG by vl-convert for
documents. Every chart has a table beside it for screen readers (the templates)."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from varde.analytics.goals import GoalProgress


def goal_chart(progress: GoalProgress) -> dict[str, Any]:
    """Actual against target over time, the forecast or pace line to the deadline, and the
    pace needed from today to reach the target."""
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
    spec: dict[str, Any] = json.loads(
        _goal_template((actual_label, ahead_label, needed_label), goal.target is not None)
    )
    spec["title"] = goal.title
    spec["description"] = _("Actual against target for the goal %(goal)s") % {"goal": goal.title}
    lines = spec["layer"][0]
    lines["data"] = {"values": rows}
    lines["encoding"]["y"]["title"] = str(goal.metric_label)
    if goal.target is not None:
        spec["layer"][1]["data"] = {"values": [{"target": float(goal.target)}]}
    return spec


@functools.lru_cache(maxsize=64)
def _goal_template(labels: tuple[str, str, str], with_target: bool) -> str:
    """The goal chart's spec without its numbers and titles, built with Altair once per
    language and shape: Altair validates every object it builds (about 0.3 s a chart), and
    only the data, the title and the axis title differ from one goal to the next."""
    import altair as alt

    lines = (
        alt.Chart(alt.NamedData(name="rows"))
        .mark_line(point=False)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("value:Q", title="", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(labels), range=["#1f5f8b", "#7a9cc6", "#b5651d"]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(labels), range=[[1, 0], [6, 4], [2, 3]]),
                legend=None,
            ),
        )
    )
    layers: list[Any] = [lines]
    if with_target:
        layers.append(
            alt.Chart(alt.NamedData(name="target")).mark_rule(color="#2e7d32").encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(width="container", height=220, title="", description="")
    return json.dumps(chart.to_dict())


def metric_chart(*, title: str, rows: list[dict[str, Any]], y_title: str) -> dict[str, Any]:
    """A daily stacked bar chart (``rows``: {"date", "value", "series"})."""
    spec: dict[str, Any] = json.loads(_metric_template())
    spec["data"] = {"values": rows}
    spec["title"] = title
    spec["encoding"]["y"]["title"] = y_title
    return spec


@functools.lru_cache(maxsize=1)
def _metric_template() -> str:
    """The bar chart's spec without numbers and titles, built with Altair once (as
    ``_goal_template``)."""
    import altair as alt

    chart = (
        alt.Chart(alt.NamedData(name="rows"))
        .mark_bar()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("sum(value):Q", title=""),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width="container", height=200, title="")
    )
    return json.dumps(chart.to_dict())


def line_chart(*, title: str, rows: list[dict[str, Any]], y_title: str) -> dict[str, Any]:
    """A daily line per series (``rows``: {"date", "value", "series"}), e.g. followers per
    channel."""
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_line()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        )
        .properties(width="container", height=200, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


# The bokmål number and date format, the same as lib/static/lib/charts/charts.js uses in the page.
NB_NUMBER = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
NB_SHORT_MONTHS = (
    "jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.",
)  # fmt: skip
NB_TIME = {
    "dateTime": "%A %e. %B %Y kl. %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["", ""],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
    "months": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "shortMonths": list(NB_SHORT_MONTHS),
}
# Charts in documents are set in the documents' own font (the only one they ship).
DOCUMENT_FONT = "Libertinus Serif"


def to_svg(spec: dict[str, Any], *, language: str = "en") -> str:
    """The same chart as SVG, for PDF reports and e-mail (no browser involved): vl-convert
    carries Vega in its own wheel, so nothing is fetched. In bokmål, with the bokmål number and
    date format (decimal comma, "7. des."), as the page draws it."""
    import vl_convert

    fixed = dict(spec)
    if fixed.get("width") == "container":
        fixed["width"] = 560
    config = {"font": DOCUMENT_FONT, **dict(fixed.get("config") or {})}
    config.setdefault("axis", {"labelFontSize": 10, "titleFontSize": 10})
    config.setdefault("title", {"fontSize": 12})
    config.setdefault(
        "axisTemporal", {"format": "%e. %b" if language.startswith("nb") else "%e %b"}
    )
    if language.startswith("nb"):
        config["timeFormat"] = "%e. %b"
        fixed["config"] = config
        return str(
            vl_convert.vegalite_to_svg(fixed, format_locale=NB_NUMBER, time_format_locale=NB_TIME)
        )
    fixed["config"] = config
    return str(vl_convert.vegalite_to_svg(fixed))
