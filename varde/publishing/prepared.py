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

The claim's and the outcome's writes (``PreparedUpdate``, ``PreparedInsert``): ``QuerySet.update``
builds a filter, an ``UpdateQuery`` and their SQL on every call, and ``Model.save`` runs the
whole save machinery, each costing several times what running the statement costs; on SQLite
that is paid while the transaction holds the database's one write lock, which every other worker
waits for. These write the SQL once per database from the model's fields, and prepare each value
with its field (``get_db_prep_save``, ``get_db_prep_value``) as the ORM does. Only plain
equality conditions, plain values and ``+ 1``; anything else goes through the ORM. The same test
module checks that they write what the ORM writes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

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
            cursor.execute(compiled.sql, params)
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


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


class PreparedUpdate:
    """``UPDATE <model's table> SET <set_fields>, <increment> + 1 WHERE <where_fields> = …``,
    the SQL written once per database. ``run`` returns the number of rows changed."""

    def __init__(
        self,
        model: type[Model],
        *,
        set_fields: Sequence[str],
        where_fields: Sequence[str],
        increment: Sequence[str] = (),
    ) -> None:
        self._table = model._meta.db_table
        self._set = tuple(_concrete(model, name) for name in set_fields)
        self._where = tuple(_concrete(model, name) for name in where_fields)
        self._increment = tuple(_concrete(model, name).column for name in increment)
        self._sql: dict[str, str] = {}

    def _write_sql(self, quote: Callable[[str], str]) -> str:
        columns = [f"{quote(f.column)} = %s" for f in self._set]
        columns += [f"{quote(column)} = {quote(column)} + 1" for column in self._increment]
        where = " AND ".join(f"{quote(f.column)} = %s" for f in self._where)
        # Only column and table names of the model, quoted by the backend; values are params.
        return f"UPDATE {quote(self._table)} SET {', '.join(columns)} WHERE {where}"  # noqa: S608

    def run(
        self, values: Mapping[str, Any], where: Mapping[str, Any], using: str = DEFAULT_DB_ALIAS
    ) -> int:
        connection = connections[using]
        sql = self._sql.get(connection.vendor)
        if sql is None:
            sql = self._sql[connection.vendor] = self._write_sql(connection.ops.quote_name)
        params = [f.get_db_prep_save(values[f.name], connection) for f in self._set]
        params += [
            f.get_db_prep_value(where[f.name], connection, prepared=False) for f in self._where
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)


class PreparedInsert:
    """``INSERT`` of one new instance with every column, as ``Model.save`` would write it (no
    signals: nothing in Varde listens to them), the SQL written once per database. Sets the
    instance's primary key and marks it saved."""

    def __init__(self, model: type[Model]) -> None:
        meta = model._meta
        self._table = meta.db_table
        self._pk_column = _concrete(model, meta.pk.name).column
        self._pk = meta.pk
        self._fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
        self._sql: dict[str, tuple[str, bool]] = {}

    def _write_sql(self, connection: Any) -> tuple[str, bool]:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self._fields)
        placeholders = ", ".join("%s" for _ in self._fields)
        sql = f"INSERT INTO {quote(self._table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        returning = bool(connection.features.can_return_columns_from_insert)
        if returning:
            clause, _params = connection.ops.return_insert_columns([self._pk])
            sql = f"{sql} {clause}"
        return sql, returning

    def save(self, instance: Model, using: str = DEFAULT_DB_ALIAS) -> None:
        connection = connections[using]
        written = self._sql.get(connection.vendor)
        if written is None:
            written = self._sql[connection.vendor] = self._write_sql(connection)
        sql, returning = written
        params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in self._fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returning:
                pk = cursor.fetchone()[0]
            else:
                pk = connection.ops.last_insert_id(cursor, self._table, self._pk_column)
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = using
