"""The engine's per-send statements, their SQL built once per process instead of once per
delivery. Fast-path code: change it only with ``bench/publish.py`` run before and after
(docs/benchmarks.md), and keep ``publishing/tests/test_engine_cost.py`` passing.

The claim's SELECT (``PreparedSelect``):

Django builds a queryset's SQL anew every time it runs. For the claim's SELECT (the delivery
with its post, author, channel, workspace and variant text, in one statement) building the SQL
costs more than running it, and on SQLite that cost was paid while the claim held the write
lock that every worker waits for. ``PreparedSelect`` builds the SQL once, with a stand-in for
the one value that changes between claims (the time, ``now``), then runs that SQL with the
real time and makes the model instances the way ``QuerySet`` does (converters, related objects
from ``select_related``, annotations).

It leans on Django's compiler (``klass_info``, ``select``, ``results_iter``) and its
``get_related_populators``, as ``ModelIterable`` does. Where the stand-in cannot be found in
the compiled parameters, it says so once in the log and runs the queryset as usual.
``publishing/tests/test_prepared.py`` checks that it gives what the queryset gives.

The claim's and the outcome's writes use ``varde.lib.prepared_writes`` (``PreparedUpdate``,
``PreparedInsert``), which the sandbox's pretend network shares.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

from varde.lib import server_prepared

log = logging.getLogger(__name__)

# A time no claim uses, to find where ``now`` sits among the compiled parameters.
STAND_IN = datetime(2000, 1, 1, 0, 0, 0, 123457, tzinfo=UTC)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    now_slots: tuple[int, ...]
    compiler: Any  # django.db.models.sql.compiler.SQLCompiler, kept for its converters
    converters: Any  # the compiler's converters for the selected columns, found once
    model: type[Model]
    model_columns: tuple[int, int]
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class PreparedSelect:
    """The first row of ``build(now)``, with its SQL built once per database connection."""

    def __init__(
        self, build: Callable[[datetime], QuerySet[Any]], time_field: Field[Any, Any]
    ) -> None:
        self._build = build
        self._time_field = time_field  # how the time is written as a parameter
        self._compiled: dict[str, _Compiled | None] = {}
        self._lock = threading.Lock()

    def first(self, now: datetime, using: str = DEFAULT_DB_ALIAS) -> Any:
        connection = connections[using]
        key = f"{using}:{connection.vendor}"
        if key not in self._compiled:
            with self._lock:
                self._compiled[key] = self._compile(using)
        compiled = self._compiled[key]
        if compiled is None:
            return next(iter(self._build(now).using(using)[:1]), None)
        params = list(compiled.params)
        written = self._time_field.get_db_prep_value(now, connection)
        for slot in compiled.now_slots:
            params[slot] = written
        with connection.cursor() as cursor:
            server_prepared.execute(connection, cursor, compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:  # what results_iter does, without finding the converters again
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        start, end = compiled.model_columns
        instance = compiled.model.from_db(using, list(compiled.init_list), row[start:end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance

    def _compile(self, using: str) -> _Compiled | None:
        queryset = self._build(STAND_IN).using(using)[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        written = self._time_field.get_db_prep_value(STAND_IN, connections[using])
        slots = tuple(i for i, value in enumerate(params) if value == written)
        if not slots:
            log.warning("Could not prepare %s; it is built for every claim", queryset.model)
            return None
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            now_slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            model=klass_info["model"],
            model_columns=(start, end),
            init_list=tuple(column[0].target.attname for column in select[start:end]),
            populators=tuple(get_related_populators(klass_info, select, using)),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )
