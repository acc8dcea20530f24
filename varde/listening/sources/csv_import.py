"""Mentions exported from other listening tools (Brandwatch, Meltwater, Talkwalker, a
spreadsheet), read from CSV or an Excel workbook.

Columns are found by their header names, in English or Norwegian, in any order (see
``HEADERS``); ``text`` and ``date`` are required, the rest optional. The file is read by
``varde.lib.tables``, the reader of every import (the calendar's posts, the newsletter's
subscribers): CSV in UTF-8 (with or without BOM) or Windows-1252, with ``;``, ``,`` or tab
between columns, or .xlsx. A row that cannot be read is reported with its row number and left
out; the others are imported.

``read_mentions(data, filename)`` is for the upload screen (preview, then import). The
registered ``csv`` source reads ``config["content"]`` (``stored_text``: the file as CSV text, as
the app stored it) and uses the content's digest as cursor, so importing the same file twice
adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.lib import tables
from varde.listening.sources.base import Batch, FoundItem, SourceError, required
from varde.listening.sources.registry import register
from varde.listening.sources.text import (
    clean_field,
    clean_text,
    from_timestamp,
    host_of,
    http_url,
    language,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
KIND = "csv"

# Header (lower case; "_" and "-" read as spaces) → field.
HEADERS: Mapping[str, str] = {
    **dict.fromkeys(
        ["text", "tekst", "content", "innhold", "message", "melding", "mention", "snippet",
         "full text", "body", "post"], "text",
    ),
    **dict.fromkeys(
        ["date", "dato", "published", "published at", "publisert", "created at", "time",
         "timestamp", "tidspunkt", "date time"], "date",
    ),
    **dict.fromkeys(["url", "link", "lenke", "permalink", "post url"], "url"),
    **dict.fromkeys(
        ["author", "author name", "forfatter", "name", "navn", "full name"], "author_name"
    ),
    **dict.fromkeys(
        ["handle", "author handle", "username", "user name", "brukernavn", "screen name",
         "account"], "author_handle",
    ),
    **dict.fromkeys(["language", "lang", "språk", "sprak"], "lang"),
    **dict.fromkeys(["id", "guid", "mention id", "post id", "resource id"], "id"),
    **dict.fromkeys(["site", "domain", "domene", "host"], "site"),
    **dict.fromkeys(["source", "kilde", "platform", "plattform", "page type", "network"], "source"),
    **dict.fromkeys(["title", "tittel", "headline", "overskrift"], "title"),
}  # fmt: skip
REQUIRED = ("text", "date")
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
)


@dataclass(frozen=True)
class CsvImport:
    items: list[FoundItem]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, what)
    ignored_columns: tuple[str, ...] = ()


def _table_name(filename: str) -> str:
    """What ``lib.tables`` reads the file as: a workbook by its name, anything else as CSV."""
    return "upload.xlsx" if filename.lower().endswith(".xlsx") else "upload.csv"


def _rows(data: bytes, filename: str) -> list[tables.Row]:
    try:
        return tables.read_rows(
            name=_table_name(filename), data=data, max_rows=MAX_ROWS, max_bytes=MAX_BYTES
        )
    except tables.TableError as error:
        raise SourceError("bad_file", " ".join(error.messages)) from None


def read_mentions(data: bytes, filename: str = "") -> CsvImport:
    rows = _rows(data, filename)
    if not rows:
        raise SourceError("bad_file", "the file is empty")
    return _read(rows[0].cells, rows[1:])


def read_text(text: str) -> CsvImport:
    """The mentions of a file kept as text (``stored_text``)."""
    return read_mentions(text.encode("utf-8"))


def stored_text(data: bytes, filename: str = "") -> str:
    """The file as it is kept with its source: a CSV file's own text; a workbook's rows as CSV,
    with a blank line for each blank row, so the rows keep their numbers."""
    if _table_name(filename).endswith(".csv"):
        return tables.decode(data)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    number = 0
    for row in _rows(data, filename):
        writer.writerows([[]] * (row.number - number - 1))
        writer.writerow(row.cells)
        number = row.number
    return out.getvalue()


def _read(header: list[str], rows: list[tables.Row]) -> CsvImport:
    keys = [
        HEADERS.get(" ".join(h.strip().lower().replace("_", " ").replace("-", " ").split()))
        for h in header
    ]
    missing = [name for name in REQUIRED if name not in keys]
    if missing:
        raise SourceError("bad_file", f"no column for: {', '.join(missing)}")
    ignored = tuple(h for h, k in zip(header, keys, strict=True) if k is None and h.strip())
    items: list[FoundItem] = []
    problems: list[tuple[int, str]] = []
    for row in rows:
        values = {k: v.strip() for k, v in zip(keys, row.cells, strict=False) if k is not None}
        item, problem = _item(values)
        if item is None:
            problems.append((row.number, problem))
        else:
            items.append(item)
    return CsvImport(items=items, problems=problems, ignored_columns=ignored)


def parse_date(value: str) -> datetime | None:
    value = value.strip()
    if value.isdigit() and len(value) in {10, 13}:  # epoch seconds or milliseconds
        return from_timestamp(int(value) / (1000 if len(value) == 13 else 1))
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for pattern in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, pattern)  # noqa: DTZ007 - UTC, below
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    # A time without an offset is read as UTC (what the listening tools export).
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _item(values: dict[str, str]) -> tuple[FoundItem | None, str]:
    text = clean_text(values.get("text", ""))
    if not text:
        return None, "no text"
    published = parse_date(values.get("date", ""))
    if published is None:
        return None, f"date not understood: {values.get('date', '')[:40]!r}"
    url = http_url(values.get("url", ""))
    author_name = clean_field(values.get("author_name", ""))
    author_handle = clean_field(values.get("author_handle", ""))
    external_id = clean_field(values.get("id", ""), limit=500) or url
    if not external_id:
        digest = hashlib.sha256(f"{author_handle}\0{published.isoformat()}\0{text}".encode())
        external_id = f"sha256:{digest.hexdigest()[:32]}"
    extra = {}
    for key in ("source", "title"):
        if values.get(key):
            extra[key] = clean_field(values[key])
    site = clean_field(values.get("site", "")).lower() or host_of(url)
    return (
        FoundItem(
            source_kind=KIND,
            external_id=external_id,
            url=url,
            author_name=author_name,
            author_handle=author_handle,
            text=text,
            lang=language(values.get("lang")),
            published_at=published,
            site=site.removeprefix("www."),
            extra=extra,
        ),
        "",
    )


@register
class CsvSource:
    kind: ClassVar[str] = KIND
    label: ClassVar[Any] = _("CSV import from another tool")
    config_keys: ClassVar[tuple[str, ...]] = ("content",)

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        content = required(config, "content")
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if cursor == digest:
            return Batch(items=[], cursor=None, not_modified=True)
        result = read_text(content)
        health = {"skipped": str(len(result.problems))} if result.problems else {}
        return Batch(items=result.items, cursor=digest, health=health)
