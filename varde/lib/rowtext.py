"""Rows as one text each, for change stamps: the publishing engine compares what a rule reads
with what it read last time (``varde.policy.rules``), in one statement for many tables."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat

# Between fields: a control character no one types into a form.
SEPARATOR = "\x1f"


def rows_as_text(queryset: QuerySet[Any], tag: str, *fields: str) -> QuerySet[Any]:
    """``queryset`` as one text column: ``tag`` and each field's value, separated; NULL reads
    as "". Unordered, so that several can be joined with ``union``."""
    parts: list[Any] = [Value(tag)]
    for field in fields:
        parts += [Value(SEPARATOR), F(field)]
    rows: QuerySet[Any] = (
        queryset.order_by()
        .annotate(row_text=Concat(*parts, output_field=TextField()))
        .values_list("row_text", flat=True)
    )
    return rows
