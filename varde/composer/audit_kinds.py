"""What the audit log says when a post is written, copied or taken down."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from varde.accounts import audit_sentences as audit
from varde.content.audit_kinds import POSTS


def _count(raw: Any, reading: audit.Reading) -> str:
    number = len(raw) if isinstance(raw, list) else int(raw or 0)
    return ngettext("%(count)s channel", "%(count)s channels", number) % {"count": number}


def register() -> None:
    audit.register(
        audit.EventKind("post.created", _("%(actor)s wrote the post “%(target)s”.")),
        audit.EventKind("post.duplicated", _("%(actor)s made the post “%(target)s” as a copy.")),
        audit.EventKind(
            "post.taken_down",
            _("%(actor)s took the post “%(target)s” down."),
            details=(
                audit.Detail("cancelled", _("Cancelled on"), _count),
                audit.Detail("removed", _("Removed from the network on"), _count),
            ),
        ),
        area=POSTS,
    )
