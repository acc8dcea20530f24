"""AT Protocol helpers for the Bluesky connector: error bodies, ids, tokens, notifications.

Shapes follow the lexicons in bluesky-social/atproto: XRPC errors
(``{"error": ..., "message": ...}``), at:// URIs, app.bsky.notification.listNotifications and
app.bsky.feed.getPostThread.
"""

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from varde.connectors.contracts import Mention, MentionKind
from varde.connectors.errors import Rejected
from varde.connectors.http import ErrorDetail, parse_time

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
