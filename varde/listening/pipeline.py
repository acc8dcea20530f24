"""From what a source read to stored mentions: normalise → drop what is stored → the matcher's
pre-filter → language (for the posts the pre-filter keeps) → match → drop reposts (of matched
posts) → sentiment → store in batches → rollups.

Each step runs on as few posts as it can: most of a stream matches nothing, and language
detection and fingerprints cost far more per post than the pre-filter that rules a post out.

The hot path makes a fixed number of database queries per batch, never one per post: the
already-stored ids and fingerprints are read in one query each, mentions and their matches are
written with ``bulk_create``, and the rollups of the days touched are recomputed in one
aggregate and written in one upsert. ``tests/test_pipeline.py`` pins the count.

Only mentions that match at least one active query of the workspace are stored: a feed or a
timeline carries far more than what is said about the brand.

Sentiment is a plain function (``SentimentFn``) so the classifier can be swapped or left out;
a mention whose sentiment was not judged keeps ``sentiment`` null.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Max, Value
from django.db.models.functions import Greatest, TruncDate, TruncHour

from varde.listening.choices import SentimentLabel
from varde.listening.models import (
    ListeningQuery,
    ListeningSettings,
    Mention,
    MentionHourRollup,
    MentionMatch,
    MentionRollup,
)
from varde.listening.query import Document, Matcher, compile_queries
from varde.listening.query.normalise import nfc, tokenise
from varde.listening.sentiment import classify_sentiment

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.listening.models import Source
    from varde.listening.sentiment import TierChoice

# A repost is the same text again within this window (from any source).
REPOST_WINDOW = dt.timedelta(days=2)
# Texts with fewer words are too short to call two of them the same post ("Takk!").
FINGERPRINT_MIN_WORDS = 6
# A published time this far ahead of now is a source's mistake; it is stored as now.
FUTURE_SLACK = dt.timedelta(hours=1)
DEFAULT_RETENTION_DAYS = 365
BULK_BATCH = 500
# Below this confidence the language is left unknown rather than guessed.
LANGUAGE_MIN_CONFIDENCE = 0.5
LANGUAGES = ("no", "nn", "en", "sv", "da", "de")
_NORWEGIAN = frozenset({"no", "nb", "nn", "nob", "nno", "nor"})


# --- What a source hands over (varde.listening.sources: FoundItem and Batch) -----------------


class FoundItemLike(Protocol):
    @property
    def source_kind(self) -> str: ...
    @property
    def external_id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def author_name(self) -> str: ...
    @property
    def author_handle(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def published_at(self) -> dt.datetime: ...
    @property
    def site(self) -> str: ...


@dataclass(frozen=True, slots=True)
class SentimentGuess:
    label: str  # a SentimentLabel value
    score: float | None  # positive minus negative, -1 … 1


SentimentFn = Callable[[Sequence[str]], Sequence[SentimentGuess | None]]


@dataclass
class IngestResult:
    read: int = 0
    stored: int = 0
    duplicates: int = 0  # the same id again, or the same text within REPOST_WINDOW
    unmatched: int = 0  # matched no active query
    skipped: int = 0  # empty, without an id, or older than the workspace keeps
    matches: int = 0
    query_ids: set[int] = field(default_factory=set)


# --- Normalise --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incoming:
    source_kind: str
    external_id: str
    url: str
    author_name: str
    author_handle: str
    text: str
    lang: str
    published_at: dt.datetime
    site: str


def _clip(value: object, length: int) -> str:
    return str(value or "").strip()[:length]


def normalise(item: FoundItemLike, *, now: dt.datetime) -> Incoming | None:
    """The item with its text in NFC, lengths within the columns, a sane time; None if useless."""
    text = nfc(str(item.text or "")).strip()
    external_id = _clip(item.external_id, 500)
    if not text or not external_id:
        return None
    published = item.published_at or now
    if published.tzinfo is None or published.utcoffset() is None:
        published = published.replace(tzinfo=dt.UTC)
    published = min(published, now + FUTURE_SLACK)
    return Incoming(
        source_kind=_clip(item.source_kind, 40),
        external_id=external_id,
        url=_safe_url(_clip(item.url, 1000)),
        author_name=_clip(item.author_name, 300),
        author_handle=_clip(item.author_handle, 300).lstrip("@"),
        text=text,
        lang=_clip(getattr(item, "lang", "") or "", 35),
        published_at=published,
        site=_clip(getattr(item, "site", "") or "", 253).lower(),
    )


def _safe_url(url: str) -> str:
    """Only http(s) links are kept: a ``javascript:`` URL from a feed must never become a link."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def fingerprint(text: str) -> str:
    """Hash of the text's folded words: the same post copied, reposted or quoted whole."""
    words = [token.value for token in tokenise(text)]
    if len(words) < FINGERPRINT_MIN_WORDS:
        return ""
    return hashlib.sha1(" ".join(words).encode(), usedforsecurity=False).hexdigest()


