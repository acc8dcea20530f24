"""Every table of the Analytics area as CSV, from the same selectors the pages read.

One registry (``TABLES``), used by the download links on the pages and by
``varde analytics export``, so a table on screen and its file never disagree. Written with
``lib.tables.write_csv`` (quoted, formula-safe for Excel's ";" and tab readers). Headings are in
the active language; numbers are plain (a dot for decimals) so spreadsheets read them as numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.analytics import goals, selectors
from varde.analytics.choices import Metric
from varde.lib.tables import write_csv

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from varde.accounts.models import Workspace

Rows = Iterable[Iterable[object]]
# The columns of the per-channel, campaign, pillar and kind tables, on the page and in the file.
BREAKDOWN_METRICS = (Metric.VIEWS, Metric.LIKES, Metric.REPOSTS, Metric.REPLIES, Metric.CLICKS)


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    rows: Callable[[Workspace, dt.date, dt.date], Rows]


def _plain(value: object) -> object:
    return "" if value is None else value


def _goals(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
    yield [
        _("Goal"),
        _("Metric"),
        _("Baseline"),
        _("Target"),
        _("Deadline"),
        _("Now"),
        _("Forecast at the deadline"),
        _("Chance"),
        _("Status"),
    ]
    for progress in goals.goals_progress(workspace=workspace, today=end):
        goal, outlook = progress.goal, progress.outlook
        yield [
            goal.title,
            goal.metric,
            _plain(goal.baseline),
            _plain(goal.target),
            goal.deadline.isoformat() if goal.deadline else "",
            _plain(progress.actual),
            _plain(outlook.at_deadline),
            _plain(outlook.chance),
            outlook.status,
        ]


def _totals(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
    yield [_("Metric"), _("Total"), _("Where the numbers come from")]
    for total in selectors.metric_totals(workspace=workspace, start=start, end=end):
        yield [total.label, total.value, "; ".join(total.provenance)]


def _breakdown(by: str, heading: str | Promise) -> Callable[[Workspace, dt.date, dt.date], Rows]:
    def rows(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
        yield [str(heading), *[str(metric.label) for metric in BREAKDOWN_METRICS]]
        cube = (
            None
            if by == "day"
            else selectors.period_cube(workspace=workspace, start=start, end=end)
        )
        for row in selectors.breakdown(workspace=workspace, by=by, start=start, end=end, rows=cube):
            yield [row.name, *[row.values.get(metric, 0) for metric in BREAKDOWN_METRICS]]

    return rows


def _followers(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
    """The reports' audience table: each channel's followers at the start and the end."""
    yield [_("Channel"), _("At the start"), _("At the end"), _("Change")]
    for row in selectors.followers_by_channel(workspace=workspace, start=start, end=end):
        yield [row.name, _plain(row.at_start), row.at_end, _plain(row.change)]


def _links(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
    yield [_("Short link"), _("Goes to"), _("Channel"), _("Clicks"), _("Visitors")]
    for link in selectors.link_rows(workspace=workspace, start=start, end=end):
        yield [link.url, link.target_url, link.channel, link.clicks, link.visitors]


def _conversions(workspace: Workspace, start: dt.date, end: dt.date) -> Rows:
    yield [_("Date"), _("What"), _("Revenue"), _("Currency"), _("How it arrived"), _("Note")]
    for conversion in selectors.conversions_between(workspace=workspace, start=start, end=end):
        yield [
            conversion.day.isoformat(),
            conversion.get_kind_display(),
            _plain(conversion.value),
            conversion.currency,
            conversion.get_source_display(),
            conversion.note,
        ]


TABLES: dict[str, Table] = {
    table.key: table
    for table in (
        Table("goals", gettext_lazy("Goals"), _goals),
        Table("totals", gettext_lazy("Totals"), _totals),
        Table(
            "channels",
            gettext_lazy("Per channel"),
            _breakdown("channel", gettext_lazy("Channel")),
        ),
        Table(
            "campaigns",
            gettext_lazy("Per campaign"),
            _breakdown("campaign", gettext_lazy("Campaign")),
        ),
        Table(
            "pillars",
            gettext_lazy("Per pillar"),
            _breakdown("pillar", gettext_lazy("Content pillar")),
        ),
        Table(
            "content-kinds",
            gettext_lazy("Per content kind"),
            _breakdown("mix_category", gettext_lazy("Kind of content")),
        ),
        Table("days", gettext_lazy("Per day"), _breakdown("day", gettext_lazy("Date"))),
        Table("followers", gettext_lazy("Followers"), _followers),
        Table("links", gettext_lazy("Links"), _links),
        Table("conversions", gettext_lazy("Conversions"), _conversions),
    )
}


def export_csv(*, workspace: Workspace, key: str, start: dt.date, end: dt.date) -> str:
    """The table as CSV text; ``KeyError`` for a table that does not exist."""
    table = TABLES[key]
    return write_csv(table.rows(workspace, start, end))


def export_filename(*, workspace: Workspace, key: str, start: dt.date, end: dt.date) -> str:
    return f"varde-{workspace.slug}-{key}-{start.isoformat()}-{end.isoformat()}.csv"


def default_period(days: int = 30) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=days - 1), today
