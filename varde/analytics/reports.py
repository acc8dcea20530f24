"""Reports: a week's or a month's numbers as a branded PDF and an e-mail summary (issue 14,
item 7).

A report is the chosen sections, always in the same order (``ReportSection``), each read from
the selectors the dashboards read (rollups, the goals, the inbox's clock, the links page), so a
report and the pages never disagree. Charts are the dashboards' Vega-Lite specs rendered to SVG
by vl-convert (``charts.to_svg``) and set by the document engine (``varde.lib.documents``,
typst). Numbers and dates in the report's language: in bokmål a decimal comma and "7. des.".
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from varde.analytics import adherence, charts, goals, selectors
from varde.analytics.choices import ENGAGEMENT_METRICS, Metric, ReportSection
from varde.inbox import selectors as inbox_selectors
from varde.inbox import sla
from varde.leads import selectors as leads_selectors
from varde.lib import documents as doc
from varde.lib.timeutil import local_to_utc
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.analytics.report_period import Period

SECTION_ORDER = tuple(section.value for section in ReportSection)
DEFAULT_COLOUR = "#1f5f8b"
GOAL_CHARTS = 4
TOP_POSTS = 5


# --- Numbers and dates in the report's language -----------------------------------------------


def number(value: float | Decimal | None, decimals: int = 0) -> str:
    """``1 234,5`` in bokmål, ``1,234.5`` in English; a dash for no number."""
    if value is None:
        return "–"
    return str(
        formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    )


def percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return _("%(number)s %%") % {"number": number(value, decimals)}


def signed(value: int | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number(value)


def short_date(day: dt.date) -> str:
    """``7. des.`` in bokmål, ``7 Dec`` in English."""
    if translation.get_language() and str(translation.get_language()).startswith("nb"):
        return f"{day.day}. {charts.NB_SHORT_MONTHS[day.month - 1]}"
    return f"{day.day} {day:%b}"


def period_label(period: Period) -> str:
    if period.cadence == "weekly":
        return _("Week %(week)s, %(year)s (%(start)s–%(end)s)") % {
            "week": period.start.isocalendar()[1],
            "year": period.start.isocalendar()[0],
            "start": short_date(period.start),
            "end": short_date(period.end),
        }
    return str(formats.date_format(period.start, "F Y"))


# --- The report -----------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    blocks: list[doc.Block]
    key_numbers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    workspace: Workspace
    period: Period
    language: str
    start_utc: dt.datetime
    end_utc: dt.datetime  # exclusive
    today: dt.date


@dataclass
class Report:
    title: str
    period_label: str
    sections: list[Section]
    sandbox: bool
    language: str
    document: doc.Document

    def summary(self) -> str:
        """The key numbers as plain text, for the e-mail's body."""
        lines = [f"{self.title}: {self.period_label}", ""]
        if self.sandbox:
            lines += [sandbox_notice(), ""]
        for section in self.sections:
            if not section.key_numbers:
                continue
            lines.append(section.title)
            lines += [f"  {label}: {value}" for label, value in section.key_numbers]
        return "\n".join(lines).rstrip() + "\n"


def sandbox_notice() -> str:
    return _(
        "Sandbox data: some numbers in this report come from Varde's sandbox, made up to show "
        "how a report looks. They were not read from a network."
    )


def _chart(spec: dict[str, object], caption: str, ctx: Context) -> doc.Image:
    return doc.Image(svg=charts.to_svg(spec, language=ctx.language), caption=caption)


# --- Sections -----------------------------------------------------------------------------


def _goals(ctx: Context) -> Section:
    title = str(ReportSection.GOALS.label)
    progress = goals.goals_progress(workspace=ctx.workspace, today=min(ctx.period.end, ctx.today))
    if not progress:
        return Section("goals", title, [doc.Para(_("The plan has no active goals."))])
    rows = tuple(
        (
            p.goal.title,
            number(p.actual, 2 if p.goal.metric == "engagement_rate" else 0),
            number(None if p.goal.target is None else float(p.goal.target)),
            short_date(p.goal.deadline) + f" {p.goal.deadline.year}" if p.goal.deadline else "–",
            number(p.outlook.at_deadline),
            percent(None if p.outlook.chance is None else p.outlook.chance * 100),
            p.status_label,
        )
        for p in progress
    )
    headers = (_("Goal"), _("Now"), _("Target"), _("Deadline"), _("Forecast"), _("Chance"))
    blocks: list[doc.Block] = [doc.Table(headers=(*headers, _("Status")), rows=rows)]
    for p in [p for p in progress if p.series][:GOAL_CHARTS]:
        blocks.append(_chart(charts.goal_chart(p), p.goal.title, ctx))
    on_track = sum(1 for p in progress if p.outlook.status in {"on_track", "reached"})
    key = [(_("Goals on track or reached"), f"{on_track} / {len(progress)}")]
    return Section("goals", title, blocks, key)


