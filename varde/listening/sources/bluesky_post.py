"""An ``app.bsky.feed.post`` record, as Jetstream and the firehose deliver it, as a FoundItem.

Records come straight from users' repositories: every field is checked for its type, the
text is bounded, and ``createdAt`` (which the client chooses) is trusted only when it is not
after the moment the network saw the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeGuard

from varde.listening.sources.base import FoundItem
from varde.listening.sources.text import aware_utc, clean_text, language

POST = "app.bsky.feed.post"
APP = "https://bsky.app"


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def valid_did(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value.startswith("did:") and len(value) <= 2048


def valid_rkey(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 512
        and value not in {".", ".."}
        and all(c.isalnum() or c in "._:~-" for c in value)
    )


def post_item(
    kind: str, *, did: str, rkey: str, record: Any, seen_at: datetime, cid: str = ""
) -> FoundItem | None:
    """The item for a post record, or None when the record is not a readable post."""
    if not isinstance(record, dict) or record.get("$type", POST) != POST:
        return None
    text = record.get("text")
    if not isinstance(text, str) or not valid_did(did) or not valid_rkey(rkey):
        return None
    created = aware_utc(record.get("createdAt"), fallback=seen_at)
    langs = record.get("langs")
    lang = language(langs[0]) if isinstance(langs, list) and langs else None
    extra = {"did": did}
    if cid:
        extra["cid"] = cid
    reply = record.get("reply")
    if isinstance(reply, dict):
        for key, name in (("parent", "in_reply_to"), ("root", "reply_root")):
            ref = reply.get(key)
            if isinstance(ref, dict) and isinstance(ref.get("uri"), str):
                extra[name] = ref["uri"][:2048]
    links = _links(record)
    if links:
        extra["links"] = " ".join(links)
    return FoundItem(
        source_kind=kind,
        external_id=at_uri(did, POST, rkey),
        url=f"{APP}/profile/{did}/post/{rkey}",
        author_name="",
        # Events name the author by DID only; resolving handles is the app's (cached) work.
        author_handle=did,
        text=clean_text(text),
        lang=lang,
        published_at=min(created, seen_at),
        site="bsky.app",
        extra=extra,
    )


def _links(record: dict[str, Any]) -> list[str]:
    """Link targets from the post's facets and external embed (for site: queries)."""
    found: list[str] = []
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, dict) else None
        for feature in features if isinstance(features, list) else []:
            uri = feature.get("uri") if isinstance(feature, dict) else None
            if isinstance(uri, str) and uri.startswith(("https://", "http://")):
                found.append(uri[:2000])
    embed = record.get("embed")
    external = embed.get("external") if isinstance(embed, dict) else None
    if isinstance(external, dict) and isinstance(external.get("uri"), str):
        uri = external["uri"]
        if uri.startswith(("https://", "http://")):
            found.append(uri[:2000])
    return list(dict.fromkeys(found))[:20]
