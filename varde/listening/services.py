"""Every write of the listening app: queries, sources and their reads, mentions, retention.

Views, tasks and the command line call these; nothing else writes listening's tables.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.listening import pipeline
from varde.listening.choices import QueryKind
from varde.listening.models import (
    ListeningQuery,
    ListeningSettings,
    Mention,
    Source,
    SourceRun,
)
from varde.listening.query import check
from varde.listening.query.messages import problem_message
from varde.listening.query.problems import Severity
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.listening.pipeline import FoundItemLike, IngestResult, SentimentFn

log = logging.getLogger(__name__)

# How long one read of one source may take before it must hand back what it has.
READ_BUDGET_S = 20.0
RUNS_KEPT = dt.timedelta(days=2)


# --- Queries ----------------------------------------------------------------------------------


def _validate_query(text: str) -> None:
    errors = [p for p in check(text).problems if p.severity is Severity.ERROR]
    if errors:
        raise ValidationError([problem_message(p) for p in errors])


def _name_taken(workspace: Workspace, name: str, exclude_id: int | None = None) -> bool:
    found = ListeningQuery.objects.filter(workspace=workspace, name=name)
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.exists()


@transaction.atomic
def query_create(
    *,
    workspace: Workspace,
    name: str,
    text: str,
    kind: str = QueryKind.OTHER,
    active: bool = True,
    plan_item: str = "",
    actor: User | None = None,
) -> ListeningQuery:
    """A new query; raises ValidationError (in the active language) when the text has errors."""
    name = name.strip()
    _validate_query(text)
    if _name_taken(workspace, name):
        raise ValidationError(_("A query with this name exists already."))
    query = ListeningQuery.objects.create(
        workspace=workspace, name=name, text=text, kind=kind, active=active, plan_item=plan_item
    )
    audit_record(
        action="listening.query_created",
        workspace=workspace,
        actor=actor,
        target=query,
        detail={"name": name},
    )
    return query


@transaction.atomic
def query_update(
    *,
    query: ListeningQuery,
    name: str,
    text: str,
    kind: str,
    active: bool,
    actor: User | None = None,
) -> ListeningQuery:
    name = name.strip()
    _validate_query(text)
    if _name_taken(query.workspace, name, exclude_id=query.pk):
        raise ValidationError(_("A query with this name exists already."))
    query.name, query.text, query.kind, query.active = name, text, kind, active
    query.save()
    audit_record(
        action="listening.query_changed",
        workspace=query.workspace,
        actor=actor,
        target=query,
        detail={"name": name},
    )
    return query


@transaction.atomic
def query_delete(*, query: ListeningQuery, actor: User | None = None) -> None:
    audit_record(
        action="listening.query_deleted",
        workspace=query.workspace,
        actor=actor,
        detail={"name": query.name},
    )
    query.delete()


def _quoted(value: str) -> str:
    """A plan name as a phrase the query language accepts (quotes inside are dropped)."""
    cleaned = " ".join(value.replace('"', " ").split())
    return f'"{cleaned}"' if " " in cleaned or not cleaned.isalnum() else cleaned


@dataclass(frozen=True)
class PlannedQuery:
    plan_item: str
    name: str
    text: str
    kind: QueryKind


def _planned_queries(workspace: Workspace) -> list[PlannedQuery]:
    """What the plan asks to listen for: the brand, competitors, campaign and avoided tags."""
    planned = [PlannedQuery("brand", workspace.name, _quoted(workspace.name), QueryKind.BRAND)]
    for competitor in strategy_selectors.competitors_for(workspace):
        handles = [
            f"@{handle.lstrip('@')}"
            for _network, handle in competitor.handles
            if handle.strip().lstrip("@")
        ]
        terms = [_quoted(competitor.name), *dict.fromkeys(handles)]
        text = " OR ".join(terms)
        planned.append(
            PlannedQuery(
                f"competitor:{competitor.name.casefold()}",
                competitor.name,
                text,
                QueryKind.COMPETITOR,
            )
        )
    hashtags = strategy_selectors.hashtags_for(workspace)
    planned += [
        PlannedQuery(f"hashtag:{tag}", f"#{tag}", f"#{tag}", QueryKind.CAMPAIGN)
        for tag in hashtags.use
        if tag
    ]
    planned += [
        PlannedQuery(f"avoid:{tag}", f"#{tag}", f"#{tag}", QueryKind.HASHTAG_TO_AVOID)
        for tag in hashtags.avoid
        if tag
    ]
    return planned


@dataclass(frozen=True)
class FromPlanResult:
    created: list[ListeningQuery]
    existing: int  # made from the plan before
    problems: list[str]  # plan items that could not become a query, and why


@transaction.atomic
def queries_create_from_plan(*, workspace: Workspace, actor: User | None = None) -> FromPlanResult:
    """One query for each plan item that has none yet; running it twice creates nothing new."""
    known = set(
        ListeningQuery.objects.filter(workspace=workspace)
        .exclude(plan_item="")
        .values_list("plan_item", flat=True)
    )
    created, problems, existing = [], [], 0
    for planned in _planned_queries(workspace):
        if planned.plan_item in known:
            existing += 1
            continue
        known.add(planned.plan_item)
        name = _free_name(workspace, planned.name)
        try:
            query = query_create(
                workspace=workspace,
                name=name,
                text=planned.text,
                kind=planned.kind,
                plan_item=planned.plan_item,
                actor=actor,
            )
        except ValidationError as error:
            problems.append(f"{planned.name}: {' '.join(error.messages)}")
            continue
        created.append(query)
    return FromPlanResult(created, existing, problems)


def _free_name(workspace: Workspace, name: str) -> str:
    candidate, number = name[:120], 2
    while _name_taken(workspace, candidate):
        candidate = f"{name[:110]} ({number})"
        number += 1
    return candidate


# --- Sources ----------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Write a whole web address, starting with https://."))
    return url


@transaction.atomic
def source_create(
    *,
    workspace: Workspace,
    kind: str,
    name: str = "",
    url: str = "",
    config: Mapping[str, Any] | None = None,
    actor: User | None = None,
) -> Source:
    """A new source. The address, when there is one, is checked again by the SSRF guard on
    every read (the sources package); here it must at least be a web address."""
    kind = kind.strip().lower()
    if not kind or len(kind) > 40:
        raise ValidationError(_("Choose what kind of source this is."))
    settings = dict(config or {})
    if url:
        settings["url"] = _check_url(url)
    source = Source.objects.create(
        workspace=workspace,
        kind=kind,
        name=(name.strip() or settings.get("url") or kind)[:120],
        config=settings,
    )
    audit_record(
        action="listening.source_added",
        workspace=workspace,
        actor=actor,
        target=source,
        detail={"kind": kind, "name": source.name},
    )
    return source


@transaction.atomic
def source_set_enabled(*, source: Source, enabled: bool, actor: User | None = None) -> Source:
    source.enabled = enabled
    source.save(update_fields=["enabled"])
    audit_record(
        action="listening.source_enabled" if enabled else "listening.source_paused",
        workspace=source.workspace,
        actor=actor,
        target=source,
    )
    return source


@transaction.atomic
def source_delete(*, source: Source, actor: User | None = None) -> None:
    """Remove the source; mentions read from it stay (their ``source`` becomes empty)."""
    audit_record(
        action="listening.source_deleted",
        workspace=source.workspace,
        actor=actor,
        detail={"kind": source.kind, "name": source.name},
    )
    source.delete()


class BatchLike(Protocol):
    @property
    def items(self) -> Sequence[FoundItemLike]: ...
    @property
    def cursor(self) -> str | None: ...


class SourceReader(Protocol):
    def read(self, config: Mapping[str, Any], cursor: str | None, *, deadline: float) -> BatchLike:
        """Read from ``cursor`` until there is no more or ``time.monotonic()`` passes
        ``deadline``."""


SourceLookup = Callable[[str], Any]


def registry_lookup(kind: str) -> SourceReader:
    """The reader of ``kind`` from ``varde.listening.sources.registry``."""
    registry: Any = importlib.import_module("varde.listening.sources.registry")
    found = registry.get(kind)
    return found() if isinstance(found, type) else found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ReadOutcome:
    source_id: int
    ok: bool
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    error: str = ""


def source_read(
    *,
    source_id: int,
    now: dt.datetime | None = None,
    lookup: SourceLookup | None = None,
    sentiment: SentimentFn | None = None,
    budget_s: float = READ_BUDGET_S,
) -> ReadOutcome | None:
    """Read one source once and run what it found through the pipeline.

    The mentions and the new cursor are saved in one transaction, so a crash either keeps both
    or neither: a restart reads the same items again and the dedupe drops what was stored. A
    source that raises is recorded (``last_error``, a run row) and nothing else changes.
    """
    source = Source.objects.select_related("workspace").filter(pk=source_id).first()
    if source is None or not source.enabled:
        return None
    started = now or timezone.now()
    try:
        reader = (lookup or registry_lookup)(source.kind)
        batch = reader.read(
            source.config, source.cursor or None, deadline=time.monotonic() + budget_s
        )
        items = list(batch.items)
    except Exception as error:  # a broken source never stops the others
        log.warning("Listening source %s failed: %s", source.pk, error, exc_info=True)
        return _record_failure(source, started, error)
    try:
        with transaction.atomic():
            result = pipeline.ingest(
                workspace=source.workspace,
                items=items,
                now=started,
                source=source,
                sentiment=sentiment,
            )
            _record_success(source, started, batch.cursor, result)
    except Exception as error:
        log.exception("Listening source %s: storing what it read failed", source.pk)
        return _record_failure(source, started, error)
    return ReadOutcome(source.pk, True, result.read, result.stored, result.duplicates)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _record_failure(source: Source, started: dt.datetime, error: BaseException) -> ReadOutcome:
    text = _error_text(error)
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(last_read_at=started, last_error=text)
        SourceRun.objects.create(
            source=source, started_at=started, finished_at=timezone.now(), error=text
        )
    return ReadOutcome(source.pk, False, error=text)


def _record_success(
    source: Source, started: dt.datetime, cursor: str | None, result: IngestResult
) -> None:
    changes: dict[str, Any] = {
        "last_read_at": started,
        "last_ok_at": started,
        "last_error": "",
        "items_read": F("items_read") + result.read,
        "items_stored": F("items_stored") + result.stored,
    }
    if cursor is not None:  # None: the source has nothing newer to remember
        changes["cursor"] = cursor
    Source.objects.filter(pk=source.pk).update(**changes)
    SourceRun.objects.create(
        source=source,
        started_at=started,
        finished_at=timezone.now(),
        items_read=result.read,
        items_stored=result.stored,
        duplicates=result.duplicates,
    )


def sources_read_all(
    *,
    now: dt.datetime | None = None,
    lookup: SourceLookup | None = None,
    sentiment: SentimentFn | None = None,
    source_ids: Iterable[int] | None = None,
) -> list[ReadOutcome]:
    """Read every enabled source (or the ones given), one after the other."""
    ids = (
        list(source_ids)
        if source_ids is not None
        else list(Source.objects.filter(enabled=True).values_list("id", flat=True))
    )
    outcomes = []
    for source_id in ids:
        outcome = source_read(source_id=source_id, now=now, lookup=lookup, sentiment=sentiment)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


# --- Mentions ---------------------------------------------------------------------------------


@transaction.atomic
def mentions_ingest(
    *,
    workspace: Workspace,
    items: Iterable[FoundItemLike],
    now: dt.datetime | None = None,
    source: Source | None = None,
    sentiment: SentimentFn | None = None,
) -> IngestResult:
    """Run items through the pipeline without a stored source (CSV import, tests, the demo)."""
    return pipeline.ingest(
        workspace=workspace,
        items=items,
        now=now or timezone.now(),
        source=source,
        sentiment=sentiment,
    )


@transaction.atomic
def listening_settings_update(
    *, workspace: Workspace, retention_days: int, actor: User | None = None
) -> ListeningSettings:
    if retention_days < 1:
        raise ValidationError(_("Keep mentions for at least one day."))
    found, _created = ListeningSettings.objects.update_or_create(
        workspace=workspace, defaults={"retention_days": retention_days}
    )
    audit_record(
        action="listening.retention_changed",
        workspace=workspace,
        actor=actor,
        detail={"retention_days": retention_days},
    )
    return found


def mentions_prune(*, now: dt.datetime | None = None, chunk: int = 5000) -> int:
    """Delete mentions older than each workspace keeps them, and old source runs.

    Daily counts (rollups) stay. Deleted in chunks so a big backlog never holds the write lock
    for long.
    """
    now = now or timezone.now()
    settings = dict(ListeningSettings.objects.values_list("workspace_id", "retention_days"))
    workspace_ids = set(Mention.objects.values_list("workspace_id", flat=True).distinct())
    deleted = 0
    for workspace_id in workspace_ids:
        days = settings.get(workspace_id, pipeline.DEFAULT_RETENTION_DAYS)
        cutoff = now - dt.timedelta(days=days)
        while True:
            ids = list(
                Mention.objects.filter(workspace_id=workspace_id, published_at__lt=cutoff)
                .order_by()
                .values_list("id", flat=True)[:chunk]
            )
            if not ids:
                break
            with transaction.atomic():
                Mention.objects.filter(pk__in=ids).delete()
            deleted += len(ids)
    SourceRun.objects.filter(started_at__lt=now - RUNS_KEPT).delete()
    return deleted