def _audience(ctx: Context) -> Section:
    title = str(ReportSection.AUDIENCE.label)
    period = ctx.period
    rows = selectors.followers_by_channel(
        workspace=ctx.workspace, start=period.start, end=period.end
    )
    if not rows:
        return Section("audience", title, [doc.Para(_("No follower counts in this period."))])
    total_end = sum(r.at_end for r in rows)
    total_change = sum(r.change or 0 for r in rows)
    table = doc.Table(
        headers=(_("Channel"), _("At the start"), _("At the end"), _("Change")),
        rows=(
            *((r.name, number(r.at_start), number(r.at_end), signed(r.change)) for r in rows),
            (
                _("All channels"),
                number(total_end - total_change),
                number(total_end),
                signed(total_change),
            ),
        ),
    )
    spec = charts.line_chart(
        title=_("Followers"),
        rows=[
            {"date": day.isoformat(), "value": value, "series": r.name}
            for r in rows
            for day, value in r.series
        ],
        y_title=_("Followers"),
    )
    key = [(_("Followers"), number(total_end)), (_("Change"), signed(total_change))]
    return Section("audience", title, [table, _chart(spec, _("Followers per day"), ctx)], key)


def _totals(ctx: Context) -> dict[str, selectors.MetricTotal]:
    period = ctx.period
    return {
        t.metric: t
        for t in selectors.metric_totals(
            workspace=ctx.workspace, start=period.start, end=period.end
        )
    }


def _provenance(total: selectors.MetricTotal | None) -> str:
    if total is None or not total.provenance:
        return ""
    return _("Where the numbers come from: %(sources)s.") % {"sources": ", ".join(total.provenance)}


def _daily_rows(ctx: Context, metrics: Sequence[str]) -> list[dict[str, object]]:
    days = selectors.breakdown(
        workspace=ctx.workspace, by="day", start=ctx.period.start, end=ctx.period.end
    )
    labels = {m.value: str(m.label) for m in Metric}
    return [
        {"date": row.name, "value": row.values.get(metric, 0), "series": labels[metric]}
        for row in days
        for metric in metrics
    ]


def _channels(ctx: Context) -> list[selectors.BreakdownRow]:
    return selectors.breakdown(
        workspace=ctx.workspace, by="channel", start=ctx.period.start, end=ctx.period.end
    )


def _reach(ctx: Context) -> Section:
    title = str(ReportSection.REACH.label)
    views = _totals(ctx).get(Metric.VIEWS)
    if views is None:
        return Section("reach", title, [doc.Para(_("No views in this period."))])
    table = doc.Table(
        headers=(_("Channel"), _("Views")),
        rows=tuple((row.name, number(row.values.get(Metric.VIEWS, 0))) for row in _channels(ctx)),
    )
    blocks: list[doc.Block] = [
        doc.Pairs(((_("Views"), number(views.value)),)),
        doc.Para(_provenance(views)),
        table,
    ]
    daily = [row for row in _daily_rows(ctx, [Metric.VIEWS]) if row["value"]]
    if daily:
        spec = charts.metric_chart(title=_("Views per day"), rows=daily, y_title=_("Views"))
        blocks.append(_chart(spec, _("Views per day"), ctx))
    return Section("reach", title, blocks, [(_("Views"), number(views.value))])


def _engaged(values: dict[str, int]) -> int:
    return sum(values.get(metric, 0) for metric in ENGAGEMENT_METRICS)


def _rate(engaged: int, views: int) -> float | None:
    return engaged / views * 100 if views else None


