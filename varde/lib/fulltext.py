"""Full-text search over one table's text columns: SQLite FTS5 or PostgreSQL full-text.

One small helper that listening (mentions) and the inbox (items) share; each app declares its
table with a ``FullText`` and adds the index with the ``CreateFullText`` migration operation.

**SQLite**: an external-content FTS5 table ``<table>_fts`` (the text lives once, in the app's
table; the FTS table holds only the index), tokenizer ``unicode61 remove_diacritics 0``. It is
kept in step by three triggers in the database (insert, delete, update of the indexed columns),
so every write path is covered: the pipeline's batched ``bulk_create`` (the trigger runs inside
that one INSERT, no extra query), retention and every other delete, cascades from a deleted
workspace or channel, and rows written by hand. An external-content index that misses one write
gives wrong answers or a corrupt index, which is why this is not left to each service.

**PostgreSQL**: a generated column ``search_vector tsvector`` (``GENERATED ALWAYS … STORED``)
with a GIN index, made with the configuration of the row's language: ``norwegian`` for "no",
``english`` for "en", ``simple`` (no stemming, no stop words) for anything else or unknown. A
search is parsed by ``websearch_to_tsquery`` once per configuration and each row is compared
with the query of its own configuration, so "kaffen" finds "kaffe" in Norwegian rows.

**What a person types** (both databases): plain words, every one must occur; "quoted phrases"
(the words next to each other); ``-word`` leaves out rows with it; ``or`` between two terms.
Every other character is a word boundary, never an operator: quotes that do not pair, ``*``,
``NEAR``, brackets, ``:`` or ``^`` cannot make the search fail. Case never matters; accents
do on both databases (``café`` ≠ ``cafe``), and æ, ø, å are letters of their own. On SQLite a
word of three letters or more also finds words that begin with it (``kaffe`` → ``kaffen``,
``kaffebar``), a stand-in for the stemming SQLite lacks; phrases match exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection as default_connection
from django.db import connections
from django.db.migrations.operations.base import Operation
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

# The row's language (the app's code) -> the PostgreSQL configuration its text is indexed with.
LANGUAGE_CONFIGS: tuple[tuple[str, str], ...] = (("no", "norwegian"), ("en", "english"))
OTHER_CONFIG = "simple"
VECTOR_COLUMN = "search_vector"
STATISTICS = 1000  # PostgreSQL's statistics target for the vector column (default 100)

MAX_SEARCH_LENGTH = 200  # characters of what a person typed that are read
MAX_TERMS = 16  # words or phrases, the rest ignored
MAX_WORD_LENGTH = 64
PREFIX_MIN = 3  # SQLite: words this long or longer also match as a prefix

M = TypeVar("M", bound="Model")

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# What FTS5's unicode61 tokenizer keeps together: letters, digits (and private-use characters).
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


@dataclass(frozen=True)
class FullText:
    """Which table is searched and how: its text columns, the column that holds each row's
    language, and columns of handles (``ola.nordmann.bsky.social``) that PostgreSQL should also
    read word by word (FTS5 splits them anyway)."""

    table: str
    columns: tuple[str, ...]
    language_column: str = "language"
    handle_columns: tuple[str, ...] = ()
    languages: tuple[tuple[str, str], ...] = LANGUAGE_CONFIGS

    def __post_init__(self) -> None:
        for name in (self.table, self.language_column, *self.columns, *self.handle_columns):
            _identifier(name)
        for _code, config in self.languages:
            _identifier(config)

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def gin_index(self) -> str:
        return f"{self.table}_search"


# --- What a person typed -----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    phrase: bool = False  # written in quotes: the words next to each other, no prefix
    negated: bool = False


@dataclass(frozen=True)
class Search:
    """A search as ``websearch_to_tsquery`` reads it: groups joined by ``or``, each a list of
    terms that must all hold (``-term``: must not)."""

    groups: tuple[tuple[Term, ...], ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not any(self.groups)


def clean(text: str) -> str:
    """What is read of a search: NFC (so a typed "å" is the stored "å"), at most
    ``MAX_SEARCH_LENGTH`` characters, no control characters."""
    text = unicodedata.normalize("NFC", text or "")[:MAX_SEARCH_LENGTH]
    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).strip()


def parse(text: str) -> Search:
    """Read a search the way ``websearch_to_tsquery`` does: words, "phrases", ``-`` and ``or``."""
    groups: list[tuple[Term, ...]] = []
    current: list[Term] = []
    count = 0
    for token in _TOKEN.findall(clean(text)):
        if token.lower() == "or":
            if current:
                groups.append(tuple(current))
                current = []
            continue
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        phrase = body.startswith('"')
        words = tuple(w[:MAX_WORD_LENGTH].lower() for w in _WORD.findall(body))
        if not words or count >= MAX_TERMS:
            continue
        current.append(Term(words=words, phrase=phrase or len(words) > 1, negated=negated))
        count += 1
    if current:
        groups.append(tuple(current))
    return Search(groups=tuple(groups))


# --- SQLite FTS5 -------------------------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    # Every word goes in double quotes (an FTS5 string), so nothing a person types is read as
    # an FTS5 operator; words hold only letters and digits, and quotes are doubled regardless.
    quoted = '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'
    if not term.phrase and len(term.words[0]) >= PREFIX_MIN:
        quoted += "*"
    return quoted


def _fts5_any(terms: Sequence[Term]) -> str:
    return " OR ".join(_fts5_term(t) for t in terms)


def fts5_match(search: Search) -> tuple[str, str]:
    """(the MATCH expression of rows to keep, of rows to leave out when nothing is kept).

    FTS5's NOT needs something on its left, so a group of only ``-words`` is left out when
    another group has words to find; a search of only ``-words`` keeps every row without them.
    """
    kept = []
    for group in search.groups:
        wanted = [t for t in group if not t.negated]
        unwanted = [t for t in group if t.negated]
        if not wanted:
            continue
        expression = "(" + " AND ".join(_fts5_term(t) for t in wanted) + ")"
        if unwanted:
            expression = f"({expression} NOT ({_fts5_any(unwanted)}))"
        kept.append(expression)
    if kept:
        return " OR ".join(kept), ""
    return "", _fts5_any([t for group in search.groups for t in group])


def _fts5_rowids(spec: FullText, expression: str) -> tuple[str, list[Any]]:
    fts = f'"{spec.fts_table}"'
    # Names are checked plain identifiers; what a person typed is only ever a parameter.
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [expression]  # noqa: S608


def _sqlite_condition(spec: FullText, search: Search) -> tuple[str, list[Any]]:
    kept, left_out = fts5_match(search)
    inner, params = _fts5_rowids(spec, kept or left_out)
    column = f'"{spec.table}"."id"'
    return f"{column} {'IN' if kept else 'NOT IN'} ({inner})", params


# --- PostgreSQL ---------------------------------------------------------------------------------


def _postgresql_condition(spec: FullText, text: str) -> tuple[str, list[Any]]:
    vector = f'"{spec.table}"."{VECTOR_COLUMN}"'
    language = f'"{spec.table}"."{spec.language_column}"'
    branches, params = [], []
    for code, config in spec.languages:
        branches.append(f"({language} = %s AND {vector} @@ websearch_to_tsquery('{config}', %s))")
        params += [code, text]
    known = ", ".join(["%s"] * len(spec.languages))
    branches.append(
        f"({language} NOT IN ({known}) AND {vector} @@ websearch_to_tsquery('{OTHER_CONFIG}', %s))"
    )
    params += [code for code, _config in spec.languages] + [text]
    return "(" + " OR ".join(branches) + ")", params


# --- Both ---------------------------------------------------------------------------------------


def matching_sql(
    spec: FullText,
    text: str,
    *,
    select: str = "id",
    where: Mapping[str, int] | None = None,
    vendor: str | None = None,
) -> tuple[str, list[Any]] | None:
    """``SELECT <select> FROM <table> WHERE …`` for the rows that match ``text``, and its
    parameters; ``where`` adds equalities (``{"workspace_id": 3}``). None when ``text`` holds
    no word at all: such a search matches nothing.

    On SQLite, for the table's own ids, the FTS5 table answers alone (``SELECT rowid …``):
    ``where`` is then left to the caller's query, which must filter by it anyway, because
    joining the table to itself costs more than the search (85 ms instead of 20 ms for a
    common word over 300,000 mentions)."""
    search = parse(text)
    if search.empty:
        return None
    vendor = vendor or default_connection.vendor
    if vendor == "sqlite":
        kept, _left_out = fts5_match(search)
        if select == "id" and kept:
            return _fts5_rowids(spec, kept)
        condition, params = _sqlite_condition(spec, search)
    elif vendor == "postgresql":
        condition, params = _postgresql_condition(spec, clean(text))
    else:
        raise NotImplementedError(f"full-text search on {vendor} (SQLite and PostgreSQL only)")
    table = f'"{spec.table}"'
    filters = [f'{table}."{_identifier(column)}" = %s' for column in where or {}]
    sql = (
        f'SELECT {table}."{_identifier(select)}" FROM {table} '  # noqa: S608
        f"WHERE {' AND '.join([*filters, condition])}"
    )
    return sql, [*(where or {}).values(), *params]


def filter_matching(
    queryset: QuerySet[M],
    spec: FullText,
    text: str,
    *,
    field: str = "pk",
    select: str = "id",
    where: Mapping[str, int] | None = None,
) -> QuerySet[M]:
    """``queryset`` narrowed to rows whose ``field`` is among the ``select`` of the rows of
    ``spec``'s table that match ``text`` (one subquery, no extra round trip)."""
    vendor = connections[queryset.db].vendor
    found = matching_sql(spec, text, select=select, where=where, vendor=vendor)
    if found is None:
        return queryset.none()
    sql, params = found
    return queryset.filter(**{f"{field}__in": RawSQL(sql, params)})  # noqa: S611


