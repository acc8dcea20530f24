"""The composer's draft as form fields, for the live check and the confirm button.

The composer's own fields (``text``, ``channels``, ``variant_<channel id>``, ``is_paid``,
``thread``, ``first_comment``) are read through the composer's form, ``content.forms.PostForm``,
so a renamed or re-cleaned field changes what the guard sees in the same place it changes what
is saved. Two fields are the guard's own: ``alt_text`` (repeated, one per image; or one per
attached file, paired by order with repeated ``media_id``, and then only images count) and,
when an existing post is edited, ``post`` (its id: the post's author is checked).
The findings partial carries the same draft back as one JSON field, ``policy_draft``, so its
confirm button can re-run the check without adding duplicate ``text`` or ``channels`` fields to
a composer form it may sit in.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from varde.channels import selectors as channel_selectors
from varde.content.forms import PostForm

if TYPE_CHECKING:
    from django.http import QueryDict

    from varde.accounts.models import Workspace


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


def draft_from_form(data: QueryDict, *, workspace: Workspace) -> Draft:
    """The draft as the composer would save it; a field the form refuses (a bad date, say) does
    not stop the live check of the others."""
    channels = list(channel_selectors.channels_in(workspace=workspace))
    form = PostForm(data, workspace=workspace, channels=channels)
    form.is_valid()  # fills cleaned_data with every field that cleaned
    cleaned = form.cleaned_data
    if "channels" in cleaned:
        chosen = [channel.pk for channel in cleaned["channels"]]
    else:  # one id the workspace does not have (a channel removed meanwhile): check the rest
        known = {channel.pk for channel in channels}
        chosen = [pk for pk in _ints(data.getlist("channels")) if pk in known]
    return Draft(
        text=cleaned.get("text") or "",
        channel_ids=chosen,
        variants={pk: cleaned.get(f"variant_{pk}") or "" for pk in chosen},
        is_paid=bool(cleaned.get("is_paid")),
        alt_texts=data.getlist("alt_text"),
        media_ids=_ints(data.getlist("media_id")),
        thread=list(cleaned.get("thread") or []),
        first_comment=cleaned.get("first_comment") or "",
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
