"""Every write of the listening app: queries, sources and their reads, mentions, retention.

Views, tasks and the command line call these; nothing else writes listening's tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.lib.crypto import decrypt_secret, encrypt_secret
from varde.listening import pipeline
from varde.listening.choices import AlertSensitivity, QueryKind
from varde.listening.models import (
    ListeningQuery,
    ListeningSettings,
    Mention,
    MentionHourRollup,
    Source,
    SourceRun,
)
from varde.listening.query import check
from varde.listening.query.messages import problem_message
from varde.listening.query.problems import Severity
from varde.listening.services.alerts import alerts_detect as alerts_detect
from varde.listening.services.alerts import alerts_detect_all as alerts_detect_all
from varde.listening.sources import csv_import, registry
from varde.listening.sources.base import SourceError
from varde.policy.text import hashtags_in
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.listening.pipeline import FoundItemLike, IngestResult, SentimentFn

log = logging.getLogger(__name__)

# How long one read of one source may take before it must hand back what it has.
READ_BUDGET_S = 20.0
RUNS_KEPT = dt.timedelta(days=2)
# The hourly counts serve the charts of the last 24 hours; the daily counts are kept for good.
HOUR_ROLLUPS_KEPT = dt.timedelta(days=14)


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
def query_for_hashtag(*, workspace: Workspace, tag: str, actor: User | None) -> ListeningQuery:
    """The query that looks for ``#tag`` (normalised, without "#"), created when none does:
    one click from the composer's hashtag context."""
    raw = tag.strip().removeprefix("#")
    found = hashtags_in("#" + raw)
    if len(found) != 1 or any(ch.isspace() or ch == "#" for ch in raw):
        raise ValidationError(_("This is not a hashtag."))
    tag = found[0]
    for query in ListeningQuery.objects.filter(workspace=workspace):
        if tag in hashtags_in(query.text) or query.name == f"#{tag}":
            return query
    return query_create(workspace=workspace, name=f"#{tag}", text=f"#{tag}", actor=actor)


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


# --- Sources ---------------------------------------------------------------------------------

# Set by the app at every read, never stored: ``allow_private`` from VARDE_ALLOW_PRIVATE_URLS,
# and what a kind's ``runtime_keys`` ask for, from the workspace and its plan.
RUNTIME_ONLY = frozenset({"allow_private"})
# Keys that hold an address Varde fetches: checked to be a web address when stored (the SSRF
# guard checks them again on every read, in the sources package).
ADDRESS_KEYS = frozenset({"url", "server"})
# Kinds fed through their own screen rather than the add-source form.
UPLOADED_KINDS = frozenset({csv_import.KIND})


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        raise ValidationError(_("Write a whole web address, starting with https://."))
    return url


def _kind_class(kind: str) -> Any:
    try:
        return registry.source_class(kind)
    except registry.UnknownSourceError:
        raise ValidationError(_("Choose what kind of source this is.")) from None


def source_form_keys(kind: str) -> tuple[str, ...]:
    """The settings a person gives for ``kind``: its ``config_keys`` less what the app fills in."""
    cls = _kind_class(kind)
    hidden = RUNTIME_ONLY | getattr(cls, "runtime_keys", frozenset())
    return tuple(key for key in cls.config_keys if key not in hidden)


def source_sensitive_keys(kind: str) -> frozenset[str]:
    return frozenset(getattr(_kind_class(kind), "sensitive_config_keys", frozenset()))