# --- The index itself: a migration operation ---------------------------------------------------


def _sqlite_create(spec: FullText) -> list[str]:
    fts, table = spec.fts_table, spec.table
    columns = ", ".join(spec.columns)
    new = ", ".join(f"new.{c}" for c in spec.columns)
    old = ", ".join(f"old.{c}" for c in spec.columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608
    insert = f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def sqlite_triggers(spec: FullText) -> tuple[str, ...]:
    """The names of the triggers that keep ``spec``'s FTS5 table in step. A migration that
    makes SQLite copy the table (most ``AlterField``) drops them: such a migration runs
    ``DropFullText`` before and ``CreateFullText`` after (``tests/test_fulltext.py``
    checks that they exist after every migration)."""
    return tuple(f"{spec.fts_table}_{event}" for event in ("insert", "delete", "update"))


def _postgresql_vector(spec: FullText) -> str:
    language = spec.language_column
    config = "CASE " + " ".join(
        f"WHEN {language} = '{code}' THEN '{name}'::regconfig" for code, name in spec.languages
    )
    config += f" ELSE '{OTHER_CONFIG}'::regconfig END"
    parts = [f"coalesce({c}, '')" for c in spec.columns]
    parts += [
        f"regexp_replace(coalesce({c}, ''), '[^[:alnum:]]+', ' ', 'g')" for c in spec.handle_columns
    ]
    joined = " || ' ' || ".join(parts)
    return f"to_tsvector({config}, {joined})"


def _postgresql_create(spec: FullText) -> list[str]:
    return [
        f"ALTER TABLE {spec.table} ADD COLUMN {VECTOR_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({_postgresql_vector(spec)}) STORED",
        f"CREATE INDEX {spec.gin_index} ON {spec.table} USING gin ({VECTOR_COLUMN})",
        # A longer list of the most common words in the planner's statistics: with the default
        # (100) every word outside the few hundred commonest is guessed at 0.5 % of the rows,
        # and a search for a rare word (a name, an order number) walks the whole list instead
        # of asking the GIN index first (bench/inbox.py: 490 ms instead of 20 ms).
        f"ALTER TABLE {spec.table} ALTER COLUMN {VECTOR_COLUMN} SET STATISTICS {STATISTICS}",
    ]


def create_sql(spec: FullText, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_create(spec)
    if vendor == "postgresql":
        return _postgresql_create(spec)
    return []


def drop_sql(spec: FullText, vendor: str) -> list[str]:
    if vendor == "sqlite":
        drops = [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers(spec)]
        return [*drops, f"DROP TABLE IF EXISTS {spec.fts_table}"]
    if vendor == "postgresql":
        return [
            f"DROP INDEX IF EXISTS {spec.gin_index}",
            f"ALTER TABLE {spec.table} DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
        ]
    return []


class CreateFullText(Operation):
    """Add ``spec``'s full-text index (SQLite: FTS5 table, triggers, filled from the rows
    already there; PostgreSQL: generated tsvector column and GIN index). Django's model state
    does not change: the index is the database's, never a model field."""

    reversible = True
    reduces_to_sql = True

    def __init__(
        self,
        table: str,
        columns: Sequence[str],
        language_column: str = "language",
        handle_columns: Sequence[str] = (),
        languages: Sequence[Sequence[str]] = LANGUAGE_CONFIGS,
    ) -> None:
        self.spec = FullText(
            table=table,
            columns=tuple(columns),
            language_column=language_column,
            handle_columns=tuple(handle_columns),
            languages=tuple((code, config) for code, config in languages),
        )

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        spec = self.spec
        kwargs = {
            "table": spec.table,
            "columns": list(spec.columns),
            "language_column": spec.language_column,
            "handle_columns": list(spec.handle_columns),
            "languages": [list(pair) for pair in spec.languages],
        }
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for sql in create_sql(self.spec, schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for sql in drop_sql(self.spec, schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Full-text index on {self.spec.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"fulltext_{self.spec.table}"


class DropFullText(CreateFullText):
    """The reverse of ``CreateFullText``: remove the index (and, on SQLite, its triggers)."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Remove the full-text index on {self.spec.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"drop_fulltext_{self.spec.table}"
