"""What the audit log says about reviews, decisions and client review links."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.content.audit_kinds import POSTS
from varde.content.choices import ApprovalState


def _posts(raw: Any, reading: audit.Reading) -> str:
    number = len(raw) if isinstance(raw, list) else int(raw or 0)
    return ngettext("%(count)s post", "%(count)s posts", number) % {"count": number}


def _days(raw: Any, reading: audit.Reading) -> str:
    number = int(raw or 0)
    return ngettext("%(count)s day", "%(count)s days", number) % {"count": number}


def _step(raw: Any, reading: audit.Reading) -> str:
    """Only a second approval is worth a line; the first is what "approved" already says."""
    return gettext("yes") if str(raw) == "2" else ""


_second_approval = audit.Detail("step", _("Second approval"), _step)


def register() -> None:
    audit.register(
        audit.EventKind(
            "review.approved",
            _("%(actor)s approved the post “%(target)s”."),
            details=(_second_approval, audit.Detail("comment", _("Comment"))),
            actor_detail="client_name",
        ),
        audit.EventKind(
            "review.changes_requested",
            _("%(actor)s asked for changes to the post “%(target)s”."),
            details=(_second_approval, audit.Detail("comment", _("Comment"))),
            actor_detail="client_name",
        ),
        audit.EventKind(
            "review.reset_after_edit",
            _("The post “%(target)s” was changed and went back to review."),
            details=(
                audit.Detail(
                    "approvals_dropped", _("Approvals that no longer count"), _posts_as_count
                ),
            ),
        ),
        audit.EventKind(
            "post.unscheduled",
            _("%(actor)s took the post “%(target)s” off the schedule; it is a draft again."),
            details=(audit.Detail("was", _("Before"), audit.choice(ApprovalState)),),
        ),
        audit.EventKind(
            "review.settings_changed",
            _("%(actor)s changed whether posts need a second approval."),
            details=(audit.Detail("require_second_approval", _("Second approval needed")),),
        ),
        audit.EventKind(
            "review.link_created",
            _("%(actor)s made a client review link for %(posts)s, open for %(days)s."),
            details=(audit.Detail("label", _("Name")),),
            values={"posts": _posts, "days": _days},
        ),
        audit.EventKind("review.link_revoked", _("%(actor)s closed a client review link.")),
        area=POSTS,
    )


def _posts_as_count(raw: Any, reading: audit.Reading) -> str:
    return audit.plain(len(raw) if isinstance(raw, list) else raw, reading)
