"""CSV out: the calendar as people filter it, and the import template.

Written by ``varde.lib.tables.write_csv``: every cell quoted, and a formula start (= + - @, a
tab or a line end) at the start of a cell or after a separator inside it gets an apostrophe,
so nothing runs whichever separator the spreadsheet assumes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.lib.tables import safe_cell, write_csv

__all__ = ["calendar_csv", "safe_cell", "write_csv"]

if TYPE_CHECKING:
    from varde.calendar.selectors import Entry


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