# --- Language ---------------------------------------------------------------------------------

_identifier: Any = None
_identifier_lock = threading.Lock()


def _language_identifier() -> Any:
    """py3langid's model, loaded once (about 2 s) and restricted to the likely languages."""
    global _identifier  # noqa: PLW0603 - one model per process, loaded on first use
    with _identifier_lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _identifier = identifier
    return _identifier


def language_code(code: str) -> str:
    """A source's language tag as stored: the primary subtag, every Norwegian one as "no"."""
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return "no" if primary in _NORWEGIAN else primary[:8]


def detect_language(text: str, *, given: str = "") -> str:
    """The source's own tag when it has one, else py3langid's guess, else "" (unknown)."""
    if given:
        return language_code(given)
    if sum(1 for char in text if char.isalpha()) < 8:
        return ""
    code, confidence = _language_identifier().classify(text)
    if confidence < LANGUAGE_MIN_CONFIDENCE:
        return ""
    return language_code(str(code))


SENTIMENT_TIERS = ("lexicon", "model", "auto")


# --- Sentiment --------------------------------------------------------------------------------


def default_sentiment(
    texts: Sequence[str], *, tier: str | None = None
) -> list[SentimentGuess | None]:
    """``varde.listening.sentiment`` with the tier the settings name for listening
    (``VARDE_LISTENING_SENTIMENT_TIER``; the inbox passes its own)."""
    chosen = tier or settings.VARDE_LISTENING_SENTIMENT_TIER
    if chosen not in SENTIMENT_TIERS:
        raise ImproperlyConfigured(f"A sentiment tier is one of {', '.join(SENTIMENT_TIERS)}.")
    guesses: list[SentimentGuess | None] = []
    for result in classify_sentiment(list(texts), tier=cast("TierChoice", chosen)):
        label = str(result.label)
        if label not in SentimentLabel.values:
            guesses.append(None)
            continue
        guesses.append(SentimentGuess(label, result.positive - result.negative))
    return guesses


def no_sentiment(texts: Sequence[str]) -> list[SentimentGuess | None]:
    return [None] * len(texts)


# --- The compiled matcher, one per workspace --------------------------------------------------

_matchers: dict[int, tuple[tuple[int, Any], Matcher]] = {}


