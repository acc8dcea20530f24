"""Hiding and showing replies on Bluesky, through the thread's threadgate record.

Bluesky has no "hide" call. The author of a thread lists the replies to hide in the
``hiddenReplies`` of an ``app.bsky.feed.threadgate`` record in their own repository, whose
record key is the root post's (lexicon ``app.bsky.feed.threadgate``: ``post``, ``createdAt``,
optional ``allow`` and ``hiddenReplies``, at most 300). The same record holds the thread's
reply rules (``allow``; absent = anyone may reply, ``[]`` = nobody), so it is read, changed in
``hiddenReplies`` only, and written back with ``com.atproto.repo.putRecord`` and
``swapRecord``: the PDS refuses the write (``InvalidSwap``) if the record changed since it
was read (``swapRecord: null`` means "only if there is none yet"), and then it is read and
written once more. A lost answer is safe to retry: the same change again writes nothing.
"""

from collections.abc import Callable, Sequence
from typing import Any

from varde.connectors.bluesky.xrpc import POST_COLLECTION, iso, split_at_uri
from varde.connectors.errors import Rejected
from varde.connectors.http import utc_now

THREADGATE_COLLECTION = "app.bsky.feed.threadgate"
# The lexicon's maxLength for hiddenReplies.
MAX_HIDDEN_REPLIES = 300

Xrpc = Callable[..., dict[str, Any]]
GetPosts = Callable[[Sequence[str]], list[dict[str, Any]]]


def set_reply_hidden(
    xrpc: Xrpc, get_posts: GetPosts, own_did: str, reply_uri: str, *, hidden: bool
) -> None:
    """Hide (or show again) ``reply_uri`` in a thread the account ``own_did`` started."""
    root_uri = _own_thread_root(get_posts, reply_uri, own_did)
    rkey = split_at_uri(root_uri)[2]
    for attempt in range(2):
        current, cid = _read_threadgate(xrpc, own_did, rkey)
        record = _changed(current, root_uri=root_uri, reply_uri=reply_uri, hidden=hidden)
        if record is None:
            return  # already as asked
        try:
            xrpc(
                "POST",
                "com.atproto.repo.putRecord",
                side_effect=False,  # writing the same list twice changes nothing
                json={
                    "repo": own_did,
                    "collection": THREADGATE_COLLECTION,
                    "rkey": rkey,
                    "record": record,
                    "swapRecord": cid,
                },
            )
            return
        except Rejected as error:
            # Someone (the Bluesky app, another Varde worker) changed the record meanwhile:
            # read it again so their change is kept, and try once more.
            if error.code != "InvalidSwap" or attempt:
                raise


def _own_thread_root(get_posts: GetPosts, reply_uri: str, own_did: str) -> str:
    _, collection, _ = split_at_uri(reply_uri)
    if collection != POST_COLLECTION:
        msg = f"not a Bluesky post id: {reply_uri!r}"
        raise Rejected(msg, code="bad_id")
    posts = get_posts([reply_uri])
    if not posts:
        msg = "This Bluesky reply no longer exists, so there is nothing to hide or show"
        raise Rejected(msg, code="comment_missing")
    root = ((posts[0].get("record") or {}).get("reply") or {}).get("root") or {}
    root_uri = root.get("uri")
    if not isinstance(root_uri, str):
        msg = (
            "Bluesky can hide only replies in a thread, and this post is not a reply "
            "(it mentions the account in a post of its own)"
        )
        raise Rejected(msg, code="not_a_reply")
    if split_at_uri(root_uri)[0] != own_did:
        msg = (
            "Bluesky lets only the person who started a thread hide replies in it, and this "
            "reply is in a thread someone else started"
        )
        raise Rejected(msg, code="not_own_thread")
    return root_uri


def _read_threadgate(
    xrpc: Xrpc, own_did: str, rkey: str
) -> tuple[dict[str, Any] | None, str | None]:
    """The thread's threadgate record and its CID; (None, None) when it has none."""
    try:
        found = xrpc(
            "GET",
            "com.atproto.repo.getRecord",
            side_effect=False,
            params={"repo": own_did, "collection": THREADGATE_COLLECTION, "rkey": rkey},
        )
    except Rejected as error:
        if error.code == "RecordNotFound":
            return None, None
        raise
    value = found.get("value")
    cid = found.get("cid")
    if not isinstance(value, dict) or not isinstance(cid, str):
        msg = "Bluesky answered with a thread setting Varde cannot read; nothing was changed"
        raise Rejected(msg, code="bad_threadgate")
    return value, cid


def _changed(
    current: dict[str, Any] | None,
    *,
    root_uri: str,
    reply_uri: str,
    hidden: bool,
) -> dict[str, Any] | None:
    """The record to write, or None when ``reply_uri`` is already as asked. Every other
    field (``allow`` above all) is kept as it was."""
    listed = [str(uri) for uri in (current or {}).get("hiddenReplies") or []]
    if (reply_uri in listed) == hidden:
        return None
    if current is None:
        record: dict[str, Any] = {
            "$type": THREADGATE_COLLECTION,
            "post": root_uri,
            "createdAt": iso(utc_now()),
        }
    else:
        record = dict(current)
    if hidden:
        if len(listed) >= MAX_HIDDEN_REPLIES:
            msg = (
                f"Bluesky hides at most {MAX_HIDDEN_REPLIES} replies in one thread, and this "
                "thread has that many already; show one of them again first"
            )
            raise Rejected(msg, code="too_many_hidden")
        record["hiddenReplies"] = [*listed, reply_uri]
    else:
        remaining = [uri for uri in listed if uri != reply_uri]
        if remaining:
            record["hiddenReplies"] = remaining
        else:
            record.pop("hiddenReplies", None)
    return record
