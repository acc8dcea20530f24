"""What the charts page shows, built from the rollups and one read of the newest mentions:
the series, the specs, the tables under them, and the drill-down link of every mark.

A drill-down link is the mention stream's own filter (``StreamFilterForm``): the query, the
sentiment, the day (and hour) in the workspace's time zone, the author, the source, or a
search for a word or hashtag — so the stream lists the mentions behind the mark.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from varde.lib.charts import local_link
from varde.lib.localformat import format_date, plain_number
from varde.listening import charts
from varde.listening.choices import QueryKind, SentimentLabel
from varde.listening.selectors import NO_SENTIMENT, Bucket, Tops

if TYPE_CHECKING:
    from varde.listening.models import ListeningQuery, Source

# Days the daily charts cover for each of the stream's periods ("" = any time: 30 days).
PERIOD_DAYS = {"7d": 7, "30d": 30, "": 30}
HOURLY_PERIOD = "1d"  # the last 24 hours, per hour
# The keys the stream's filter understands; a drill-down link keeps these from the page's filter.
KEPT_PARAMS = ("query", "source", "language", "sentiment", "author", "q", "period")


@dataclass(frozen=True)
class Window:
    hourly: bool
    since: dt.datetime  # UTC
    until: dt.datetime  # UTC
    first_day: dt.date  # in the workspace's time zone
    last_day: dt.date
    period: str


def window_for(period: str, *, zone: str, now: dt.datetime) -> Window:
    """The buckets a period covers: 25 whole hours for the last day, else whole local days."""
    tz = ZoneInfo(zone or "UTC")
    if period == HOURLY_PERIOD:
        until = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        until += dt.timedelta(hours=1)
        since = until - dt.timedelta(hours=25)
        return Window(
            True, since, until, since.astimezone(tz).date(), now.astimezone(tz).date(), period
        )
    days = PERIOD_DAYS.get(period, 30)
    today = now.astimezone(tz).date()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    return Window(False, since, now, first, today, period if period in PERIOD_DAYS else "")


@dataclass
class Links:
    """Drill-down links into the stream: the page's own filter plus what a mark stands for."""

    stream_url: str
    kept: dict[str, str] = field(default_factory=dict)

    def to(self, **wanted: Any) -> str:
        params = {k: v for k, v in self.kept.items() if k not in wanted}
        params.update({k: str(v) for k, v in wanted.items() if v is not None and v != ""})
        if "day" in params:
            params.pop("period", None)  # a day says when; the relative period would narrow it
        return local_link(f"{self.stream_url}?{urlencode(params)}" if params else self.stream_url)


def links_for(workspace_slug: str, data: Mapping[str, Any]) -> Links:
    stream_url = reverse("listening:stream", kwargs={"workspace": workspace_slug})
    kept = {key: str(data[key]) for key in KEPT_PARAMS if data.get(key) not in (None, "")}
    return Links(stream_url, kept)


def _wall(bucket_at: dt.date | dt.datetime, tz: ZoneInfo) -> tuple[dt.date, int | None, str]:
    """(local day, local hour or None, the wall time as a UTC ISO string for the chart)."""
    if isinstance(bucket_at, dt.datetime):
        local = bucket_at.astimezone(tz)
        return local.date(), local.hour, local.strftime("%Y-%m-%dT%H:00:00Z")
    return bucket_at, None, f"{bucket_at.isoformat()}T00:00:00Z"


def _when(day: dt.date, hour: int | None) -> str:
    text = format_date(day, "weekday_day_month")
    return f"{text} {hour:02d}:00" if hour is not None else text


def _sentiment_value(label: str) -> str:
    return label or NO_SENTIMENT


def sentiment_labels() -> dict[str, str]:
    return {
        SentimentLabel.POSITIVE.value: str(SentimentLabel.POSITIVE.label),
        SentimentLabel.NEUTRAL.value: str(SentimentLabel.NEUTRAL.label),
        SentimentLabel.NEGATIVE.value: str(SentimentLabel.NEGATIVE.label),
        "": _("Not judged"),
    }


@dataclass
class Slot:
    """One day or hour: its counts per query and per sentiment."""

    day: dt.date
    hour: int | None
    at: str
    per_query: dict[int, int] = field(default_factory=dict)
    per_sentiment: dict[str, int] = field(default_factory=dict)


def slots_of(buckets: Iterable[Bucket], window: Window, zone: str) -> list[Slot]:
    """Every day (or hour) of the window, oldest first, empty ones included."""
    tz = ZoneInfo(zone or "UTC")
    slots: dict[str, Slot] = {}
    if window.hourly:
        moment = window.since
        while moment < window.until:
            day, hour, at = _wall(moment, tz)
            slots[at] = Slot(day, hour, at)
            moment += dt.timedelta(hours=1)
    else:
        for n in range((window.last_day - window.first_day).days + 1):
            day, hour, at = _wall(window.first_day + dt.timedelta(days=n), tz)
            slots[at] = Slot(day, hour, at)
    for bucket in buckets:
        _day, _hour, at = _wall(bucket.at, tz)
        slot = slots.get(at)
        if slot is None:
            continue
        slot.per_query[bucket.query_id] = slot.per_query.get(bucket.query_id, 0) + bucket.count
        slot.per_sentiment[bucket.sentiment] = (
            slot.per_sentiment.get(bucket.sentiment, 0) + bucket.count
        )
    return list(slots.values())


