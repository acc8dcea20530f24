"""Writing Bluesky posts: the ``app.bsky.feed.post`` record, its facets and reply references.

Kept apart from ``bluesky.py`` so the connector reads as the network's story (connect,
publish, listen) while the record's details sit together here.

Shapes follow the lexicons in bluesky-social/atproto: ``app.bsky.feed.post`` (``text``,
``createdAt``, ``facets``, ``reply`` with ``root`` and ``parent`` strong refs, ``embed``,
``langs``), ``com.atproto.repo.createRecord``, ``com.atproto.identity.resolveHandle`` and
``app.bsky.feed.getPosts``.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from varde.connectors.bluesky.richtext import detect_facets
from varde.connectors.bluesky.xrpc import POST_COLLECTION, StrongRef, iso
from varde.connectors.errors import OutcomeUnknown, Rejected
from varde.connectors.http import utc_now

# The connector's ``_xrpc``: one XRPC call with the session's token, its JSON answer.
Xrpc = Callable[..., dict[str, Any]]
GetPosts = Callable[[Sequence[str]], list[dict[str, Any]]]


def create_post(
    xrpc: Xrpc,
    did: str,
    text: str,
    *,
    reply: dict[str, StrongRef] | None = None,
    embed: dict[str, Any] | None = None,
    language: str | None = None,
) -> tuple[StrongRef, datetime]:
    """Create one post in the account's repository; its strong ref and creation time."""
    created_at = utc_now()
    record: dict[str, Any] = {
        "$type": POST_COLLECTION,
        "text": text,
        "createdAt": iso(created_at),
    }
    facets = detect_facets(text, lambda handle: resolve_handle(xrpc, handle))
    if facets:
        record["facets"] = facets
    if reply:
        record["reply"] = reply
    if embed:
        record["embed"] = embed
    if language:
        record["langs"] = [language]
    created = xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        side_effect=True,
        json={"repo": did, "collection": POST_COLLECTION, "record": record},
    )
    uri, cid = created.get("uri"), created.get("cid")
    if not isinstance(uri, str) or not isinstance(cid, str):
        msg = "Bluesky accepted the post but did not say its id; it was probably published"
        raise OutcomeUnknown(msg)
    return {"uri": uri, "cid": cid}, created_at


def resolve_handle(xrpc: Xrpc, handle: str) -> str | None:
    """The DID of ``handle``, or None when it does not resolve (the mention stays text)."""
    try:
        found = xrpc(
            "GET",
            "com.atproto.identity.resolveHandle",
            side_effect=False,
            params={"handle": handle},
        )
    except Rejected:
        return None
    did = found.get("did")
    return did if isinstance(did, str) else None


def reply_refs(get_posts: GetPosts, uri: str) -> dict[str, StrongRef]:
    """The ``reply`` of a post answering ``uri``: its thread's root and ``uri`` as parent."""
    posts = get_posts([uri])
    if not posts:
        msg = "The Bluesky post being replied to no longer exists"
        raise Rejected(msg, code="reply_target_missing")
    post = posts[0]
    parent = {"uri": str(post["uri"]), "cid": str(post["cid"])}
    root = ((post.get("record") or {}).get("reply") or {}).get("root") or parent
    return {"root": {"uri": str(root["uri"]), "cid": str(root["cid"])}, "parent": parent}