def _split_config(kind: str, given: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(stored in the clear, stored encrypted): only the kind's own keys, never runtime ones."""
    allowed = set(source_form_keys(kind)) | ({"content"} if kind in UPLOADED_KINDS else set())
    sensitive = source_sensitive_keys(kind)
    plain: dict[str, str] = {}
    secret: dict[str, str] = {}
    for key, value in given.items():
        text = str(value).strip() if value is not None else ""
        if key not in allowed or not text:
            continue
        if key in ADDRESS_KEYS:
            text = _check_url(text)
        (secret if key in sensitive else plain)[key] = text
    return plain, secret


# A kind's settings that must be given when the kind has them ("query" may be replaced by
# "subreddit"); the source checks everything again when it reads.
REQUIRED_KEYS = ("url", "server", "client_id", "client_secret", "query")


def source_required_keys(kind: str) -> frozenset[str]:
    """The settings of ``kind`` the form marks as required."""
    keys = source_form_keys(kind)
    return frozenset(
        key for key in REQUIRED_KEYS if key in keys and not (key == "query" and "subreddit" in keys)
    )


def _require_settings(kind: str, given: Mapping[str, str]) -> None:
    keys = source_form_keys(kind)
    missing = [
        key
        for key in REQUIRED_KEYS
        if key in keys and not given.get(key)
        and not (key == "query" and given.get("subreddit"))
    ]  # fmt: skip
    if missing:
        raise ValidationError(_("Fill in: %(settings)s.") % {"settings": ", ".join(missing)})


@transaction.atomic
def source_create(
    *,
    workspace: Workspace,
    kind: str,
    name: str = "",
    url: str = "",
    config: Mapping[str, Any] | None = None,
    enabled: bool = True,
    actor: User | None = None,
) -> Source:
    """A new source of a kind the sources registry knows, with that kind's settings.

    Secret settings (the kind's ``sensitive_config_keys``) are encrypted and never shown back.
    An address is checked again by the SSRF guard on every read (the sources package); here it
    must at least be a web address. ``url`` is a shortcut for the kind's address key."""
    kind = kind.strip().lower()
    _kind_class(kind)
    given = dict(config or {})
    if url:
        keys = source_form_keys(kind)
        address_key = next((key for key in ("url", "server") if key in keys), None)
        if address_key is None:
            raise ValidationError(_("This kind of source has no address."))
        given[address_key] = url
    plain, secret = _split_config(kind, given)
    _require_settings(kind, {**plain, **secret})
    label = str(registry.source_class(kind).label)
    source = Source.objects.create(
        workspace=workspace,
        kind=kind,
        name=(name.strip() or plain.get("url") or plain.get("server") or label)[:120],
        config=plain,
        secrets=encrypt_secret(json.dumps(secret)) if secret else "",
        enabled=enabled,
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
    """The reader of ``kind`` from the sources registry."""
    return registry.get(kind)


def _competitor_names(workspace: Workspace) -> str:
    return "\n".join(c.name for c in strategy_selectors.competitors_for(workspace))


# What a kind may ask for at read time (its ``runtime_keys``), from the workspace.
RUNTIME_VALUES: Mapping[str, Callable[[Workspace], str]] = {
    "workspace_id": lambda workspace: str(workspace.pk),
    "brand": lambda workspace: workspace.name,
    "competitors": _competitor_names,
}


def source_config_for_read(source: Source) -> dict[str, str]:
    """The stored settings, the decrypted secrets, and what the app fills in at read time."""
    config = {str(key): str(value) for key, value in (source.config or {}).items()}
    if source.secrets:
        config.update(json.loads(decrypt_secret(source.secrets)))
    wanted: frozenset[str] = frozenset()
    with contextlib.suppress(registry.UnknownSourceError):
        wanted = getattr(registry.source_class(source.kind), "runtime_keys", frozenset())
    for key in wanted:
        if key in RUNTIME_VALUES:
            config[key] = RUNTIME_VALUES[key](source.workspace)
    config.pop("allow_private", None)
    if settings.VARDE_ALLOW_PRIVATE_URLS:
        config["allow_private"] = "true"
    return config


@dataclass(frozen=True)
class ReadOutcome:
    source_id: int
    ok: bool
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    deleted: int = 0
    not_modified: bool = False
    error: str = ""
    error_code: str = ""


def source_read(
    *,
    source_id: int,
    now: dt.datetime | None = None,
    lookup: SourceLookup | None = None,
    sentiment: SentimentFn | None = None,
    budget_s: float = READ_BUDGET_S,
    paused_too: bool = False,
) -> ReadOutcome | None:
    """Read one source once and run what it found through the pipeline.

    The mentions, the deletions the network reported and the new cursor are saved in one
    transaction, so a crash either keeps all or nothing: a restart reads the same items again
    and the dedupe drops what was stored. A source that raises is recorded (its ``SourceError``
    code and detail, a run row) and nothing else changes. ``paused_too`` reads a paused source
    (a CSV import, read once on request).
    """
    source = Source.objects.select_related("workspace").filter(pk=source_id).first()
    if source is None or not (source.enabled or paused_too):
        return None
    started = now or timezone.now()
    try:
        reader = (lookup or registry_lookup)(source.kind)
        batch = reader.read(
            source_config_for_read(source),
            source.cursor or None,
            deadline=time.monotonic() + budget_s,
        )
        items = list(batch.items)
    except Exception as error:  # a broken source never stops the others
        log.warning("Listening source %s failed: %s", source.pk, error, exc_info=True)
        return _record_failure(source, started, error)
    deleted_ids = [str(i) for i in getattr(batch, "deleted_ids", ()) or ()]
    not_modified = bool(getattr(batch, "not_modified", False))
    health = {str(k): str(v) for k, v in (getattr(batch, "health", None) or {}).items()}
    try:
        with transaction.atomic():
            result = pipeline.ingest(
                workspace=source.workspace,
                items=items,
                now=started,
                source=source,
                sentiment=sentiment,
            )
            deleted = 0
            if deleted_ids:
                deleted = _delete_mentions(
                    source.workspace, source.kind, deleted_ids, zone=source.workspace.timezone
                )
            _record_success(
                source,
                started,
                batch.cursor,
                result,
                deleted=deleted,
                not_modified=not_modified,
                health=health,
            )
    except Exception as error:
        log.exception("Listening source %s: storing what it read failed", source.pk)
        return _record_failure(source, started, error)
    return ReadOutcome(
        source.pk,
        True,
        result.read,
        result.stored,
        result.duplicates,
        deleted=deleted,
        not_modified=not_modified,
    )


def _error_parts(error: BaseException) -> tuple[str, str]:
    """(code, detail): a SourceError's code and the network's words; else "" and the text."""
    if isinstance(error, SourceError):
        return error.code, error.detail[:1000]
    return "", f"{type(error).__name__}: {error}"[:1000]


def _record_failure(source: Source, started: dt.datetime, error: BaseException) -> ReadOutcome:
    code, detail = _error_parts(error)
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            last_read_at=started, last_error=detail, error_code=code
        )
        SourceRun.objects.create(
            source=source,
            started_at=started,
            finished_at=timezone.now(),
            error=detail or code,
            error_code=code,
        )
    return ReadOutcome(source.pk, False, error=detail, error_code=code)


def _record_success(
    source: Source,
    started: dt.datetime,
    cursor: str | None,
    result: IngestResult,
    *,
    deleted: int,
    not_modified: bool,
    health: dict[str, str],
) -> None:
    changes: dict[str, Any] = {
        "last_read_at": started,
        "last_ok_at": started,
        "last_error": "",
        "error_code": "",
        "items_read": F("items_read") + result.read,
        "items_stored": F("items_stored") + result.stored,
    }
    if health or not not_modified:
        # A "nothing changed" answer without figures keeps the figures of the last real read.
        changes["health"] = health
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
        deleted=deleted,
        not_modified=not_modified,
    )


