"""What the audit log says when posts are moved in the calendar or imported."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from varde.accounts import audit_sentences as audit
from varde.content.audit_kinds import POSTS


def _posts(raw: Any, reading: audit.Reading) -> str:
    number = int(raw or 0)
    return ngettext("%(count)s post", "%(count)s posts", number) % {"count": number}


def register() -> None:
    audit.register(
        audit.EventKind(
            "post.moved",
            _("%(actor)s moved the post “%(target)s” from %(from)s to %(to)s."),
            details=(audit.Detail("kept", _("Stayed where they were")),),
            values={"from": audit.moment, "to": audit.moment},
        ),
        audit.EventKind(
            "post.imported",
            _("%(actor)s imported %(posts)s into the calendar."),
            values={"posts": _posts},
        ),
        area=POSTS,
    )
