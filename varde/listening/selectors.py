"""Reading listening's tables. Every function starts from a workspace."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.lib import fulltext
from varde.listening.choices import AlertSensitivity
from varde.listening.models import (
    MENTION_SEARCH,
    Alert,
    ListeningQuery,
    ListeningSettings,
    Mention,
    MentionHourRollup,
    MentionMatch,
    MentionRollup,
    Source,
    SourceRun,
)
from varde.listening.pipeline import DEFAULT_RETENTION_DAYS, document_for
from varde.listening.query import compile_queries
from varde.listening.query.normalise import TOKEN_PATTERN, fold, tokenise
from varde.listening.sources import registry as source_registry
from varde.listening.sources.sandbox import KIND as SANDBOX_KIND
from varde.listening.words import STOPWORDS
from varde.policy.findings import HashtagContext, SamplePost
from varde.policy.text import hashtags_in

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.listening.query import Problem

NO_SENTIMENT = "none"  # the filter value for mentions whose sentiment was not judged


def query_list(*, workspace: Workspace) -> QuerySet[ListeningQuery]:
    return ListeningQuery.objects.filter(workspace=workspace).order_by("name", "id")


def query_get(*, workspace: Workspace, query_id: int) -> ListeningQuery | None:
    return ListeningQuery.objects.filter(workspace=workspace, pk=query_id).first()


def query_by_name(*, workspace: Workspace, name: str) -> ListeningQuery | None:
    return ListeningQuery.objects.filter(workspace=workspace, name=name).first()


def mention_get(*, workspace: Workspace, mention_id: int) -> Mention | None:
    """One stored mention of the workspace (the inbox's "Send to inbox" reads it)."""
    return Mention.objects.filter(workspace=workspace, pk=mention_id).first()


def mention_counts(*, workspace: Workspace, since: dt.date) -> dict[int, int]:
    """Mentions per query from ``since`` (a day in the workspace's time zone), from rollups."""
    rows = (
        MentionRollup.objects.filter(workspace=workspace, day__gte=since)
        .values("query_id")
        .annotate(n=Sum("count"))
    )
    return {row["query_id"]: row["n"] for row in rows}


def source_list(*, workspace: Workspace) -> QuerySet[Source]:
    return Source.objects.filter(workspace=workspace).order_by("name", "id")


def source_get(*, workspace: Workspace, source_id: int) -> Source | None:
    return Source.objects.filter(workspace=workspace, pk=source_id).first()


@dataclass(frozen=True)
class SourceHealth:
    items_last_hour: int
    stored_last_hour: int
    runs_last_hour: int
    failures_last_hour: int


def source_health(
    *, workspace: Workspace, now: dt.datetime | None = None
) -> dict[int, SourceHealth]:
    """Per source id: what its reads of the last hour brought in and how many failed."""
    since = (now or timezone.now()) - dt.timedelta(hours=1)
    rows = (
        SourceRun.objects.filter(source__workspace=workspace, started_at__gte=since)
        .values("source_id")
        .annotate(
            read=Sum("items_read"),
            stored=Sum("items_stored"),
            runs=Count("id"),
            failures=Count("id", filter=~Q(error="")),
        )
    )
    return {
        row["source_id"]: SourceHealth(row["read"], row["stored"], row["runs"], row["failures"])
        for row in rows
    }


def retention_days(*, workspace: Workspace) -> int:
    found = ListeningSettings.objects.filter(workspace=workspace).first()
    return found.retention_days if found else DEFAULT_RETENTION_DAYS


@dataclass(frozen=True)
class MentionFilter:
    query_id: int | None = None
    source_id: int | None = None
    language: str = ""
    sentiment: str = ""  # a SentimentLabel value, NO_SENTIMENT, or "" for all
    author: str = ""
    search: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def mentions_filtered(*, workspace: Workspace, wanted: MentionFilter) -> QuerySet[Mention]:
    """The workspace's mentions that pass every filter given, newest first."""
    mentions = Mention.objects.filter(workspace=workspace)
    if wanted.query_id is not None:
        mentions = mentions.filter(matches__query_id=wanted.query_id)
    if wanted.source_id is not None:
        mentions = mentions.filter(source_id=wanted.source_id)
    if wanted.language:
        mentions = mentions.filter(language=wanted.language)
    if wanted.sentiment == NO_SENTIMENT:
        mentions = mentions.filter(sentiment__isnull=True)
    elif wanted.sentiment:
        mentions = mentions.filter(sentiment=wanted.sentiment)
    if wanted.author:
        author = wanted.author.lstrip("@")
        mentions = mentions.filter(
            Q(author_handle__icontains=author) | Q(author_name__icontains=author)
        )
    if wanted.search:
        mentions = fulltext.filter_matching(
            mentions, MENTION_SEARCH, wanted.search, where={"workspace_id": workspace.pk}
        )
    if wanted.since is not None:
        mentions = mentions.filter(published_at__gte=wanted.since)
    if wanted.until is not None:
        mentions = mentions.filter(published_at__lt=wanted.until)
    return mentions.order_by("-published_at", "-id")


def mentions_page(
    mentions: QuerySet[Mention], *, before: tuple[dt.datetime, int] | None, size: int
) -> tuple[list[Mention], tuple[dt.datetime, int] | None]:
    """One page of ``mentions`` older than ``before`` (published time, id) and where the next
    page starts. Keyset paging: no COUNT over the whole table, and no page shifts when new
    mentions arrive."""
    if before is not None:
        moment, mention_id = before
        mentions = mentions.filter(
            Q(published_at__lt=moment) | Q(published_at=moment, id__lt=mention_id)
        )
    page = list(mentions[: size + 1])
    if len(page) <= size:
        return page, None
    page = page[:size]
    return page, (page[-1].published_at, page[-1].pk)


@dataclass(frozen=True)
class MatchedQuery:
    name: str
    spans: tuple[tuple[int, int], ...]


def matched_queries(
    *, workspace: Workspace, mention_ids: list[int]
) -> dict[int, list[MatchedQuery]]:
    """The queries each mention matched and where, by mention id (one query)."""
    found: dict[int, list[MatchedQuery]] = defaultdict(list)
    rows = (
        MentionMatch.objects.filter(mention__workspace=workspace, mention_id__in=mention_ids)
        .order_by("query__name")
        .values_list("mention_id", "query__name", "spans")
    )
    for mention_id, name, spans in rows:
        pairs = tuple((int(s[0]), int(s[1])) for s in spans if isinstance(s, list) and len(s) == 2)
        found[mention_id].append(MatchedQuery(name, pairs))
    return dict(found)


def mention_languages(*, workspace: Workspace) -> list[str]:
    """The languages among the workspace's mentions, for the stream's filter.

    A plain DISTINCT reads every mention of the workspace (half a second with a million); this
    walks the (workspace, language, …) index instead, one seek per language found: a
    "loose index scan", written as a recursive query because neither SQLite nor PostgreSQL
    plans one by themselves.
    """
    table = connection.ops.quote_name(Mention._meta.db_table)
    sql = f"""
        WITH RECURSIVE found(language) AS (
            SELECT MIN(language) FROM {table} WHERE workspace_id = %s AND language > ''
            UNION ALL
            SELECT (
                SELECT MIN(language) FROM {table}
                WHERE workspace_id = %s AND language > found.language
            )
            FROM found WHERE found.language IS NOT NULL
        )
        SELECT language FROM found WHERE language IS NOT NULL
    """  # noqa: S608 - the table name is the model's own; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, workspace.pk])
        return [row[0] for row in cursor.fetchall()]


@dataclass
class VolumeRow:
    day: dt.date
    counts: dict[int, int] = field(default_factory=dict)  # query id -> mentions
    sentiment: dict[str, int] = field(default_factory=dict)  # label ("" unjudged) -> mentions
    total: int = 0


def volume_by_day(*, workspace: Workspace, since: dt.date, until: dt.date) -> list[VolumeRow]:
    """Mentions per day and query, and per day and sentiment, from the rollups; every day from
    ``since`` to ``until`` (inclusive) has a row, newest first.

    ``total`` adds up the queries, so a mention matched by two queries counts twice there.
    """
    rows = {
        since + dt.timedelta(days=n): VolumeRow(since + dt.timedelta(days=n))
        for n in range((until - since).days + 1)
    }
    found = MentionRollup.objects.filter(
        workspace=workspace, day__gte=since, day__lte=until
    ).values_list("day", "query_id", "sentiment", "count")
    for day, query_id, sentiment, count in found:
        row = rows[day]
        row.counts[query_id] = row.counts.get(query_id, 0) + count
        row.sentiment[sentiment] = row.sentiment.get(sentiment, 0) + count
        row.total += count
    return sorted(rows.values(), key=lambda row: row.day, reverse=True)


@dataclass(frozen=True)
class TestHit:
    mention: Mention
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TestResult:
    tried: int
    hits: list[TestHit]
    problems: tuple[Problem, ...] = ()


def query_test(*, workspace: Workspace, text: str, last: int = 1000) -> TestResult:
    """Run ``text`` over the workspace's ``last`` stored mentions: what it would have matched.

    The same matcher as the pipeline, so the answer is what ingest would have done.
    """
    matcher = compile_queries([(0, text)])
    if 0 in matcher.rejected:
        return TestResult(0, [], matcher.rejected[0])
    mentions = list(
        Mention.objects.filter(workspace=workspace).order_by("-published_at", "-id")[:last]
    )
    hits = []
    for mention in mentions:
        document = document_for(mention, mention.language)
        if matcher.match(document):
            explanations = matcher.explain(document)
            spans = tuple((hit.start, hit.end) for e in explanations for hit in e.hits)
            hits.append(TestHit(mention, spans))
    return TestResult(len(mentions), hits)


def enabled_source_ids() -> list[int]:
    """Every enabled source of every workspace (the worker's list of what to read)."""
    return list(Source.objects.filter(enabled=True).order_by("id").values_list("id", flat=True))


def alert_sensitivity(*, workspace: Workspace) -> str:
    found = ListeningSettings.objects.filter(workspace=workspace).first()
    return found.alert_sensitivity if found else AlertSensitivity.MEDIUM


def alert_list(*, workspace: Workspace, limit: int = 100) -> list[Alert]:
    return list(Alert.objects.filter(workspace=workspace).select_related("query")[:limit])


def mentions_by_id(*, workspace: Workspace, ids: Iterable[int]) -> dict[int, Mention]:
    return {m.pk: m for m in Mention.objects.filter(workspace=workspace, pk__in=list(ids))}


def has_sandbox_mentions(*, workspace: Workspace) -> bool:
    """Whether made-up sandbox posts are among the stored mentions (the pages say so)."""
    return Mention.objects.filter(workspace=workspace, source_kind=SANDBOX_KIND).exists()


# --- What a hashtag is about right now, for the policy guard's #Aurora check ------------------

HASHTAG_WINDOW = dt.timedelta(days=7)
HASHTAG_USUAL_WINDOWS = 4  # the usual volume: the mean of the four windows before
HASHTAG_SCAN_LIMIT = 5000  # mentions read at most per check (the composer asks while typing)
HASHTAG_SAMPLES = 3


def hashtag_activity(
    *, workspace: Workspace, tag: str, now: dt.datetime | None = None
) -> HashtagContext:
    """Mentions with ``#tag`` (normalised, without "#") in the last week, the usual weekly
    count before it (None when listening has not collected that long), and the newest few.

    A mention counts only when the tag is one of its hashtags, so #aurora is not counted in
    #auroraborealis. Reads stored mentions only, never a network.
    """
    now = now or timezone.now()
    recent_from = now - HASHTAG_WINDOW
    usual_from = recent_from - HASHTAG_WINDOW * HASHTAG_USUAL_WINDOWS
    recent = earlier = 0
    samples: list[SamplePost] = []
    for at, text, kind, name, handle, url in _tagged(
        workspace, tag, since=usual_from, now=now, limit=HASHTAG_SCAN_LIMIT
    ):
        if at < recent_from:
            earlier += 1
            continue
        recent += 1
        if len(samples) < HASHTAG_SAMPLES:
            samples.append(_sample(at, text, kind, name or handle, url))
    collected_long_enough = Mention.objects.filter(
        workspace=workspace, published_at__lte=usual_from
    ).exists()
    return HashtagContext(
        tag=tag,
        window=HASHTAG_WINDOW,
        volume=recent,
        usual_volume=round(earlier / HASHTAG_USUAL_WINDOWS) if collected_long_enough else None,
        samples=tuple(samples),
    )


def _sample(at: dt.datetime, text: str, kind: str, author: str, url: str) -> SamplePost:
    if kind == SANDBOX_KIND:
        where = str(_("Sandbox data"))
    else:
        try:
            where = str(source_registry.source_class(kind).label)
        except source_registry.UnknownSourceError:
            where = kind
    # Only web addresses become links: a mention's text and address are other people's.
    safe_url = url if url.startswith(("https://", "http://")) else ""
    return SamplePost(network=where, author=author, text=text, url=safe_url, posted_at=at)


# --- A hashtag's volume and trend, for the composer's hashtag context -------------------------

TREND_SCAN_LIMIT = 20000  # mentions read at most per tag (the composer asks while typing)
TREND_RISE = 1.25  # "up" from a quarter more than the period before; "down" from a fifth less


@dataclass(frozen=True)
class Period:
    days: int
    volume: int
    previous: int | None  # the period before it; None when listening was not collecting then

    @property
    def trend(self) -> str:
        """ "up", "down", "flat", or "" when there is nothing to compare with."""
        if self.previous is None:
            return ""
        if self.volume > max(self.previous * TREND_RISE, self.previous + 1):
            return "up"
        if self.volume < min(self.previous / TREND_RISE, self.previous - 1):
            return "down"
        return "flat"


@dataclass(frozen=True)
class HashtagTrend:
    tag: str  # normalised, without "#"
    periods: tuple[Period, ...]  # the last 7 and the last 30 days
    samples: tuple[SamplePost, ...]  # the newest few of the last 30 days
    has_query: bool  # a query of the workspace already looks for #tag

    @property
    def has_data(self) -> bool:
        return any(p.volume or p.previous for p in self.periods)


def _tagged(
    workspace: Workspace, tag: str, *, since: dt.datetime, now: dt.datetime, limit: int
) -> Iterator[tuple[Any, ...]]:
    """Newest first, (published, text, source kind, author name, handle, URL) of the stored
    mentions in [since, now] that have ``#tag`` as one of their hashtags (so #aurora is not
    #auroraborealis); at most ``limit`` candidates are read."""
    spellings = Q()
    for spelling in {tag, tag.upper(), tag.capitalize()}:
        spellings |= Q(text__icontains="#" + spelling)
    rows = (
        Mention.objects.filter(workspace=workspace, published_at__gte=since)
        .filter(published_at__lte=now)
        .filter(spellings)
        .order_by("-published_at", "-id")
        .values_list("published_at", "text", "source_kind", "author_name", "author_handle", "url")
    )[:limit]
    for row in rows:
        if tag in hashtags_in(row[1]):
            yield row


def hashtag_trend(
    *, workspace: Workspace, tag: str, now: dt.datetime | None = None
) -> HashtagTrend:
    """Mentions with ``#tag`` as one of their hashtags in the last 7 and 30 days, each against
    the period before it, and the newest three. Stored mentions only, never a network."""
    now = now or timezone.now()
    longest = 30
    since = now - dt.timedelta(days=2 * longest)
    times: list[dt.datetime] = []
    samples: list[SamplePost] = []
    for at, text, kind, name, handle, url in _tagged(
        workspace, tag, since=since, now=now, limit=TREND_SCAN_LIMIT
    ):
        times.append(at)
        if len(samples) < HASHTAG_SAMPLES and at >= now - dt.timedelta(days=longest):
            samples.append(_sample(at, text, kind, name or handle, url))
    first = Mention.objects.filter(workspace=workspace).order_by("published_at").first()
    return HashtagTrend(
        tag=tag,
        periods=tuple(_period(times, now, days, first) for days in (7, longest)),
        samples=tuple(samples),
        has_query=_query_looks_for(workspace, tag),
    )


def _period(times: list[dt.datetime], now: dt.datetime, days: int, first: Mention | None) -> Period:
    start = now - dt.timedelta(days=days)
    before = start - dt.timedelta(days=days)
    collected = first is not None and first.published_at <= before
    return Period(
        days=days,
        volume=sum(1 for at in times if at >= start),
        previous=sum(1 for at in times if before <= at < start) if collected else None,
    )


def _query_looks_for(workspace: Workspace, tag: str) -> bool:
    texts = ListeningQuery.objects.filter(workspace=workspace).values_list("text", flat=True)
    return any(tag in hashtags_in(text) for text in texts)


# --- Charts: counts from the rollups, and the top lists of a filter ---------------------------

TOPS_SAMPLE = 1000  # the newest mentions of a filter that the top lists read
TOPS_LIMIT = 10


@dataclass(frozen=True)
class Bucket:
    """Mentions of one query in one day or hour, with one sentiment ("" = not judged)."""

    at: dt.date | dt.datetime
    query_id: int
    sentiment: str
    count: int


def daily_buckets(
    *, workspace: Workspace, since: dt.date, until: dt.date, query_ids: Iterable[int] | None = None
) -> list[Bucket]:
    """Every daily count from ``since`` to ``until`` (inclusive), one query to the rollups."""
    rows = MentionRollup.objects.filter(workspace=workspace, day__gte=since, day__lte=until)
    if query_ids is not None:
        rows = rows.filter(query_id__in=list(query_ids))
    return [
        Bucket(day, query_id, sentiment, count)
        for day, query_id, sentiment, count in rows.filter(count__gt=0).values_list(
            "day", "query_id", "sentiment", "count"
        )
    ]


def hourly_buckets(
    *,
    workspace: Workspace,
    since: dt.datetime,
    until: dt.datetime,
    query_ids: Iterable[int] | None = None,
) -> list[Bucket]:
    """Every hourly count (UTC hour starts) in [since, until), one query to the rollups."""
    rows = MentionHourRollup.objects.filter(workspace=workspace, hour__gte=since, hour__lt=until)
    if query_ids is not None:
        rows = rows.filter(query_id__in=list(query_ids))
    return [
        Bucket(hour, query_id, sentiment, count)
        for hour, query_id, sentiment, count in rows.filter(count__gt=0).values_list(
            "hour", "query_id", "sentiment", "count"
        )
    ]


@dataclass(frozen=True)
class Tops:
    """The most frequent words, hashtags, authors and sources among the newest ``read``
    mentions of a filter (at most ``TOPS_SAMPLE``)."""

    read: int
    terms: list[tuple[str, int]]
    hashtags: list[tuple[str, int]]
    authors: list[tuple[str, int]]
    sources: list[tuple[int, int]]  # (source id, mentions); mentions of removed sources left out


def mention_tops(
    *,
    workspace: Workspace,
    wanted: MentionFilter,
    leave_out: Iterable[str] = (),
    sample: int = TOPS_SAMPLE,
) -> Tops:
    """One query: the newest ``sample`` mentions of the filter, counted here. Words and hashtags
    are counted once per mention (what many say, not what one repeats); the words of the texts
    in ``leave_out`` (the queries' own) are left out, and so are stop words, handles and
    numbers."""
    own = {token.value for text in leave_out for token in tokenise(text)}
    rows = list(
        mentions_filtered(workspace=workspace, wanted=wanted).values_list(
            "text", "author_handle", "author_name", "source_id"
        )[:sample]
    )
    terms: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    sources: Counter[int] = Counter()
    for text, handle, name, source_id in rows:
        words, hashtags = _words_of(text)
        terms.update(words - own)
        tags.update(hashtags)
        author = handle or name
        if author:
            authors[author] += 1
        if source_id is not None:
            sources[source_id] += 1
    return Tops(
        read=len(rows),
        terms=terms.most_common(TOPS_LIMIT),
        hashtags=tags.most_common(TOPS_LIMIT),
        authors=authors.most_common(TOPS_LIMIT),
        sources=sources.most_common(TOPS_LIMIT),
    )


def _words_of(text: str) -> tuple[set[str], set[str]]:
    """The words and hashtags of a text, folded like the matcher folds them. The tokeniser's
    pattern without its Token objects: this runs for thousands of mentions a page."""
    words: set[str] = set()
    hashtags: set[str] = set()
    for found in TOKEN_PATTERN.finditer(text):
        kind = found.lastgroup
        if kind == "hashtag":
            hashtags.add(_folded(found.group("hashtag")))
        elif kind == "word":
            word = _folded(found.group("word"))
            if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
                words.add(word)
    return words, hashtags


@lru_cache(maxsize=65536)
def _folded(word: str) -> str:
    return fold(word)


def sentiment_by_day(
    *, workspace: Workspace, query_ids: Iterable[int], since: dt.date, until: dt.date
) -> dict[dt.date, dict[str, int]]:
    """Mentions per day and sentiment label ("" unjudged) of the given queries, from the
    rollups (analytics' dashboards: sentiment about the brand over time)."""
    out: dict[dt.date, dict[str, int]] = {}
    found = MentionRollup.objects.filter(
        workspace=workspace, query_id__in=list(query_ids), day__gte=since, day__lte=until
    ).values_list("day", "sentiment", "count")
    for day, sentiment, count in found:
        per = out.setdefault(day, {})
        per[sentiment] = per.get(sentiment, 0) + count
    return out