def matcher_for(workspace: Workspace) -> Matcher:
    """Every active query of the workspace compiled into one matcher.

    Cached per process and rebuilt when a query is added, changed, switched or deleted: the
    version is the number of queries and the latest change, read in one query.
    """
    queries = ListeningQuery.objects.filter(workspace=workspace)
    state = queries.aggregate(count=Count("id"), changed=Max("updated_at"))
    version = (state["count"], state["changed"])
    cached = _matchers.get(workspace.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    matcher = compile_queries(queries.filter(active=True).values_list("id", "text"))
    _matchers[workspace.pk] = (version, matcher)
    return matcher


def forget_matchers() -> None:
    """Drop every cached matcher (tests; a process that wants its memory back)."""
    _matchers.clear()


def document_for(incoming: Incoming | Mention, language: str) -> Document:
    return Document(
        text=incoming.text,
        lang=language,
        author=incoming.author_handle or incoming.author_name,
        site=incoming.site or incoming.url,
        source=incoming.source_kind,
    )


# --- The pipeline -----------------------------------------------------------------------------


def retention_days(workspace: Workspace) -> int:
    found = ListeningSettings.objects.filter(workspace=workspace).first()
    return found.retention_days if found else DEFAULT_RETENTION_DAYS


def ingest(
    *,
    workspace: Workspace,
    items: Iterable[FoundItemLike],
    now: dt.datetime,
    source: Source | None = None,
    sentiment: SentimentFn | None = None,
) -> IngestResult:
    """Run a batch through every stage and store what matched. Call inside a transaction."""
    result = IngestResult()
    cutoff = now - dt.timedelta(days=retention_days(workspace))
    batch = _not_stored(workspace, _normalised(items, now, cutoff, result), result)
    matched = _matched(matcher_for(workspace), batch, result)
    rows: list[tuple[Mention, list[tuple[int, list[list[int]]]]]] = []
    for incoming, print_, language, explanations in _not_reposted(workspace, matched, result):
        mention = Mention(
            workspace=workspace,
            source=source,
            source_kind=incoming.source_kind,
            external_id=incoming.external_id,
            url=incoming.url,
            author_name=incoming.author_name,
            author_handle=incoming.author_handle,
            text=incoming.text,
            site=incoming.site,
            language=language,
            published_at=incoming.published_at,
            received_at=now,
            fingerprint=print_,
        )
        rows.append((mention, explanations))
    if not rows:
        return result
    _judge(rows, sentiment or default_sentiment)
    _store(workspace, rows, result)
    _rollup(workspace, rows, result)
    return result


def _normalised(
    items: Iterable[FoundItemLike], now: dt.datetime, cutoff: dt.datetime, result: IngestResult
) -> list[Incoming]:
    kept = []
    for item in items:
        result.read += 1
        incoming = normalise(item, now=now)
        if incoming is None or incoming.published_at < cutoff:
            result.skipped += 1
            continue
        kept.append(incoming)
    return kept


def _not_stored(
    workspace: Workspace, batch: list[Incoming], result: IngestResult
) -> list[Incoming]:
    """Drop what is stored already, or earlier in the batch (same source kind and id)."""
    if not batch:
        return []
    keys = {(item.source_kind, item.external_id) for item in batch}
    seen = set(
        Mention.objects.filter(
            workspace=workspace,
            source_kind__in={kind for kind, _ in keys},
            external_id__in={external_id for _, external_id in keys},
        ).values_list("source_kind", "external_id")
    )
    fresh = []
    for item in batch:
        key = (item.source_kind, item.external_id)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        fresh.append(item)
    return fresh


Explained = list[tuple[int, list[list[int]]]]


def _matched(
    matcher: Matcher, batch: list[Incoming], result: IngestResult
) -> list[tuple[Incoming, str, Explained]]:
    """The posts that match a query, with their language and where each query matched.

    Only posts the matcher's pre-filter keeps (about one in seven in a real stream) can match,
    whatever their language, so the language is detected for those alone: it is the costliest
    step per post, and a `lang:` query needs it before it can decide.
    """
    if not batch:
        return []
    possible = sorted(matcher.candidates([document_for(item, item.lang) for item in batch]))
    languages = [detect_language(batch[n].text, given=batch[n].lang) for n in possible]
    documents = [
        document_for(batch[n], language) for n, language in zip(possible, languages, strict=True)
    ]
    # One automaton pass over the candidates together (docs/listening.md, "The matcher").
    found = []
    for n, language, document, matched_ids in zip(
        possible, languages, documents, matcher.match_many(documents), strict=True
    ):
        if not matched_ids:
            continue
        explained = [
            (cast(int, explanation.query_id), [[hit.start, hit.end] for hit in explanation.hits])
            for explanation in matcher.explain(document, matched_ids)
        ]
        found.append((batch[n], language, explained))
    result.unmatched += len(batch) - len(found)
    return found


def _not_reposted(
    workspace: Workspace, matched: list[tuple[Incoming, str, Explained]], result: IngestResult
) -> list[tuple[Incoming, str, str, Explained]]:
    """Drop reposts: the same words as a stored mention within REPOST_WINDOW, or as one earlier
    in the batch. Fingerprints are made for matched posts only: the rest are not stored."""
    if not matched:
        return []
    prints = [fingerprint(item.text) for item, _, _ in matched]
    earliest = min(item.published_at for item, _, _ in matched) - REPOST_WINDOW
    stored_prints: dict[str, list[dt.datetime]] = {}
    for print_, published in Mention.objects.filter(
        workspace=workspace,
        fingerprint__in={p for p in prints if p},
        published_at__gte=earliest,
    ).values_list("fingerprint", "published_at"):
        stored_prints.setdefault(print_, []).append(published)

    def reposted(item: Incoming, print_: str) -> bool:
        return any(
            abs(item.published_at - published) <= REPOST_WINDOW
            for published in stored_prints.get(print_, ())
        )

    seen_prints: set[str] = set()
    fresh = []
    for (item, language, explained), print_ in zip(matched, prints, strict=True):
        if print_ and (print_ in seen_prints or reposted(item, print_)):
            result.duplicates += 1
            continue
        if print_:
            seen_prints.add(print_)
        fresh.append((item, print_, language, explained))
    return fresh


def _judge(
    rows: list[tuple[Mention, list[tuple[int, list[list[int]]]]]], sentiment: SentimentFn
) -> None:
    guesses = sentiment([mention.text for mention, _ in rows])
    for (mention, _), guess in zip(rows, guesses, strict=True):
        if guess is not None:
            mention.sentiment = guess.label
            mention.sentiment_score = guess.score


def _store(
    workspace: Workspace,
    rows: list[tuple[Mention, list[tuple[int, list[list[int]]]]]],
    result: IngestResult,
) -> None:
    """Two inserts and one read for the whole batch.

    ``ignore_conflicts`` covers a second worker storing the same post at the same moment; the
    ids are read back by the unique key because SQLite does not return them for such inserts.
    """
    Mention.objects.bulk_create(
        [mention for mention, _ in rows], batch_size=BULK_BATCH, ignore_conflicts=True
    )
    ids = {
        (kind, external_id): pk
        for pk, kind, external_id in Mention.objects.filter(
            workspace=workspace,
            source_kind__in={mention.source_kind for mention, _ in rows},
            external_id__in=[mention.external_id for mention, _ in rows],
        ).values_list("id", "source_kind", "external_id")
    }
    links = []
    for mention, matched in rows:
        mention.pk = ids.get((mention.source_kind, mention.external_id))
        if mention.pk is None:  # pragma: no cover - deleted between the insert and the read
            continue
        for query_id, spans in matched:
            links.append(
                MentionMatch(
                    mention_id=mention.pk,
                    query_id=query_id,
                    published_at=mention.published_at,
                    spans=spans,
                )
            )
            result.query_ids.add(query_id)
    MentionMatch.objects.bulk_create(links, batch_size=BULK_BATCH, ignore_conflicts=True)
    result.stored += len(rows)
    result.matches += len(links)


def _rollup(
    workspace: Workspace,
    rows: list[tuple[Mention, list[tuple[int, list[list[int]]]]]],
    result: IngestResult,
) -> None:
    """Recount the days this batch touched, for the queries it matched, and upsert the counts.

    Recounting instead of adding keeps the rollups right when two workers race or a batch is
    read twice; a day whose mentions retention has deleted is never touched, because older
    items are not stored in the first place.
    """
    zone = ZoneInfo(workspace.timezone or "UTC")
    days = [mention.published_at.astimezone(zone).date() for mention, _ in rows]
    start = dt.datetime.combine(min(days), dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    _recount(
        workspace,
        result,
        model=MentionRollup,
        bucket="day",
        truncated=TruncDate("published_at", tzinfo=zone),
        between=(start, end),
    )
    # The same recount per UTC hour, for the charts of the last days.
    moments = [mention.published_at for mention, _ in rows]
    first_hour = min(moments).astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    last_hour = max(moments).astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    _recount(
        workspace,
        result,
        model=MentionHourRollup,
        bucket="hour",
        truncated=TruncHour("published_at", tzinfo=dt.UTC),
        between=(first_hour, last_hour + dt.timedelta(hours=1)),
    )


def _recount(
    workspace: Workspace,
    result: IngestResult,
    *,
    model: type[MentionRollup] | type[MentionHourRollup],
    bucket: str,
    truncated: Any,
    between: tuple[dt.datetime, dt.datetime],
) -> None:
    """Count the matches of the batch's queries in ``between`` per query, ``bucket`` (day or
    hour) and sentiment, and upsert the counts: one aggregate, one upsert."""
    counts = (
        MentionMatch.objects.filter(
            query_id__in=result.query_ids,
            published_at__gte=between[0],
            published_at__lt=between[1],
        )
        .annotate(**{bucket: truncated})
        .values("query_id", bucket, "mention__sentiment")
        .annotate(n=Count("id"))
    )
    made: list[Any] = [
        model(
            workspace=workspace,
            query_id=row["query_id"],
            sentiment=row["mention__sentiment"] or "",
            count=row["n"],
            **{bucket: row[bucket]},
        )
        for row in counts
    ]
    model.objects.bulk_create(
        made,
        batch_size=BULK_BATCH,
        update_conflicts=True,
        unique_fields=["query", bucket, "sentiment"],
        update_fields=["count"],
    )


def rollups_subtract(workspace: Workspace, *, mention_ids: Sequence[int], zone: str) -> None:
    """Take mentions about to be deleted (deleted on their network) out of the daily counts.

    Subtracting rather than recounting keeps the counts of days whose other mentions
    retention has deleted already. Call inside the deleting transaction."""
    tz = ZoneInfo(zone or "UTC")
    gone = (
        MentionMatch.objects.filter(mention_id__in=list(mention_ids))
        .annotate(day=TruncDate("published_at", tzinfo=tz))
        .values("query_id", "day", "mention__sentiment")
        .annotate(n=Count("id"))
    )
    _hours_subtract(workspace, mention_ids)
    for row in gone:
        MentionRollup.objects.filter(
            workspace=workspace,
            query_id=row["query_id"],
            day=row["day"],
            sentiment=row["mention__sentiment"] or "",
        ).update(count=Greatest(F("count") - row["n"], Value(0)))


def _hours_subtract(workspace: Workspace, mention_ids: Sequence[int]) -> None:
    gone = (
        MentionMatch.objects.filter(mention_id__in=list(mention_ids))
        .annotate(hour=TruncHour("published_at", tzinfo=dt.UTC))
        .values("query_id", "hour", "mention__sentiment")
        .annotate(n=Count("id"))
    )
    for row in gone:
        MentionHourRollup.objects.filter(
            workspace=workspace,
            query_id=row["query_id"],
            hour=row["hour"],
            sentiment=row["mention__sentiment"] or "",
        ).update(count=Greatest(F("count") - row["n"], Value(0)))
