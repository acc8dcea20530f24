"""Bluesky rich-text facets: links, mentions and hashtags as UTF-8 byte ranges.

Bluesky posts carry no markup; a facet says "bytes 6 to 15 of the UTF-8 text are a link"
(https://docs.bsky.app/docs/advanced-guides/post-richtext, lexicon app.bsky.richtext.facet).
Offsets are bytes, not characters: in "Blåbær https://x.no" the link starts at byte 9,
character 7. Getting this wrong shifts every link after an æ, ø, å or emoji.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from varde.connectors.text import find_urls, grapheme_count

# A handle is a domain name: labels of letters, digits and hyphens, the last one a TLD that
# starts with a letter.
_MENTION = re.compile(
    r"(?:^|(?<=[\s(]))@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
_HASHTAG = re.compile(r"(?:^|(?<=\s))[#\uff03]([^\s#\uff03]+)")
_MAX_TAG_GRAPHEMES = 64
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2\ufe0f"

HandleResolver = Callable[[str], str | None]


def byte_offset(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))


def _facet(text: str, start: int, end: int, feature: dict[str, str]) -> dict[str, Any]:
    return {
        "index": {"byteStart": byte_offset(text, start), "byteEnd": byte_offset(text, end)},
        "features": [feature],
    }


def _clean_tag(raw: str) -> str:
    tag = raw.strip(_INVISIBLE)
    # A sentence's full stop or comma after a tag is not part of it.
    while tag and unicodedata.category(tag[-1]).startswith("P"):
        tag = tag[:-1]
    return tag


def detect_facets(text: str, resolve_handle: HandleResolver) -> list[dict[str, Any]]:
    """Facets for every link, resolvable mention and hashtag in ``text``, in text order.

    ``resolve_handle`` turns "alice.bsky.social" into a DID, or None when the handle does
    not exist; an unresolvable mention stays plain text, as in Bluesky's own app.
    """
    facets: list[tuple[int, dict[str, Any]]] = []
    link_spans = []
    for start, end, url in find_urls(text):
        link_spans.append((start, end))
        facets.append(
            (start, _facet(text, start, end, {"$type": "app.bsky.richtext.facet#link", "uri": url}))
        )

    def inside_link(position: int) -> bool:
        return any(start <= position < end for start, end in link_spans)

    for match in _MENTION.finditer(text):
        if inside_link(match.start()):
            continue
        did = resolve_handle(match.group(1).lower())
        if did:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
            facets.append((match.start(), _facet(text, match.start(), match.end(), feature)))
    for match in _HASHTAG.finditer(text):
        if inside_link(match.start()):
            continue
        tag = _clean_tag(match.group(1))
        if not tag or tag.isdigit() or grapheme_count(tag) > _MAX_TAG_GRAPHEMES:
            continue
        end = match.start(1) + match.group(1).index(tag) + len(tag)
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": tag}
        facets.append((match.start(), _facet(text, match.start(), end, feature)))
    return [facet for _, facet in sorted(facets, key=lambda pair: pair[0])]
