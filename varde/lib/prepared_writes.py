"""UPDATE and INSERT statements whose SQL is written once per database, for code that runs them
thousands of times a minute (the publishing engine's claim and outcome, the sandbox network).

Fast-path code: change it only with ``bench/publish.py`` run before and after
(docs/benchmarks.md), and keep ``publishing/tests/test_engine_cost.py`` passing.

``QuerySet.update`` builds a filter, an ``UpdateQuery`` and their SQL on every call, and
``Model.save`` runs the whole save machinery, each costing several times what running the
statement costs; on SQLite the engine pays that while its transaction holds the database's one
write lock, which every other worker waits for. These write the SQL once per database from the
model's fields and prepare each value with its field (``get_db_prep_save``,
``get_db_prep_value``), as the ORM does. Only equality conditions, plain values and ``+ 1``;
anything else goes through the ORM. No signals are sent (nothing in Varde listens to them).
``publishing/tests/test_prepared.py`` checks that they write what the ORM writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    Field,
    IntegerField,
    Model,
    PositiveIntegerField,
    TextField,
)

from varde.lib import server_prepared


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


# How a value is written, by the field's exact class. For these the ORM's preparation of a
# plain value is known and short, and is done here directly: a ``str`` (a ``TextChoices`` member
# too) or None as it is for text; an ``int`` or None as it is for integers; an aware datetime
# through the backend's adapter for date-times. Every other field, and every other value, goes
# through the field's own ``get_db_prep_save``.
_TEXT, _INTEGER, _DATETIME, _OTHER = range(4)
_KINDS: dict[type[Any], int] = {
    CharField: _TEXT,
    TextField: _TEXT,
    IntegerField: _INTEGER,
    PositiveIntegerField: _INTEGER,
    BigIntegerField: _INTEGER,
    DateTimeField: _DATETIME,
}


def _kind(field: Field[Any, Any]) -> int:
    return _KINDS.get(type(field), _OTHER)


def _prepared(
    fields: Sequence[Field[Any, Any]], kinds: Sequence[int], values: Sequence[Any], connection: Any
) -> list[Any]:
    params = []
    for field, kind, value in zip(fields, kinds, values, strict=True):
        if (
            (value is None and kind != _OTHER)
            or (kind == _TEXT and isinstance(value, str))
            or (kind == _INTEGER and type(value) is int)
        ):
            params.append(value)
        elif kind == _DATETIME and type(value) is datetime and value.tzinfo is not None:
            params.append(connection.ops.adapt_datetimefield_value(value))
        else:
            params.append(field.get_db_prep_save(value, connection))
    return params


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
        self._set_kinds = tuple(_kind(field) for field in self._set)
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
        params = _prepared(
            self._set, self._set_kinds, [values[f.name] for f in self._set], connection
        )
        params += [
            f.get_db_prep_value(where[f.name], connection, prepared=False) for f in self._where
        ]
        with connection.cursor() as cursor:
            server_prepared.execute(connection, cursor, sql, params)
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
        self._kinds = tuple(_kind(field) for field in self._fields)
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
        values = [f.pre_save(instance, True) for f in self._fields]
        params = _prepared(self._fields, self._kinds, values, connection)
        with connection.cursor() as cursor:
            server_prepared.execute(connection, cursor, sql, params)
            if returning:
                pk = cursor.fetchone()[0]
            else:
                pk = connection.ops.last_insert_id(cursor, self._table, self._pk_column)
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = using
