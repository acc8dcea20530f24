"""Server-side prepared statements on PostgreSQL for the SQL that runs for every send.

Fast-path code: change it only with ``bench/publish.py`` run before and after
(docs/benchmarks.md), and keep ``publishing/tests/test_engine_cost.py`` passing.

Django sends every statement as text with its values written in (psycopg's client-side
binding, Django's default), so PostgreSQL parses and plans each one anew, and psycopg scans
every statement longer than 4 KB for its placeholders again on every call (it keeps the scan
only for shorter ones). The claim's SELECT and the rules' stamp are such statements: together
they were a third of a worker's CPU per send and much of PostgreSQL's.

``execute`` runs a statement whose SQL never changes (only its values do) as
``EXECUTE name(values)``: the first time on a database connection it is ``PREPARE``d there
(its ``%s`` placeholders numbered ``$1``, ``$2``, …), so PostgreSQL plans it once per
connection, and the ``EXECUTE`` is short, so psycopg keeps its scan. The values are still
written in by psycopg, as for every other statement. One statement is still one statement
(``EXECUTE`` instead of the SQL itself), so the counts pinned by ``test_engine_cost.py`` hold.

SQLite runs the SQL as it is. A statement PostgreSQL will not prepare is logged once and run as
it is from then on. Prepared statements live in a database session: behind a connection pooler
in transaction mode (PgBouncer's ``pool_mode = transaction`` before 1.21) set
``VARDE_PG_PREPARE=0``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"%s|%%")
# Set on the DatabaseWrapper: (the psycopg connection the names were prepared on, SQL -> name,
# "" where PostgreSQL refused it). A new connection starts with none.
_STATE = "_varde_server_prepared"


def enabled() -> bool:
    return os.environ.get("VARDE_PG_PREPARE", "1").strip() != "0"


def numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1``, ``$2``, …, and ``%%`` as ``%``."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(replace, sql)


def _name_for(connection: Any, cursor: Any, sql: str, fixed: Sequence[Any] | None) -> str:
    state = getattr(connection, _STATE, None)
    if state is None or state[0] is not connection.connection:
        state = (connection.connection, {})
        setattr(connection, _STATE, state)
    names: dict[Any, str] = state[1]
    key = sql if fixed is None else (sql, tuple(fixed))
    name = names.get(key)
    if name is not None:
        return name
    # Fixed values are written into the statement, by psycopg as it writes every value.
    text = numbered(sql) if fixed is None else connection.ops.compose_sql(sql, fixed)
    name = "varde_" + hashlib.sha256(text.encode()).hexdigest()[:20]
    try:
        # Inside a transaction a refused PREPARE would abort it: a savepoint keeps it whole.
        with transaction.atomic(using=connection.alias):
            cursor.execute(f"PREPARE {name} AS {text}")
    except DatabaseError:
        log.warning("PostgreSQL would not prepare a statement; it runs as it is", exc_info=True)
        name = ""
    names[key] = name
    return name


def execute(
    connection: Any, cursor: Any, sql: str, params: Sequence[Any], *, fixed: bool = False
) -> None:
    """``cursor.execute(sql, params)``, through a statement prepared once per connection on
    PostgreSQL. ``sql`` must be the same text every time for the same statement. ``fixed``:
    the values are the same every time too (the rules' stamp of one workspace), so they are
    prepared with the statement, and the ``EXECUTE`` has none to write."""
    if connection.vendor != "postgresql" or not enabled():
        cursor.execute(sql, params)
        return
    name = _name_for(connection, cursor, sql, params if fixed else None)
    if not name:
        cursor.execute(sql, params)
    elif params and not fixed:
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


@contextmanager
def commit_not_awaited(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction (the one open, or a new one) whose commit on PostgreSQL does not wait for
    the server to write it to disk (``SET LOCAL synchronous_commit TO OFF``; what is committed
    is seen by every other connection at once, as always). Only for writes whose loss in a
    crash of the database server (at most its last fraction of a second) is recovered anyway:
    the publishing engine's record of a post the network accepted (the lease runs out, and the
    reconciler finds the post at the network) and what the sandbox, the pretend network,
    received. The claim that guards against sending twice keeps the default, a commit that
    waits. SQLite: no transaction is added."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