def _engagement(ctx: Context) -> Section:
    title = str(ReportSection.ENGAGEMENT.label)
    totals = _totals(ctx)
    engaged = sum(totals[m].value for m in ENGAGEMENT_METRICS if m in totals)
    views = totals[Metric.VIEWS].value if Metric.VIEWS in totals else 0
    rate = _rate(engaged, views)
    labels = [str(Metric(m).label) for m in ENGAGEMENT_METRICS]
    table = doc.Table(
        headers=(_("Channel"), *labels, _("Engagement rate")),
        rows=tuple(
            (
                row.name,
                *(number(row.values.get(m, 0)) for m in ENGAGEMENT_METRICS),
                percent(_rate(_engaged(row.values), row.values.get(Metric.VIEWS, 0))),
            )
            for row in _channels(ctx)
        ),
    )
    pairs = doc.Pairs(
        (
            (_("Engagement"), number(engaged)),
            (_("Engagement rate"), percent(rate)),
        )
    )
    note = doc.Para(
        _(
            "Engagement is likes, shares, comments and quotes; the rate is engagement per "
            "view, computed by Varde."
        )
    )
    blocks: list[doc.Block] = [pairs, note, table]
    daily = [row for row in _daily_rows(ctx, ENGAGEMENT_METRICS) if row["value"]]
    if daily:
        spec = charts.metric_chart(
            title=_("Engagement per day"), rows=daily, y_title=_("Engagement")
        )
        blocks.append(_chart(spec, _("Engagement per day"), ctx))
    key = [(_("Engagement"), number(engaged)), (_("Engagement rate"), percent(rate))]
    return Section("engagement", title, blocks, key)


@dataclass(frozen=True)
class PostRow:
    text: str
    channel: str
    published: dt.date
    views: int | None
    engagement: int


def _post_rows(ctx: Context) -> list[PostRow]:
    deliveries = list(
        publishing_selectors.deliveries_in(workspace=ctx.workspace)
        .filter(
            state=DeliveryState.PUBLISHED,
            published_at__gte=ctx.start_utc,
            published_at__lt=ctx.end_utc,
        )
        .select_related("post", "channel")
    )
    latest = selectors.latest_metrics(
        workspace=ctx.workspace, delivery_ids=[d.pk for d in deliveries]
    )
    zone = adherence._zone(ctx.workspace.timezone)
    rows = []
    for delivery in deliveries:
        snapshot = latest.get(delivery.pk)
        if snapshot is None or delivery.published_at is None:
            continue
        text = " ".join((delivery.post.title or delivery.post.text).split())
        rows.append(
            PostRow(
                text=text if len(text) <= 90 else text[:89] + "…",
                channel=delivery.channel.label,
                published=delivery.published_at.astimezone(zone).date(),
                views=snapshot.views,
                engagement=snapshot.likes + snapshot.reposts + snapshot.replies + snapshot.quotes,
            )
        )
    return sorted(rows, key=lambda r: (-r.engagement, r.published))


def _post_table(rows: Sequence[PostRow]) -> doc.Table:
    return doc.Table(
        headers=(_("Post"), _("Channel"), _("Published"), _("Views"), _("Engagement")),
        rows=tuple(
            (r.text, r.channel, short_date(r.published), number(r.views), number(r.engagement))
            for r in rows
        ),
    )


def _posts(ctx: Context) -> Section:
    title = str(ReportSection.POSTS.label)
    rows = _post_rows(ctx)
    if not rows:
        return Section("posts", title, [doc.Para(_("No posts with numbers in this period."))])
    blocks: list[doc.Block] = [
        doc.Para(_("Each post's counts as last read (a post's lifetime, not only this period).")),
        doc.Heading(3, _("Best")),
        _post_table(rows[:TOP_POSTS]),
    ]
    bottom = rows[TOP_POSTS:][-TOP_POSTS:]
    if bottom:
        blocks += [doc.Heading(3, _("Weakest")), _post_table(list(reversed(bottom)))]
    return Section("posts", title, blocks, [(_("Posts with numbers"), number(len(rows)))])