def volume_rows(
    slots: list[Slot], queries: list[ListeningQuery], links: Links
) -> list[dict[str, Any]]:
    rows = []
    for slot in slots:
        for query in queries:
            count = slot.per_query.get(query.pk, 0)
            rows.append(
                {
                    "at": slot.at,
                    "series": query.name,
                    "count": count,
                    "label": _("%(query)s, %(when)s: %(count)s mentions")
                    % {"query": query.name, "when": _when(slot.day, slot.hour), "count": count},
                    "link": links.to(query=query.pk, day=slot.day.isoformat(), hour=slot.hour),
                }
            )
    return rows


def sentiment_rows(slots: list[Slot], links: Links) -> list[dict[str, Any]]:
    labels = sentiment_labels()
    rows = []
    for slot in slots:
        for rank, (value, name) in enumerate(labels.items()):
            count = slot.per_sentiment.get(value, 0)
            if not count:
                continue
            rows.append(
                {
                    "at": slot.at,
                    "series": name,
                    "rank": rank,
                    "count": count,
                    "label": _("%(sentiment)s, %(when)s: %(count)s mentions")
                    % {"sentiment": name, "when": _when(slot.day, slot.hour), "count": count},
                    "link": links.to(
                        sentiment=_sentiment_value(value),
                        day=slot.day.isoformat(),
                        hour=slot.hour,
                    ),
                }
            )
    return rows


@dataclass(frozen=True)
class Share:
    query: ListeningQuery
    count: int
    share: float  # 0 … 1
    link: str

    @property
    def percent(self) -> str:
        """ "42,5 %" in bokmål, "42.5 %" in English."""
        return f"{plain_number(100 * self.share, 1)} %"


def share_of_voice(
    buckets: Iterable[Bucket], queries: list[ListeningQuery], links: Links, window: Window
) -> list[Share]:
    """The brand's and each competitor's share of their mentions together in the window
    (queries of kind brand and competitor, as "Create queries from the plan" makes them)."""
    counted = [q for q in queries if q.kind in {QueryKind.BRAND, QueryKind.COMPETITOR}]
    totals: dict[int, int] = defaultdict(int)
    for bucket in buckets:
        totals[bucket.query_id] += bucket.count
    together = sum(totals[q.pk] for q in counted)
    if not counted or not together:
        return []
    period = window.period or "30d"
    shares = [
        Share(q, totals[q.pk], totals[q.pk] / together, links.to(query=q.pk, period=period))
        for q in counted
    ]
    return sorted(shares, key=lambda s: (-s.count, s.query.name))


def share_rows(shares: list[Share]) -> list[dict[str, Any]]:
    return [
        {
            "series": s.query.name,
            "share": round(s.share, 4),
            "count": s.count,
            "label": _("%(query)s: %(share)s %% of the mentions (%(count)s)")
            % {"query": s.query.name, "share": plain_number(100 * s.share, 1), "count": s.count},
            "link": s.link,
        }
        for s in shares
    ]


@dataclass(frozen=True)
class TopList:
    key: str
    title: str
    rows: list[dict[str, Any]]  # {"series", "count", "label", "link"}
    spec: dict[str, Any] | None

    @property
    def spec_id(self) -> str:
        return f"top-{self.key}-spec"


def top_lists(tops: Tops, sources: list[Source], links: Links) -> list[TopList]:
    names = {source.pk: source.name for source in sources}
    made = [
        ("terms", _("Top words"), [(w, n, links.to(q=w)) for w, n in tops.terms]),
        (
            "hashtags",
            _("Top hashtags"),
            [(f"#{t}", n, links.to(q=f"#{t}")) for t, n in tops.hashtags],
        ),
        ("authors", _("Top authors"), [(a, n, links.to(author=a)) for a, n in tops.authors]),
        (
            "sources",
            _("Top sources"),
            [(names.get(s, str(s)), n, links.to(source=s)) for s, n in tops.sources],
        ),
    ]
    lists = []
    for key, title, entries in made:
        rows = [
            {
                "series": name,
                "count": count,
                "label": _("%(name)s: %(count)s mentions") % {"name": name, "count": count},
                "link": link,
            }
            for name, count, link in entries
        ]
        spec = charts.bar_chart(rows, value="count", description=title) if rows else None
        lists.append(TopList(key, title, rows, spec))
    return lists
