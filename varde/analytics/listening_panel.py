"""Listening next to the goals (issue 14, item 6): share of voice (the brand's mentions
against the competitors' listening queries) and the sentiment of the brand's mentions over the
period, read through listening's selectors from its daily rollups, drawn with the same chart
helpers as the goals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from varde.analytics import charts
from varde.listening import selectors as listening_selectors
from varde.listening.choices import QueryKind, SentimentLabel

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

VOICE_KINDS = (QueryKind.BRAND, QueryKind.COMPETITOR)


@dataclass(frozen=True)
class VoiceRow:
    name: str
    kind: str
    mentions: int
    share: float | None  # 0–1 of the brand and competitors' mentions


@dataclass
class ListeningPanel:
    has_queries: bool
    voice: list[VoiceRow] = field(default_factory=list)
    brand_share: float | None = None
    sentiment: dict[str, int] = field(default_factory=dict)  # label -> mentions
    voice_spec: dict[str, Any] | None = None
    sentiment_spec: dict[str, Any] | None = None
    sandbox: bool = False


def listening_panel(*, workspace: Workspace, start: dt.date, end: dt.date) -> ListeningPanel:
    queries = [
        q for q in listening_selectors.query_list(workspace=workspace) if q.kind in VOICE_KINDS
    ]
    if not queries:
        return ListeningPanel(has_queries=False)
    days = listening_selectors.volume_by_day(workspace=workspace, since=start, until=end)
    per_query = {q.pk: sum(day.counts.get(q.pk, 0) for day in days) for q in queries}
    total = sum(per_query.values())
    voice = sorted(
        (
            VoiceRow(
                name=q.name,
                kind=q.kind,
                mentions=per_query[q.pk],
                share=per_query[q.pk] / total if total else None,
            )
            for q in queries
        ),
        key=lambda row: -row.mentions,
    )
    brand_ids = [q.pk for q in queries if q.kind == QueryKind.BRAND]
    brand = sum(per_query[pk] for pk in brand_ids)
    by_day = listening_selectors.sentiment_by_day(
        workspace=workspace, query_ids=brand_ids, since=start, until=end
    )
    return ListeningPanel(
        has_queries=True,
        voice=voice,
        brand_share=brand / total if total else None,
        sentiment=_sentiment_totals(by_day),
        voice_spec=_voice_chart(days, queries) if total else None,
        sentiment_spec=_sentiment_chart(by_day) if by_day else None,
        sandbox=listening_selectors.has_sandbox_mentions(workspace=workspace),
    )


def _label(sentiment: str) -> str:
    return str(SentimentLabel(sentiment).label) if sentiment else _("Not judged")


def _sentiment_totals(by_day: dict[dt.date, dict[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for per in by_day.values():
        for sentiment, count in per.items():
            totals[_label(sentiment)] = totals.get(_label(sentiment), 0) + count
    return totals


def _voice_chart(days: list[Any], queries: list[Any]) -> dict[str, Any]:
    rows = [
        {"date": day.day.isoformat(), "value": day.counts.get(q.pk, 0), "series": q.name}
        for day in days
        for q in queries
        if day.counts.get(q.pk)
    ]
    return charts.metric_chart(title=_("Share of voice"), rows=rows, y_title=_("Mentions"))


def _sentiment_chart(by_day: dict[dt.date, dict[str, int]]) -> dict[str, Any]:
    rows = [
        {"date": day.isoformat(), "value": count, "series": _label(sentiment)}
        for day, per in sorted(by_day.items())
        for sentiment, count in per.items()
    ]
    return charts.metric_chart(
        title=_("Sentiment of the brand's mentions"), rows=rows, y_title=_("Mentions")
    )
