"""RSS and Atom feeds (and news sites' feeds), parsed by feedparser.

Config: ``url`` (the feed), ``allow_private`` (set by the app, see ``fetch``).

Each read is a conditional GET: the cursor keeps the server's ``ETag`` and ``Last-Modified``
and sends them back as ``If-None-Match`` / ``If-Modified-Since``; a 304 is a batch with
``not_modified``. Because many servers send neither (or change the ETag on every request),
the cursor also keeps a short digest of every entry id in the last document: an entry is
new when its id was not in the previous document, so a restart neither repeats nor loses
an entry that is still in the feed. The id is the entry's guid/id, else its link, else a
digest of its title and date.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import feedparser
import httpx
from django.utils.translation import gettext_lazy as _

from varde.listening.sources.base import Batch, FoundItem, SourceError, flag, required
from varde.listening.sources.fetch import check_http_url, client_for, fetch
from varde.listening.sources.registry import register
from varde.listening.sources.text import (
    clean_field,
    clean_text,
    from_timestamp,
    host_of,
    html_to_text,
    http_url,
    language,
)

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_SEEN = 2000  # ids remembered; a feed document rarely has more than a few hundred entries
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)


@register
class FeedSource:
    kind: ClassVar[str] = "rss"
    label: ClassVar[Any] = _("RSS or Atom feed")
    config_keys: ClassVar[tuple[str, ...]] = ("url", "allow_private")

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        url = check_http_url(required(config, "url"))
        state = _State.load(cursor)
        headers = {"Accept": ACCEPT}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.modified:
            headers["If-Modified-Since"] = state.modified
        client = self._client or client_for(allow_private=flag(config, "allow_private"))
        try:
            answer = fetch(
                client,
                url,
                deadline=deadline,
                headers=headers,
                max_bytes=MAX_FEED_BYTES,
                accept=frozenset({304}),
            )
        finally:
            if self._client is None:
                client.close()
        health = {"http_status": str(answer.status)}
        if answer.moved_to:
            health["moved_to"] = answer.moved_to
        if answer.status == 304:
            return Batch(items=[], cursor=None, not_modified=True, health=health)
        parsed = feedparser.parse(
            answer.body,
            response_headers={k.lower(): v for k, v in answer.headers.items()},
            sanitize_html=False,  # we keep text only (text.html_to_text), never markup
            resolve_relative_uris=False,
        )
        _require_feed(parsed)
        feed_title = clean_field(parsed.feed.get("title", ""))
        if feed_title:
            health["feed_title"] = feed_title
        fallback_lang = language(parsed.feed.get("language"))
        items: list[FoundItem] = []
        seen: list[str] = []
        for entry in parsed.entries:
            item = _item(entry, feed_url=answer.url, fallback_lang=fallback_lang)
            digest = _digest(item.external_id)
            if digest in seen:
                continue
            seen.append(digest)
            if digest not in state.seen:
                items.append(item)
        new_state = _State(
            etag=answer.headers.get("etag", ""),
            modified=answer.headers.get("last-modified", ""),
            seen=frozenset(seen[:MAX_SEEN]),
        )
        return Batch(items=items, cursor=new_state.dump(), health=health)


class _State:
    def __init__(self, *, etag: str = "", modified: str = "", seen: frozenset[str]) -> None:
        self.etag, self.modified, self.seen = etag, modified, seen

    @classmethod
    def load(cls, cursor: str | None) -> _State:
        if not cursor:
            return cls(seen=frozenset())
        try:
            data = json.loads(cursor)
            return cls(
                etag=str(data.get("etag", "")),
                modified=str(data.get("modified", "")),
                seen=frozenset(str(s) for s in data.get("seen", [])),
            )
        except (ValueError, AttributeError, TypeError):
            # An unreadable cursor (older format, hand-edited): read the feed afresh.
            return cls(seen=frozenset())

    def dump(self) -> str:
        return json.dumps(
            {"etag": self.etag, "modified": self.modified, "seen": sorted(self.seen)},
            separators=(",", ":"),
        )


def _digest(external_id: str) -> str:
    return hashlib.sha256(external_id.encode("utf-8")).hexdigest()[:16]


def _require_feed(parsed: Any) -> None:
    if parsed.get("version") or parsed.entries:
        return
    problem = parsed.get("bozo_exception")
    raise SourceError("not_a_feed", clean_field(problem) if problem else "")


def _item(entry: Any, *, feed_url: str, fallback_lang: str | None) -> FoundItem:
    link = http_url(entry.get("link"))
    title = html_to_text(entry.get("title", "") or "")
    body, body_lang = _body(entry)
    published = _published(entry)
    guid = str(entry.get("id") or "").strip() or link
    if not guid:
        guid = hashlib.sha256(f"{title}\n{published.isoformat()}".encode()).hexdigest()
    # A guid such as "123" is unique only within its feed; a URL or URN is global.
    external_id = guid if ":" in guid else f"{feed_url}#{guid}"
    text = clean_text(f"{title}\n\n{body}" if title and body and body != title else title or body)
    extra = {"title": title[:300]} if title else {}
    author = clean_field(entry.get("author", ""))
    return FoundItem(
        source_kind=FeedSource.kind,
        external_id=external_id[:1000],
        url=link,
        author_name=author,
        author_handle="",
        text=text,
        lang=body_lang or fallback_lang,
        published_at=published,
        site=host_of(link) or host_of(feed_url),
        extra=extra,
    )


def _body(entry: Any) -> tuple[str, str | None]:
    """The longest of the entry's content and summary, as text, with its language."""
    candidates: list[tuple[str, str | None]] = []
    for content in entry.get("content", []) or []:
        candidates.append((content.get("value", "") or "", language(content.get("language"))))
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary", "") or "", language(detail.get("language"))))
    best = max(candidates, key=lambda c: len(c[0]))
    return html_to_text(best[0]), best[1]


def _published(entry: Any) -> datetime:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            # feedparser gives UTC struct_time; timegm reads it as UTC.
            return from_timestamp(calendar.timegm(value))
    return from_timestamp(time.time())