def _delete_mentions(
    workspace: Workspace, source_kind: str, external_ids: Sequence[str], *, zone: str
) -> int:
    """Delete the stored copies of posts deleted on their network, their matches with them,
    and take them out of the daily counts (which retention otherwise keeps)."""
    found = Mention.objects.filter(
        workspace=workspace, source_kind=source_kind, external_id__in=list(external_ids)
    )
    ids = list(found.values_list("id", flat=True))
    if not ids:
        return 0
    pipeline.rollups_subtract(workspace, mention_ids=ids, zone=zone)
    Mention.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def mentions_delete_external(
    *, workspace: Workspace, source_kind: str, external_ids: Sequence[str]
) -> int:
    """Delete mentions that their network says are gone (Reddit's rules, and the author's)."""
    return _delete_mentions(workspace, source_kind, external_ids, zone=workspace.timezone)


# Reddit: how far back stored mentions are checked for deletion, and how many per source.
REDDIT_CHECK_WINDOW = dt.timedelta(days=30)
REDDIT_CHECK_MAX = 1000


def reddit_check_deleted(
    *, now: dt.datetime | None = None, lookup: SourceLookup | None = None
) -> int:
    """Ask Reddit which recent Reddit mentions were deleted or removed there, and delete them
    here (Reddit's terms require it). Returns how many were deleted; a failing source is
    logged and the others are checked."""
    now = now or timezone.now()
    deleted = 0
    for source in Source.objects.select_related("workspace").filter(kind="reddit"):
        external_ids = list(
            Mention.objects.filter(
                source=source, published_at__gte=now - REDDIT_CHECK_WINDOW
            ).values_list("external_id", flat=True)[:REDDIT_CHECK_MAX]
        )
        if not external_ids:
            continue
        try:
            reader: Any = (lookup or registry_lookup)(source.kind)
            gone = reader.check_deleted(
                source_config_for_read(source),
                external_ids,
                deadline=time.monotonic() + READ_BUDGET_S,
            )
        except Exception:
            log.warning("Reddit deletion check of source %s failed", source.pk, exc_info=True)
            continue
        if gone:
            deleted += mentions_delete_external(
                workspace=source.workspace, source_kind=source.kind, external_ids=gone
            )
    return deleted


