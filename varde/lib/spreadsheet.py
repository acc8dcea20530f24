"""CSV cells that a spreadsheet will not run.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so
such cells are written with a leading apostrophe: the text stays readable and nothing runs.
The same rule as ``calendar/exporter.py``, here for apps below the calendar (leads).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
