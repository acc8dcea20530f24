"""AT Protocol helpers for the Bluesky connector: error bodies, ids, tokens, notifications.

Shapes follow the lexicons in bluesky-social/atproto: XRPC errors
(``{"error": ..., "message": ...}``), at:// URIs, app.bsky.notification.listNotifications and
app.bsky.feed.getPostThread.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from varde.connectors.contracts import Mention, MentionKind, Page
from varde.connectors.errors import Rejected
from varde.connectors.http import ErrorDetail, parse_time
from varde.connectors.text import fingerprint

NETWORK = "Bluesky"
DEFAULT_SERVICE = "https://bsky.social"
POST_COLLECTION = "app.bsky.feed.post"
# Bluesky answers an expired access token with HTTP 400, not 401; these codes mean "auth".
AUTH_ERROR_CODES = frozenset({"ExpiredToken", "InvalidToken", "AuthMissing"})
_MENTION_REASONS = {"mention": MentionKind.MENTION, "quote": MentionKind.MENTION}
_COMMENT_REASONS = {"reply": MentionKind.COMMENT}
GET_POSTS_MAX = 25
PAGE_SIZE = 100
MAX_PAGES = 10

# How far before the cursor notifications are read again (see ``read_mentions``).
MENTION_OVERLAP = timedelta(minutes=10)

StrongRef = dict[str, str]


def read_error(response: httpx.Response) -> ErrorDetail:
    """XRPC errors are ``{"error": "InvalidRequest", "message": "..."}``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    code = body.get("error") if isinstance(body.get("error"), str) else None
    message = body.get("message") if isinstance(body.get("message"), str) else None
    return ErrorDetail(reason=message or code, code=code)


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT, unverified: only to know when to refresh."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError, binascii.Error):
        return None


def split_at_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` into its three parts."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        msg = f"not a Bluesky post id: {uri!r}"
        raise Rejected(msg, code="bad_id")
    return parts[0], parts[1], parts[2]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post_url(uri: str, handle: str | None) -> str:
    """The bsky.app address of a post: by handle when known (readable), else by DID."""
    did, _, rkey = split_at_uri(uri)
    return f"https://bsky.app/profile/{handle or did}/post/{rkey}"


def mention_from_notification(notification: dict[str, Any], indexed: datetime) -> Mention | None:
    """A reply, mention or quote from ``listNotifications``; None for likes, follows, ..."""
    reason = str(notification.get("reason", ""))
    kind = _MENTION_REASONS.get(reason) or _COMMENT_REASONS.get(reason)
    if kind is None:
        return None
    record = notification.get("record") or {}
    author = notification.get("author") or {}
    handle = str(author.get("handle", ""))
    uri = str(notification.get("uri", ""))
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
    return Mention(
        id=uri,
        kind=kind,
        author_handle=handle,
        author_name=str(author.get("displayName") or handle),
        text=str(record.get("text", "")),
        url=post_url(uri, handle),
        created_at=parse_time(record.get("createdAt")) or indexed,
        in_reply_to=parent if isinstance(parent, str) else None,
    )


def replies_from_thread(thread: Any, own_did: str) -> tuple[Mention, ...]:
    """Others' direct replies in a ``getPostThread`` answer (``#threadViewPost``). Deleted
    (``#notFoundPost``) and blocked (``#blockedPost``) replies carry no ``post`` and are
    skipped, as are the account's own replies (the parts of its threads)."""
    if not isinstance(thread, dict):
        return ()
    found = []
    for reply in thread.get("replies") or []:
        post = reply.get("post") if isinstance(reply, dict) else None
        if not isinstance(post, dict):
            continue
        author = post.get("author") or {}
        if author.get("did") == own_did:
            continue
        record = post.get("record") or {}
        handle = str(author.get("handle", ""))
        uri = str(post.get("uri", ""))
        indexed = parse_time(post.get("indexedAt")) or datetime.now(UTC)
        found.append(
            Mention(
                id=uri,
                kind=MentionKind.COMMENT,
                author_handle=handle,
                author_name=str(author.get("displayName") or handle),
                text=str(record.get("text", "")),
                url=post_url(uri, handle),
                created_at=parse_time(record.get("createdAt")) or indexed,
                in_reply_to=str((thread.get("post") or {}).get("uri", "")) or None,
            )
        )
    return tuple(found)


def read_mentions(
    list_page: Callable[[dict[str, Any]], dict[str, Any]], *, cursor: str | None
) -> Page[Mention]:
    """Replies, mentions and quotes newer than ``cursor`` (the newest ``indexedAt`` seen
    so far), and those of the ``MENTION_OVERLAP`` before it: the AppView indexes
    asynchronously, so a reply can arrive after a like that was indexed later than it (seen
    against the local network). Callers keep items by id, so the overlap stores nothing
    twice. The first call, without a cursor, returns only the latest page."""
    newest = parse_time(cursor) if cursor else None
    seen_until = newest - MENTION_OVERLAP if newest else None
    found: list[Mention] = []
    found_ids: set[str] = set()
    page_cursor: str | None = None
    for _ in range(MAX_PAGES if seen_until else 1):
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if page_cursor:
            params["cursor"] = page_cursor
        page = list_page(params)
        notifications = [n for n in page.get("notifications", []) if isinstance(n, dict)]
        reached_seen = False
        for notification in notifications:
            indexed = parse_time(notification.get("indexedAt"))
            if indexed is None:
                continue
            if seen_until is not None and indexed <= seen_until:
                reached_seen = True
                break
            newest = indexed if newest is None or indexed > newest else newest
            mention = mention_from_notification(notification, indexed)
            if mention is not None and mention.id not in found_ids:
                found_ids.add(mention.id)
                found.append(mention)
        page_cursor = page.get("cursor")
        if reached_seen or not page_cursor:
            break
    found.sort(key=lambda mention: mention.created_at)
    return Page(items=tuple(found), cursor=iso(newest) if newest else cursor)


def find_post_by_text(
    list_page: Callable[[dict[str, Any]], dict[str, Any]], *, text: str, since: datetime
) -> tuple[str, datetime] | None:
    """The uri and creation time of the account's post with ``text`` (by fingerprint) made
    at or after ``since``, over ``com.atproto.repo.listRecords`` pages; None when none is."""
    wanted = fingerprint(text)
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if cursor:
            params["cursor"] = cursor
        page = list_page(params)
        records = [r for r in page.get("records", []) if isinstance(r, dict)]
        for record in records:
            value = record.get("value") or {}
            created = parse_time(value.get("createdAt"))
            if created is None or created < since:
                continue
            if fingerprint(str(value.get("text", ""))) == wanted:
                return str(record["uri"]), created
        # Records come newest first (by record key, a timestamp): stop once past `since`.
        oldest = parse_time((records[-1].get("value") or {}).get("createdAt")) if records else None
        cursor = page.get("cursor")
        if not cursor or oldest is None or oldest < since:
            return None
    return None
