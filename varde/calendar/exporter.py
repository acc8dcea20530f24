"""CSV out: the calendar as people filter it, and the import template.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so
such cells are written with a leading apostrophe: the text stays readable and nothing runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from varde.calendar.selectors import Entry

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


def calendar_csv(entries: Iterable[Entry], zone: str) -> str:
    header: list[object] = [
        _("date"),
        _("time"),
        _("time zone"),
        _("channels"),
        _("status"),
        _("text"),
        _("campaign"),
        _("pillar"),
        _("mix category"),
        _("author"),
        _("link"),
        _("paid"),
        _("post id"),
    ]
    rows: list[list[object]] = [header]
    for entry in entries:
        rows.append(
            [
                entry.local_at.strftime("%Y-%m-%d"),
                entry.local_at.strftime("%H:%M"),
                zone,
                "; ".join(f"{c.label} ({c.status_label})" for c in entry.channels),
                entry.status_label,
                entry.text,
                entry.campaign,
                entry.pillar,
                entry.mix_category,
                entry.author_name,
                entry.link,
                _("yes") if entry.is_paid else _("no"),
                entry.post_id,
            ]
        )
    return write_csv(rows)
