"""What the audit log says about posts' approval states, media and campaigns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.content.choices import ApprovalState

POSTS = _("Posts")

_STATE_SENTENCES = {
    ApprovalState.DRAFT: _("%(actor)s set the post “%(target)s” back to draft."),
    ApprovalState.IN_REVIEW: _("%(actor)s sent the post “%(target)s” for review."),
    ApprovalState.CHANGES_REQUESTED: _("%(actor)s asked for changes to the post “%(target)s”."),
    ApprovalState.APPROVED: _("%(actor)s approved the post “%(target)s”."),
}


def register() -> None:
    state = audit.choice(ApprovalState)
    audit.register(
        *(
            audit.EventKind(
                f"post.{value}",
                sentence,
                details=(audit.Detail("from", _("Before"), state),),
            )
            for value, sentence in _STATE_SENTENCES.items()
        ),
        audit.EventKind(
            "post.deleted",
            _("%(actor)s deleted the post “%(target)s”."),
            details=(audit.Detail("text", _("It said")),),
        ),
        audit.EventKind(
            "post.media_added",
            _("%(actor)s added a file to the post “%(target)s”."),
        ),
        audit.EventKind(
            "post.media_removed",
            _("%(actor)s removed a file from the post “%(target)s”."),
        ),
        audit.EventKind("campaign.created", _("%(actor)s created the campaign “%(target)s”.")),
        audit.EventKind("campaign.updated", _("%(actor)s changed the campaign “%(target)s”.")),
        area=POSTS,
    )