# --- CSV import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvPreview:
    source: Source
    found: int
    problems: list[tuple[int, str]]  # (line, what)
    ignored_columns: tuple[str, ...]
    sample: list[Any]  # the first FoundItems


def _csv_problem(error: SourceError) -> ValidationError:
    return ValidationError(error.message())


@transaction.atomic
def csv_import_prepare(
    *,
    workspace: Workspace,
    data: bytes,
    name: str = "",
    filename: str = "",
    actor: User | None = None,
) -> CsvPreview:
    """Read an uploaded file, CSV or an Excel workbook by its ``filename`` (nothing is
    imported yet), and keep it as a paused ``csv`` source, for the preview and then
    ``csv_import_run``. A file that cannot be read raises ValidationError saying what to
    fix."""
    try:
        parsed = csv_import.read_mentions(data, filename)
    except SourceError as error:
        raise _csv_problem(error) from None
    if not parsed.items:
        raise ValidationError(
            _("No row of the file could be read. Each row needs a text and a date.")
        )
    source = source_create(
        workspace=workspace,
        kind=csv_import.KIND,
        name=name.strip() or _("CSV import"),
        config={"content": csv_import.stored_text(data, filename)},
        enabled=False,
        actor=actor,
    )
    return CsvPreview(
        source=source,
        found=len(parsed.items),
        problems=parsed.problems,
        ignored_columns=parsed.ignored_columns,
        sample=parsed.items[:10],
    )


def csv_import_preview(*, source: Source) -> CsvPreview:
    """The preview of a prepared import again (the file is kept with its source)."""
    parsed = csv_import.read_text(str(source.config.get("content", "")))
    return CsvPreview(source, len(parsed.items), parsed.problems, parsed.ignored_columns,
                      parsed.items[:10])  # fmt: skip


def csv_import_run(
    *, source: Source, sentiment: SentimentFn | None = None, actor: User | None = None
) -> ReadOutcome:
    """Import a prepared file: every readable row through the pipeline, in one transaction
    with the file's digest as cursor, so a failure stores nothing and importing the same file
    again adds nothing."""
    if source.kind != csv_import.KIND:
        raise ValidationError(_("This source is not a CSV import."))
    outcome = source_read(source_id=source.pk, sentiment=sentiment, paused_too=True)
    if outcome is None:  # pragma: no cover - deleted meanwhile
        raise ValidationError(_("This import is gone."))
    audit_record(
        action="listening.csv_imported",
        workspace=source.workspace,
        actor=actor,
        target=source,
        detail={"ok": outcome.ok, "stored": outcome.stored},
    )
    return outcome


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
    *,
    workspace: Workspace,
    retention_days: int,
    alert_sensitivity: str | None = None,
    actor: User | None = None,
) -> ListeningSettings:
    if retention_days < 1:
        raise ValidationError(_("Keep mentions for at least one day."))
    defaults: dict[str, Any] = {"retention_days": retention_days}
    if alert_sensitivity is not None:
        if alert_sensitivity not in AlertSensitivity.values:
            raise ValidationError(_("Choose a sensitivity."))
        defaults["alert_sensitivity"] = alert_sensitivity
    found, _created = ListeningSettings.objects.update_or_create(
        workspace=workspace, defaults=defaults
    )
    audit_record(
        action="listening.settings_changed",
        workspace=workspace,
        actor=actor,
        detail={k: str(v) for k, v in defaults.items()},
    )
    return found


def mentions_prune(*, now: dt.datetime | None = None, chunk: int = 5000) -> int:
    """Delete mentions older than each workspace keeps them, and old source runs.

    Daily counts (rollups) stay; hourly counts older than two weeks go. Deleted in chunks so a
    big backlog never holds the write lock for long.
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
    MentionHourRollup.objects.filter(hour__lt=now - HOUR_ROLLUPS_KEPT).delete()
    return deleted
