"""Reddit, with the user's own OAuth app ("script" or "web app" type, app-only access), as
Reddit's API terms require: Varde ships no Reddit credentials.

Config: ``client_id``, ``client_secret`` (sensitive), and either ``query`` (``GET /search``,
newest first) or ``subreddit`` (``GET /r/NAME/new``); ``username`` (for the User-Agent Reddit
asks for: ``<platform>:<app id>:<version> (by /u/<username>)``).

The token comes from ``POST https://www.reddit.com/api/v1/access_token`` with
``grant_type=client_credentials`` and is kept in memory until shortly before it expires.

Cursor: ``{"t": created_utc, "ids": [fullnames at that second]}``. A read pages back through
the listing (``after``) until it reaches the cursor's time; when the deadline or
``MAX_PAGES`` stops it first, the items are returned but the cursor stays, so nothing older
is skipped (the next read goes over them again; upstream removes the duplicates).

**Deleted content**: Reddit's terms say content deleted on Reddit must be deleted here.
:func:`check_deleted` takes stored fullnames (``t3_…``) and answers which are now deleted or
removed (``GET /api/info``, 100 at a time); the app runs it on a schedule for recent Reddit
mentions and deletes those.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
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
    http_url,
)

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # noqa: S105 - a URL
API = "https://oauth.reddit.com"
SITE = "https://www.reddit.com"
PAGE = 100
MAX_PAGES = 10
MIN_TIME_LEFT = 2.0
INFO_BATCH = 100
_SUBREDDIT = re.compile(r"[A-Za-z0-9_]{2,21}")
_FULLNAME = re.compile(r"t[1-6]_[a-z0-9]{1,13}")
_DELETED = frozenset({"[deleted]", "[removed]"})

_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


@register
class RedditSource:
    kind: ClassVar[str] = "reddit"
    label: ClassVar[Any] = _("Reddit (search or subreddit)")
    config_keys: ClassVar[tuple[str, ...]] = (
        "client_id", "client_secret", "query", "subreddit", "username",
    )  # fmt: skip
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})

    def __init__(self, *, client: httpx.Client | None = None) -> None:
        self._client = client

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        path, params = _listing(config)
        client = self._client or client_for(allow_private=False)
        try:
            headers = _headers(client, config, deadline)
            return _Reader(client, headers, path, params, deadline).read(_Cursor.load(cursor))
        finally:
            if self._client is None:
                client.close()

    def check_deleted(
        self, config: Mapping[str, str], external_ids: Iterable[str], *, deadline: float
    ) -> list[str]:
        """Which of ``external_ids`` (fullnames) are deleted or removed on Reddit now."""
        wanted = [i for i in dict.fromkeys(external_ids) if _FULLNAME.fullmatch(i)]
        client = self._client or client_for(allow_private=False)
        gone: list[str] = []
        try:
            headers = _headers(client, config, deadline)
            for start in range(0, len(wanted), INFO_BATCH):
                chunk = wanted[start : start + INFO_BATCH]
                answer = fetch(
                    client, f"{API}/api/info", deadline=deadline, headers=headers,
                    params={"id": ",".join(chunk), "raw_json": 1},
                ).json_object()  # fmt: skip
                alive = {
                    str(data.get("name")) for data in _children(answer) if not _is_deleted(data)
                }
                gone.extend(i for i in chunk if i not in alive)
        finally:
            if self._client is None:
                client.close()
        return gone


def _listing(config: Mapping[str, str]) -> tuple[str, dict[str, str | int]]:
    params: dict[str, str | int] = {"limit": PAGE, "raw_json": 1}
    subreddit = config.get("subreddit", "").strip().removeprefix("r/").removeprefix("/r/")
    if subreddit:
        if not _SUBREDDIT.fullmatch(subreddit):
            raise SourceError("bad_config", f"not a subreddit name: {subreddit!r}")
        return f"/r/{subreddit}/new", params
    query = required(config, "query")
    return "/search", {**params, "q": query, "sort": "new", "type": "link"}


def _user_agent(config: Mapping[str, str]) -> str:
    client_id = clean_field(config.get("client_id", ""), limit=40)
    user = clean_field(config.get("username", ""), limit=40).removeprefix("u/")
    by = f" (by /u/{user})" if user else ""
    return f"server:varde-listening-{client_id}:0.1{by}"


def _headers(client: httpx.Client, config: Mapping[str, str], deadline: float) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {_token(client, config, deadline)}",
        "User-Agent": _user_agent(config),
    }


def _token(client: httpx.Client, config: Mapping[str, str], deadline: float) -> str:
    client_id, secret = required(config, "client_id"), required(config, "client_secret")
    key = hashlib.sha256(f"{client_id}\0{secret}".encode()).hexdigest()
    with _tokens_lock:
        cached = _tokens.get(key)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    answer = fetch(
        client, TOKEN_URL, method="POST", deadline=deadline, auth=(client_id, secret),
        data={"grant_type": "client_credentials"}, headers={"User-Agent": _user_agent(config)},
    ).json_object()  # fmt: skip
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise SourceError("auth", clean_field(answer.get("error", "")) or "no access token")
    lifetime = answer.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
    with _tokens_lock:
        _tokens[key] = (token, time.monotonic() + max(60.0, seconds - 300.0))
    return token


def forget_tokens() -> None:
    """Drop cached tokens (tests; a changed secret is a new key anyway)."""
    with _tokens_lock:
        _tokens.clear()


class _Cursor:
    def __init__(self, t: int, ids: tuple[str, ...]) -> None:
        self.t, self.ids = t, ids

    @classmethod
    def load(cls, text: str | None) -> _Cursor | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls(int(data["t"]), tuple(str(i) for i in data.get("ids", [])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError("bad_config", "the stored cursor is not a Reddit cursor") from exc

    def dump(self) -> str:
        return json.dumps({"t": self.t, "ids": list(self.ids)}, separators=(",", ":"))


class _Reader:
    def __init__(
        self,
        client: httpx.Client,
        headers: dict[str, str],
        path: str,
        params: dict[str, str | int],
        deadline: float,
    ) -> None:
        self.client, self.headers, self.deadline = client, headers, deadline
        self.url, self.params = f"{API}{path}", params

    def read(self, cursor: _Cursor | None) -> Batch:
        items: list[FoundItem] = []
        after: str | None = None
        reached = False
        pages = 0
        while pages < MAX_PAGES:
            params = {**self.params, **({"after": after} if after else {})}
            answer = fetch(
                self.client, self.url, deadline=self.deadline, headers=self.headers,
                params=params, max_bytes=4 * 1024 * 1024,
            )  # fmt: skip
            pages += 1
            listing = answer.json_object()
            for data in _children(listing):
                item = _item(data)
                if item is None:
                    continue
                created = int(item.extra["created_utc"])
                if cursor is not None and (
                    created < cursor.t or (created == cursor.t and item.external_id in cursor.ids)
                ):
                    reached = True
                    continue
                items.append(item)
            body = listing.get("data")
            after = body.get("after") if isinstance(body, dict) else None
            if cursor is None or reached or not isinstance(after, str) or not after:
                reached = True
                break
            if self.deadline - time.monotonic() < MIN_TIME_LEFT:
                break
        health = {"pages": str(pages)}
        if not reached:
            health["more"] = "yes"
        items = list({i.external_id: i for i in items}.values())
        items.sort(key=lambda i: i.published_at)
        return Batch(
            items=items, cursor=_next_cursor(items, cursor) if reached else None, health=health
        )


def _next_cursor(items: list[FoundItem], cursor: _Cursor | None) -> str | None:
    if not items:
        return None
    newest = max(int(i.extra["created_utc"]) for i in items)
    ids = [i.external_id for i in items if int(i.extra["created_utc"]) == newest]
    if cursor is not None and cursor.t == newest:
        ids = [*cursor.ids, *ids]
    return _Cursor(newest, tuple(dict.fromkeys(ids))).dump()


def _children(listing: dict[str, Any]) -> list[dict[str, Any]]:
    data = listing.get("data")
    children = data.get("children") if isinstance(data, dict) else None
    found = []
    for child in children if isinstance(children, list) else []:
        inner = child.get("data") if isinstance(child, dict) else None
        if isinstance(inner, dict):
            found.append(inner)
    return found


def _is_deleted(data: dict[str, Any]) -> bool:
    return (
        data.get("author") in _DELETED
        or data.get("selftext") in _DELETED
        or data.get("body") in _DELETED
        or bool(data.get("removed_by_category"))
    )


def _item(data: dict[str, Any]) -> FoundItem | None:
    name = str(data.get("name") or "")
    created = data.get("created_utc")
    if not _FULLNAME.fullmatch(name) or not isinstance(created, int | float) or _is_deleted(data):
        return None
    title = clean_field(data.get("title") or "")
    body = clean_text(str(data.get("selftext") or data.get("body") or ""))  # markdown
    permalink = str(data.get("permalink") or "")
    extra = {"created_utc": str(int(created)), "subreddit": clean_field(data.get("subreddit"))}
    if title:
        extra["title"] = title
    link = http_url(data.get("url"))
    if link and not link.startswith(SITE):
        extra["link"] = link
    author = clean_field(data.get("author") or "")
    return FoundItem(
        source_kind=RedditSource.kind,
        external_id=name,
        url=f"{SITE}{permalink}" if permalink.startswith("/r/") else "",
        author_name=author,
        author_handle=f"u/{author}" if author else "",
        text=clean_text(f"{title}\n\n{body}" if title and body else title or body),
        lang=None,
        published_at=from_timestamp(float(created)),
        site="reddit.com",
        extra=extra,
    )
