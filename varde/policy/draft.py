"""The composer's draft as form fields, for the live check and the confirm button.

Field names (the composer posts these): ``text``, ``channels`` (repeated channel ids),
``variant_<channel id>``, ``is_paid`` ("on" when ticked), ``alt_text`` (repeated, one per
image; or one per attached file, paired by order with repeated ``media_id``, and then only
images count), ``thread`` (repeated, the follow-up posts), ``first_comment`` and, when an existing
post is edited, ``post`` (its id: the post's author is checked).
The findings partial carries the same draft back as one JSON field, ``policy_draft``, so its
confirm button can re-run the check without adding duplicate ``text`` or ``channels`` fields to
a composer form it may sit in.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from django.http import QueryDict

VARIANT_PREFIX = "variant_"


@dataclass
class Draft:
    text: str = ""
    channel_ids: list[int] = field(default_factory=list)
    variants: dict[int, str] = field(default_factory=dict)
    is_paid: bool = False
    alt_texts: list[str] = field(default_factory=list)
    media_ids: list[int] = field(default_factory=list)  # pairs with alt_texts by order
    thread: list[str] = field(default_factory=list)
    first_comment: str = ""
    post_id: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if str(v).strip().isdigit()]


def draft_from_form(data: QueryDict) -> Draft:
    variants = {}
    for key in data:
        if key.startswith(VARIANT_PREFIX) and key[len(VARIANT_PREFIX) :].isdigit():
            variants[int(key[len(VARIANT_PREFIX) :])] = data.get(key, "")
    return Draft(
        text=data.get("text", ""),
        channel_ids=_ints(data.getlist("channels")),
        variants=variants,
        is_paid=data.get("is_paid", "") in ("on", "true", "1"),
        alt_texts=data.getlist("alt_text"),
        media_ids=_ints(data.getlist("media_id")),
        thread=data.getlist("thread"),
        first_comment=data.get("first_comment", ""),
        post_id=next(iter(_ints([data.get("post", "")])), None),
    )


def draft_from_json(raw: str) -> Draft | None:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    try:
        return Draft(
            text=str(value.get("text", "")),
            channel_ids=_ints([str(c) for c in value.get("channel_ids", [])]),
            variants={
                int(k): str(v)
                for k, v in dict(value.get("variants", {})).items()
                if str(k).isdigit()
            },
            is_paid=bool(value.get("is_paid", False)),
            alt_texts=[str(a) for a in value.get("alt_texts", [])],
            media_ids=_ints([str(m) for m in value.get("media_ids", [])]),
            thread=[str(t) for t in value.get("thread", [])],
            first_comment=str(value.get("first_comment", "")),
            post_id=next(iter(_ints([str(value.get("post_id") or "")])), None),
        )
    except (TypeError, ValueError):
        return None
