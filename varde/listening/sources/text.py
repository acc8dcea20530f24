"""Turning what networks send into the plain, bounded text of a FoundItem.

``html_to_text`` parses HTML with the standard library's tolerant parser, keeps only text
nodes (never the content of script, style or template), turns block elements and ``<br>``
into line breaks and unescapes entities once. The result is text to be escaped when shown,
never HTML to be rendered.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from varde.connectors.http import parse_time

MAX_TEXT = 20_000  # characters kept of one item's text
MAX_FIELD = 300  # author names, handles, titles
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title", "iframe", "svg"})
_BLOCK = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "tr", "table", "section", "article", "header", "footer", "figure", "figcaption",
        "hr", "dd", "dt",
    }
)  # fmt: skip


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text from untrusted HTML (feeds, Mastodon statuses)."""
    if "<" not in markup and "&" not in markup:
        return clean_text(markup)
    parser = _TextOnly()
    parser.feed(markup[: MAX_TEXT * 5])
    parser.close()
    return clean_text("".join(parser.parts))


def clean_text(text: str, *, limit: int = MAX_TEXT) -> str:
    """NFC, no control or direction-override characters, spaces collapsed, bounded."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def clean_field(value: object, *, limit: int = MAX_FIELD) -> str:
    if value is None:
        return ""
    return clean_text(str(value).replace("\n", " "), limit=limit)


def http_url(value: object) -> str:
    """``value`` when it is an absolute http(s) URL, else "" (no javascript: links ever)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    if _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    return url[:2000]


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def aware_utc(value: object, *, fallback: datetime) -> datetime:
    """An ISO 8601 time as aware UTC, or ``fallback`` when missing or unreadable."""
    parsed = parse_time(value)
    return parsed if parsed is not None else fallback


def from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def language(value: object) -> str | None:
    """A BCP 47 tag as the source gave it (trimmed, bounded), or None."""
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    if not tag or len(tag) > 35 or not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", tag):
        return None
    return tag
