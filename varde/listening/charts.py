"""The listening charts as Vega-Lite specs (Altair), drawn by ``varde.lib.charts``' page script.

Each builder takes rows the view has made, with fixed field names: ``at`` (a day or hour as
the workspace's wall time written as UTC, drawn on a UTC scale so every browser shows the
same day), ``series``, ``count``/``share``, ``label`` (what a screen reader hears for the
mark) and ``link`` (the drill-down to the mentions behind the mark). Names of queries,
authors and words from the internet are data values only, never field names or markup.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from varde.lib.charts import template_of, with_rows

SENTIMENT_COLOURS = {
    "positive": "#2e7d32",
    "neutral": "#8a8f98",
    "negative": "#c62828",
    "": "#c9ccd1",
}
HEIGHT = 220


def _time_axis(*, hourly: bool, nb: bool) -> Any:
    import altair as alt

    day_format = "%e. %b" if nb else "%b %e"
    return alt.Axis(
        title=None,
        format="%H:%M" if hourly else day_format,
        labelOverlap=True,
        grid=False,
    )


def _utc_datetime(at: str, plus: dt.timedelta | None = None) -> dict[str, Any]:
    """A bucket's ``at`` (plus ``plus``) as a Vega-Lite DateTime on the UTC scale."""
    moment = dt.datetime.fromisoformat(at) + (plus or dt.timedelta(0))
    return {
        "year": moment.year,
        "month": moment.month,
        "date": moment.day,
        "hours": moment.hour,
        "utc": True,
    }


def volume_chart(rows: list[dict[str, Any]], *, hourly: bool, nb: bool) -> dict[str, Any]:
    """Mentions per day (or hour) and query: a line per query, a point per bucket."""
    return with_rows(_volume_template(hourly, nb, get_language()), rows)


@lru_cache(maxsize=16)
def _volume_template(hourly: bool, nb: bool, language: str) -> str:
    import altair as alt

    unit: Literal["utcyearmonthdatehours", "utcyearmonthdate"] = (
        "utcyearmonthdatehours" if hourly else "utcyearmonthdate"
    )
    base = alt.Chart(alt.Data(values=[])).encode(  # type: ignore[no-untyped-call]
        x=alt.X("at:T", timeUnit=unit, axis=_time_axis(hourly=hourly, nb=nb)),
        y=alt.Y("count:Q", title=_("Mentions"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color(
            "series:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=160)
        ),
    )
    lines = base.mark_line()
    points = base.mark_point(filled=True, size=60, cursor="pointer").encode(
        description=alt.Description("label:N")
    )
    chart = alt.layer(lines, points).properties(
        width="container",
        height=HEIGHT,
        description=_("Mentions per hour and query") if hourly else _("Mentions per day and query"),
    )
    return template_of(chart)


def sentiment_chart(
    rows: list[dict[str, Any]],
    *,
    hourly: bool,
    nb: bool,
    labels: dict[str, str],
    span: tuple[str, str],
) -> dict[str, Any]:
    """Mentions per day (or hour) stacked by sentiment; ``labels``: sentiment value → name;
    ``span``: the first and last bucket (``at``), so the axis covers the whole period."""
    spec = with_rows(_sentiment_template(hourly, nb, tuple(labels.items()), get_language()), rows)
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)
    spec["encoding"]["x"]["scale"] = {
        "domain": [_utc_datetime(span[0]), _utc_datetime(span[1], step)]
    }
    return spec


@lru_cache(maxsize=16)
def _sentiment_template(
    hourly: bool, nb: bool, labels: tuple[tuple[str, str], ...], language: str
) -> str:
    import altair as alt

    unit: Literal["utcyearmonthdatehours", "utcyearmonthdate"] = (
        "utcyearmonthdatehours" if hourly else "utcyearmonthdate"
    )
    chart = (
        alt.Chart(alt.Data(values=[]))  # type: ignore[no-untyped-call]
        .mark_bar(cursor="pointer")
        .encode(
            x=alt.X("at:T", timeUnit=unit, axis=_time_axis(hourly=hourly, nb=nb)),
            y=alt.Y("count:Q", title=_("Mentions"), stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[name for _key, name in labels],
                    range=[SENTIMENT_COLOURS.get(key, "#999999") for key, _name in labels],
                ),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            order=alt.Order("rank:Q"),
            description=alt.Description("label:N"),
        )
        .properties(
            width="container",
            height=HEIGHT,
            description=_("Mentions per hour by sentiment")
            if hourly
            else _("Mentions per day by sentiment"),
        )
    )
    return template_of(chart)


def bar_chart(rows: list[dict[str, Any]], *, value: str, description: str) -> dict[str, Any]:
    """Horizontal bars, largest first: share of voice (``value="share"``) or a top list
    (``value="count"``); ``series`` names each bar."""
    height = max(22 * len({row["series"] for row in rows}), 44)
    return with_rows(
        _bar_template(value, get_language()), rows, height=height, description=description
    )


@lru_cache(maxsize=16)
def _bar_template(value: str, language: str) -> str:
    import altair as alt

    share = value == "share"
    x_axis = alt.Axis(format=".0%", tickCount=5) if share else alt.Axis(format="d", tickMinStep=1)
    bars = (
        alt.Chart(alt.Data(values=[]))  # type: ignore[no-untyped-call]
        .mark_bar(cursor="pointer", color="#1f5f8b")
        .encode(
            x=alt.X(f"{value}:Q", title=_("Share") if share else _("Mentions"), axis=x_axis),
            y=alt.Y(
                "series:N",
                title=None,
                sort=alt.EncodingSortField(field=value, order="descending"),
                axis=alt.Axis(labelLimit=140),
            ),
            description=alt.Description("label:N"),
        )
        .properties(
            width="container",
            height=44,
        )
    )
    return template_of(bars)