def _publishing(ctx: Context) -> Section:
    title = str(ReportSection.PUBLISHING.label)
    result = adherence.published_in(workspace=ctx.workspace, start=ctx.start_utc, end=ctx.end_utc)
    weeks = ctx.period.days / 7
    channels = doc.Table(
        headers=(_("Channel of the plan"), _("Published"), _("Planned")),
        rows=tuple(
            (
                c.name,
                number(c.posts),
                number(None if c.planned_per_week is None else float(c.planned_per_week) * weeks),
            )
            for c in result.channels
        ),
    )
    mix = doc.Table(
        headers=(_("Kind of content"), _("Posts"), _("Share"), _("Planned share")),
        rows=tuple(
            (m.label, number(m.posts), percent(m.actual, 0), percent(m.target, 0))
            for m in result.mix
        ),
    )
    weekdays = doc.Table(
        headers=tuple(str(formats.date_format(dt.date(2024, 1, 1 + d), "D")) for d in range(7)),
        rows=(tuple(number(n) for n in result.by_weekday),),
    )
    blocks: list[doc.Block] = [
        doc.Pairs(((_("Posts published"), number(result.total)),)),
        *([channels] if result.channels else []),
        doc.Heading(3, _("Content mix")),
        mix,
        doc.Para(_("Posts without a kind: %(n)s") % {"n": number(result.untagged_posts)}),
        doc.Heading(3, _("Posts per weekday")),
        weekdays,
    ]
    return Section("publishing", title, blocks, [(_("Posts published"), number(result.total))])


def _community(ctx: Context) -> Section:
    title = str(ReportSection.COMMUNITY.label)
    counts = inbox_selectors.item_counts(
        workspace=ctx.workspace, start=ctx.start_utc, end=ctx.end_utc
    )
    responses = sla.first_responses(workspace=ctx.workspace, start=ctx.start_utc, end=ctx.end_utc)
    median = "–" if responses.median_s is None else sla.duration_words(responses.median_s)
    hit = None
    if responses.within_target is not None and responses.answered:
        hit = responses.within_target / responses.answered * 100
    target = sla.target_seconds(ctx.workspace)
    pairs = [
        (_("Replies, mentions and messages received"), number(counts.received)),
        (_("Conversations begun"), number(responses.answered + responses.unanswered)),
        (_("Median first response (business hours)"), median),
        (_("Answered within the plan's response time"), percent(hit)),
        (_("Still unanswered"), number(responses.unanswered)),
        (_("Hidden"), number(counts.hidden)),
        (_("Marked reviewed"), number(counts.reviewed)),
    ]
    blocks: list[doc.Block] = [doc.Pairs(tuple(pairs))]
    if target is None:
        blocks.append(doc.Para(_("The plan sets no response time, so there is no hit rate.")))
    else:
        words = sla.duration_words(target)
        blocks.append(
            doc.Para(_("The plan's response time: %(time)s, in business hours.") % {"time": words})
        )
    return Section("community", title, blocks, [pairs[0], pairs[2], pairs[3]])


def _pipeline(ctx: Context) -> list[doc.Block]:
    """Prospects, leads and customers from the leads pipeline, per campaign."""
    rows = leads_selectors.conversions_by_campaign(
        workspace=ctx.workspace, since=ctx.period.start, until=ctx.period.end
    )
    totals = (
        sum(r.prospects for r in rows),
        sum(r.leads for r in rows),
        sum(r.customers for r in rows),
        sum(r.customer_value for r in rows),
    )
    table = doc.Table(
        headers=(_("Campaign"), _("Prospects"), _("Leads"), _("Customers"), _("Value")),
        rows=(
            *(
                (
                    r.campaign_name or _("No campaign"),
                    number(r.prospects),
                    number(r.leads),
                    number(r.customers),
                    number(r.customer_value, 2),
                )
                for r in rows
            ),
            (_("All"), *(number(n) for n in totals[:3]), number(totals[3], 2)),
        ),
    )
    return [doc.Heading(3, _("The leads pipeline")), table]


