"""Hacker News through the public Algolia search API
(``GET https://hn.algolia.com/api/v1/search_by_date``), stories and comments, newest first.

Config: ``query`` (the words to search for), ``tags`` (Algolia's tag filter, default
``(story,comment)``).

Cursor: ``{"t": created_at_i, "ids": [objectIDs at that second]}``: everything before ``t``
was read, and at ``t`` the listed ids. A read asks for ``created_at_i>=t`` up to a fixed
upper bound (the time the read began, so pages do not shift under it while new hits arrive),
narrows that bound while the window holds more than Algolia will page through (1,000 hits),
and walks the pages from the oldest to the newest, moving the cursor after each page; a read
cut short by the deadline resumes where it stopped. Without a cursor, the newest page starts it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy as _

from varde.listening.sources.base import Batch, FoundItem, SourceError, required
from varde.listening.sources.fetch import client_for, fetch
from varde.listening.sources.registry import register
from varde.listening.sources.text import (
    clean_field,
    clean_text,
    from_timestamp,
    html_to_text,
    http_url,
)

API = "https://hn.algolia.com/api/v1/search_by_date"
ITEM = "https://news.ycombinator.com/item?id="
PER_PAGE = 100
PAGINATION_LIMIT = 1000  # Algolia's paginationLimitedTo on this index
MAX_NARROWING = 12
MIN_TIME_LEFT = 2.0


@register
class HackerNewsSource:
    kind: ClassVar[str] = "hackernews"
    label: ClassVar[Any] = _("Hacker News (search)")
    config_keys: ClassVar[tuple[str, ...]] = ("query", "tags")

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        query = required(config, "query")
        base: dict[str, str | int] = {
            "query": query,
            "tags": config.get("tags", "").strip() or "(story,comment)",
            "hitsPerPage": PER_PAGE,
        }
        # A fixed host, not a person's: the guard still applies (it costs nothing).
        client = self._client or client_for(allow_private=False)
        try:
            if not cursor:
                page = _page(client, base, deadline)
                items = _items(page.get("hits"))
                return Batch(items=items, cursor=_Cursor.after(items, _Cursor(0, ())).dump())
            return _Window(client, base, _Cursor.load(cursor), deadline).read()
        finally:
            if self._client is None:
                client.close()


class _Cursor:
    def __init__(self, t: int, ids: tuple[str, ...]) -> None:
        self.t, self.ids = t, ids

    @classmethod
    def load(cls, text: str) -> _Cursor:
        try:
            data = json.loads(text)
            return cls(int(data["t"]), tuple(str(i) for i in data.get("ids", [])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(
                "bad_config", "the stored cursor is not a Hacker News cursor"
            ) from exc

    @classmethod
    def after(cls, items: list[FoundItem], previous: _Cursor) -> _Cursor:
        if not items:
            return previous
        newest = max(int(i.extra["created_at_i"]) for i in items)
        ids = [i.external_id for i in items if int(i.extra["created_at_i"]) == newest]
        if newest == previous.t:
            ids = [*previous.ids, *ids]
        return cls(newest, tuple(dict.fromkeys(ids)))

    def dump(self) -> str:
        return json.dumps({"t": self.t, "ids": list(self.ids)}, separators=(",", ":"))


class _Window:
    """One read from a cursor: fixed upper bound, pages walked oldest first."""

    def __init__(
        self, client: httpx.Client, base: dict[str, str | int], cursor: _Cursor, deadline: float
    ) -> None:
        self.client, self.base, self.cursor, self.deadline = client, base, cursor, deadline
        self.upper = int(time.time())

    def _params(self, page: int) -> dict[str, str | int]:
        filters = f"created_at_i>={self.cursor.t},created_at_i<={self.upper}"
        return {**self.base, "numericFilters": filters, "page": page}

    def read(self) -> Batch:
        first = _page(self.client, self._params(0), self.deadline)
        narrowed = False
        for _step in range(MAX_NARROWING):
            if int(first.get("nbHits", 0)) <= PAGINATION_LIMIT or self.upper <= self.cursor.t:
                break
            self.upper = self.cursor.t + (self.upper - self.cursor.t) // 2
            narrowed = True
            first = _page(self.client, self._params(0), self.deadline)
        pages = max(1, int(first.get("nbPages", 1)))
        items: list[FoundItem] = []
        cursor = self.cursor
        more = narrowed
        for number in range(pages - 1, -1, -1):
            if number and self.deadline - time.monotonic() < MIN_TIME_LEFT:
                more = True
                break
            page = first if number == 0 else _page(self.client, self._params(number), self.deadline)
            fresh = [
                i
                for i in _items(page.get("hits"))
                if not (
                    int(i.extra["created_at_i"]) == self.cursor.t
                    and i.external_id in self.cursor.ids
                )
                and i.external_id not in {x.external_id for x in items}
            ]
            items.extend(fresh)
            cursor = _Cursor.after(fresh, cursor)
        health = {"pages": str(pages)}
        if more:
            health["more"] = "yes"
        items.sort(key=lambda i: i.published_at)
        changed = (cursor.t, cursor.ids) != (self.cursor.t, self.cursor.ids)
        return Batch(items=items, cursor=cursor.dump() if changed else None, health=health)


def _page(client: httpx.Client, params: Mapping[str, str | int], deadline: float) -> dict[str, Any]:
    return fetch(
        client, API, deadline=deadline, params=params, max_bytes=4 * 1024 * 1024
    ).json_object()


def _items(hits: object) -> list[FoundItem]:
    items = []
    for hit in hits if isinstance(hits, list) else []:
        item = _item(hit) if isinstance(hit, dict) else None
        if item is not None:
            items.append(item)
    return items


def _item(hit: dict[str, Any]) -> FoundItem | None:
    object_id = str(hit.get("objectID") or "")
    created = hit.get("created_at_i")
    if not object_id.isdigit() or not isinstance(created, int):
        return None
    title = clean_field(hit.get("title") or hit.get("story_title") or "")
    body = html_to_text(str(hit.get("comment_text") or hit.get("story_text") or ""))
    is_comment = bool(hit.get("comment_text"))
    text = body if is_comment else clean_text(f"{title}\n\n{body}" if body else title)
    extra = {"created_at_i": str(created)}
    if title:
        extra["title"] = title
    link = http_url(hit.get("url") or hit.get("story_url"))
    if link:
        extra["link"] = link
    if is_comment and hit.get("parent_id") is not None:
        extra["in_reply_to"] = str(hit["parent_id"])
    if hit.get("story_id") is not None:
        extra["story_id"] = str(hit["story_id"])
    return FoundItem(
        source_kind=HackerNewsSource.kind,
        external_id=object_id,
        url=f"{ITEM}{object_id}",
        author_name=clean_field(hit.get("author") or ""),
        author_handle=clean_field(hit.get("author") or ""),
        text=text,
        lang=None,
        published_at=from_timestamp(created),
        site="news.ycombinator.com",
        extra=extra,
    )
