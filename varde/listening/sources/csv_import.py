"""Mentions exported from other listening tools (Brandwatch, Meltwater, Talkwalker, a
spreadsheet), read from CSV.

Columns are found by their header names, in English or Norwegian, in any order (see
``HEADERS``); ``text`` and ``date`` are required, the rest optional. The file may be UTF-8
(with or without BOM) or Windows-1252 (Excel's "CSV" on a Norwegian Windows), with ``;``, ``,``
or tab between columns (the header line decides). A row that cannot be read is reported with
its line number and left out; the others are imported.

(The calendar's ``read_table`` reads posts to publish and sits in a higher layer, with
Django forms and models in it; this reader keeps the same decoding and delimiter rules.)

``read_mentions(data)`` is for the upload screen (preview, then import). The registered
``csv`` source reads ``config["content"]`` (the file's text, as the app stored it) and uses
the content's digest as cursor, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

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


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_mentions(data: bytes) -> CsvImport:
    if len(data) > MAX_BYTES:
        raise SourceError("too_large", f"{len(data)} bytes, at most {MAX_BYTES}")
    return read_text(decode(data))


def _header(rows: Iterator[list[str]]) -> list[str]:
    """The first row; a file csv cannot read even that far is a bad file, not a crash."""
    try:
        return next(rows)
    except StopIteration:
        raise SourceError("bad_file", "the file is empty") from None
    except csv.Error as exc:  # e.g. a header cell over csv's field size limit
        raise SourceError("bad_file", str(exc)) from exc


def read_text(text: str) -> CsvImport:
    text = text.lstrip("\r\n")
    first_line = next(iter(text.splitlines()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    # newline="": csv sees CR, LF and CRLF as line ends (old Mac exports end lines with CR
    # only) and keeps a line break inside a quoted cell.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = _header(rows)
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
    try:
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise SourceError("too_large", f"more than {MAX_ROWS} rows")
            if not any(cell.strip() for cell in row):
                continue
            values = {k: v.strip() for k, v in zip(keys, row, strict=False) if k is not None}
            item, problem = _item(values)
            if item is None:
                problems.append((number, problem))
            else:
                items.append(item)
    except csv.Error as exc:
        raise SourceError("bad_file", str(exc)) from exc
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