def _conversions(ctx: Context) -> Section:
    title = str(ReportSection.CONVERSIONS.label)
    period = ctx.period
    clicks = selectors.link_clicks_total(
        workspace=ctx.workspace, start=period.start, end=period.end
    )
    conversions = selectors.conversion_totals(
        workspace=ctx.workspace, start=period.start, end=period.end
    )
    revenue = sum((row["revenue"] or 0) for row in conversions.values())
    pipeline = leads_selectors.conversions_by_campaign(
        workspace=ctx.workspace, since=period.start, until=period.end
    )
    pairs = [
        (_("Link clicks"), number(clicks["clicks"])),
        (_("Visitors"), number(clicks["visitors"])),
        (_("Leads in the pipeline"), number(sum(r.leads for r in pipeline))),
        (_("New customers in the pipeline"), number(sum(r.customers for r in pipeline))),
        (_("Conversions reported to Varde"), number(sum(row["n"] for row in conversions.values()))),
        (_("Revenue reported to Varde"), number(revenue, 2)),
    ]
    links = [
        row
        for row in selectors.link_rows(workspace=ctx.workspace, start=period.start, end=period.end)
        if row.clicks
    ][:10]
    blocks: list[doc.Block] = [doc.Pairs(tuple(pairs))]
    if links:
        blocks.append(
            doc.Table(
                headers=(_("Goes to"), _("Channel"), _("Clicks"), _("Visitors")),
                rows=tuple(
                    (row.target_url, row.channel, number(row.clicks), number(row.visitors))
                    for row in links
                ),
            )
        )
    if pipeline:
        blocks += _pipeline(ctx)
    blocks.append(
        doc.Para(
            _(
                "Clicks are counted by Varde's own short links; conversions arrive at Varde's "
                "conversion endpoint or pixel, or are entered by hand; leads and customers are "
                "the leads pipeline's. No third party is asked."
            )
        )
    )
    return Section("conversions", title, blocks, pairs[:4])


BUILDERS: dict[str, Callable[[Context], Section]] = {
    ReportSection.GOALS: _goals,
    ReportSection.AUDIENCE: _audience,
    ReportSection.REACH: _reach,
    ReportSection.ENGAGEMENT: _engagement,
    ReportSection.POSTS: _posts,
    ReportSection.PUBLISHING: _publishing,
    ReportSection.COMMUNITY: _community,
    ReportSection.CONVERSIONS: _conversions,
}


def ordered_sections(chosen: Sequence[str]) -> list[str]:
    """The chosen sections in the report's fixed order; every section when none is chosen."""
    wanted = set(chosen) or set(SECTION_ORDER)
    return [key for key in SECTION_ORDER if key in wanted]


def report_title(period: Period) -> str:
    return _("Weekly report") if period.cadence == "weekly" else _("Monthly report")


def build_report(
    *,
    workspace: Workspace,
    period: Period,
    sections: Sequence[str] = (),
    language: str | None = None,
    colour: str = DEFAULT_COLOUR,
) -> Report:
    """The report in ``language`` (the workspace's when None): its sections and its document."""
    language = language or workspace.language or "en"
    with translation.override(language):
        zone = workspace.timezone
        ctx = Context(
            workspace=workspace,
            period=period,
            language=language,
            start_utc=local_to_utc(dt.datetime.combine(period.start, dt.time()), zone),
            end_utc=local_to_utc(
                dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()), zone
            ),
            today=timezone.localdate(),
        )
        built = [BUILDERS[key](ctx) for key in ordered_sections(sections)]
        sandbox = selectors.has_sandbox_data(workspace=workspace)
        title, label = report_title(period), period_label(period)
        blocks: list[doc.Block] = []
        for section in built:
            blocks += [doc.Heading(1, section.title), *section.blocks]
        document = doc.Document(
            title=title,
            subtitle=label,
            blocks=blocks,
            language=language,
            footer=f"{workspace.name} · {title} · {label}",
            brand=workspace.name,
            accent=colour,
            notice=sandbox_notice() if sandbox else "",
        )
        return Report(title, label, built, sandbox, language, document)


@dataclass(frozen=True)
class RenderedReport:
    report: Report
    pdf: bytes
    seconds: float


def render_report(
    *,
    workspace: Workspace,
    period: Period,
    sections: Sequence[str] = (),
    language: str | None = None,
    colour: str = DEFAULT_COLOUR,
) -> RenderedReport:
    """The report as a PDF, with the time it took (numbers, charts and typesetting)."""
    started = time.perf_counter()
    report = build_report(
        workspace=workspace, period=period, sections=sections, language=language, colour=colour
    )
    pdf = doc.render_pdf(report.document)
    return RenderedReport(report, pdf, time.perf_counter() - started)


def report_filename(workspace: Workspace, period: Period) -> str:
    return f"varde-{workspace.slug}-report-{period.key}.pdf"
