"""Mastodon: a server's hashtag timeline (``GET /api/v1/timelines/tag/:hashtag``) or public
timeline (``GET /api/v1/timelines/public``), over REST.

Config: ``server`` (https://…), ``hashtag`` (without it: the public timeline), ``local``
("true": only the server's own users), ``token`` (optional; servers from 4.2 may require one
for public timelines), ``allow_private``.

Cursor: the newest status id read (ids are the server's own, so a cursor belongs to its
server). Each read pages forward from the cursor with ``min_id`` (results *immediately*
newer than the id, so pages are adjacent and nothing between two reads is skipped, which
``since_id`` does not promise), taking the next ``min_id`` from the ``Link: rel="prev"``
header as the API documents, and stops at an empty page, ``MAX_PAGES`` or the deadline; the
cursor then covers exactly what was read. Without a cursor, the newest page starts it.

The item's ``external_id`` is the status's ActivityPub ``uri``, the same on every server, so
one toot seen through two servers is one mention.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from django.utils.translation import gettext_lazy as _

from varde.listening.sources.base import Batch, FoundItem, SourceError, flag, required
from varde.listening.sources.fetch import check_http_url, client_for, fetch
from varde.listening.sources.registry import register
from varde.listening.sources.text import (
    aware_utc,
    clean_field,
    clean_text,
    from_timestamp,
    host_of,
    html_to_text,
    http_url,
    language,
)

PAGE = 40  # the API's maximum
MAX_PAGES = 10
MAX_PAGE_BYTES = 2 * 1024 * 1024
MIN_TIME_LEFT = 2.0  # seconds; below this no new page is started
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z ]+)"?')
_PUBLIC = frozenset({"public", "unlisted"})


@register
class MastodonSource:
    kind: ClassVar[str] = "mastodon"
    label: ClassVar[Any] = _("Mastodon (hashtag or public timeline)")
    config_keys: ClassVar[tuple[str, ...]] = (
        "server",
        "hashtag",
        "local",
        "token",
        "allow_private",
    )
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"token"})

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        server = check_http_url(required(config, "server")).rstrip("/")
        url = f"{server}{_path(config)}"
        headers = {"Accept": "application/json"}
        if config.get("token", "").strip():
            headers["Authorization"] = f"Bearer {config['token'].strip()}"
        client = self._client or client_for(allow_private=flag(config, "allow_private"))
        try:
            return self._read(
                client, url, config=config, cursor=cursor, headers=headers, deadline=deadline
            )
        finally:
            if self._client is None:
                client.close()

    def _read(
        self,
        client: httpx.Client,
        url: str,
        *,
        config: Mapping[str, str],
        cursor: str | None,
        headers: dict[str, str],
        deadline: float,
    ) -> Batch:
        base: dict[str, str | int] = {"limit": PAGE}
        if flag(config, "local"):
            base["local"] = "true"
        newest = cursor or None
        items: list[FoundItem] = []
        health: dict[str, str] = {}
        pages = 0
        more = False
        while pages < MAX_PAGES:
            params = dict(base)
            if newest is not None:
                params["min_id"] = newest
            answer = fetch(
                client, url, deadline=deadline, headers=headers, params=params,
                max_bytes=MAX_PAGE_BYTES,
            )  # fmt: skip
            pages += 1
            statuses = answer.json()
            if not isinstance(statuses, list):
                raise SourceError("bad_answer", "a timeline that is not a list")
            health["http_status"] = str(answer.status)
            remaining = answer.headers.get("x-ratelimit-remaining")
            if remaining:
                health["rate_limit_remaining"] = remaining
            page_ids = [s["id"] for s in statuses if isinstance(s, dict) and _is_id(s.get("id"))]
            if not page_ids:
                break
            items.extend(_items(statuses, server=host_of(url)))
            newest = _max_id([*page_ids, *([newest] if newest else [])])
            if cursor is None:
                break  # a first read takes the newest page only
            next_min = _prev_min_id(answer.headers.get("link", ""))
            if next_min is not None and _is_id(next_min):
                newest = _max_id([newest, next_min])
            if len(page_ids) < PAGE:
                break
            if deadline - time.monotonic() < MIN_TIME_LEFT:
                more = True
                break
        else:
            more = True
        health["pages"] = str(pages)
        if more:
            health["more"] = "yes"
        # Oldest first, as they happened.
        items.sort(key=lambda i: i.published_at)
        return Batch(items=items, cursor=newest if newest != cursor else None, health=health)


def _path(config: Mapping[str, str]) -> str:
    tag = config.get("hashtag", "").strip().lstrip("#")
    if not tag:
        return "/api/v1/timelines/public"
    if not re.fullmatch(r"\w+", tag):
        raise SourceError("bad_config", f"not a hashtag: {tag!r}")
    return f"/api/v1/timelines/tag/{quote(tag)}"


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() and value.isalnum()


def _id_key(value: str) -> tuple[int, str]:
    # Mastodon ids are numeric strings (snowflakes); a longer one is newer.
    return (len(value), value)


def _max_id(ids: list[str]) -> str:
    return max(ids, key=_id_key)


def _prev_min_id(link: str) -> str | None:
    """``min_id`` from the ``rel="prev"`` link (the page of newer statuses)."""
    for target, rel in _LINK.findall(link):
        if "prev" in rel.split():
            values = parse_qs(urlsplit(target).query).get("min_id")
            return values[0] if values else None
    return None


def _items(statuses: list[Any], *, server: str) -> list[FoundItem]:
    items = []
    for status in statuses:
        item = _item(status, server=server) if isinstance(status, dict) else None
        if item is not None:
            items.append(item)
    return items


def _item(status: dict[str, Any], *, server: str) -> FoundItem | None:
    if isinstance(status.get("reblog"), dict):
        return None  # a boost: the original is what was said
    if status.get("visibility", "public") not in _PUBLIC:
        return None
    found = status.get("account")
    account: dict[str, Any] = found if isinstance(found, dict) else {}
    acct = clean_field(account.get("acct", ""))
    if acct and "@" not in acct:
        acct = f"{acct}@{server}"  # a local account: make the handle global
    url = http_url(status.get("url")) or http_url(status.get("uri"))
    uri = str(status.get("uri") or "") or url or f"{server}/statuses/{status['id']}"
    spoiler = clean_text(str(status.get("spoiler_text") or ""))
    body = html_to_text(str(status.get("content") or ""))
    extra = {"status_id": str(status["id"]), "server": server}
    if _is_id(status.get("in_reply_to_id")):
        extra["in_reply_to"] = str(status["in_reply_to_id"])
    if spoiler:
        extra["content_warning"] = spoiler
    return FoundItem(
        source_kind=MastodonSource.kind,
        external_id=uri[:1000],
        url=url,
        author_name=clean_field(account.get("display_name", "")),
        author_handle=f"@{acct}" if acct else "",
        text=clean_text(f"{spoiler}\n\n{body}" if spoiler else body),
        lang=language(status.get("language")),
        published_at=aware_utc(status.get("created_at"), fallback=from_timestamp(time.time())),
        site=host_of(url) or server,
        extra=extra,
    )
