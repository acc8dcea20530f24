"""Every step of the review workflow goes through here.

The rules, in one place:

* A post goes to review from draft or "changes requested" (``post_submit_for_review``).
* A member who may decide (editor, admin, owner, or a client reviewer) approves it or asks for
  changes; so may a client through a review link. An editor or admin may approve their own post.
* One approval makes a post approved, or two by two different people when the workspace requires
  a second approval (``ApprovalSettings``). Then its planned deliveries are scheduled.
* Editing a post in review or approved sends it back to review: planned deliveries go back to
  draft and the approvals given so far stop counting (``post_back_to_review_after_edit``).

Each decision is an ``ApprovalDecision`` row and an audit event; the state change itself is
written by ``content.services.post_set_approval`` (which records its own audit event).

Submitting, going back to review after an edit and the settings are written here; deciding
(``post_approve``, ``post_request_changes``) is in ``approvals.decisions`` and client review
links in ``approvals.links``. Both are re-exported here, so other code imports only this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts.services import audit_record
from varde.approvals.choices import Decision
from varde.approvals.decisions import PolicyBlockedError, post_approve, post_request_changes
from varde.approvals.links import (
    CLIENT_LINK_DEFAULT_DAYS,
    CLIENT_LINK_MAX_DAYS,
    client_link_create,
    client_link_decide,
    client_link_revoke,
    client_link_tell_blocked,
)
from varde.approvals.models import ApprovalSettings
from varde.approvals.review_steps import (
    deciders,
    excerpt,
    locked_post,
    others,
    post_url,
    require_may_submit,
    supersede_live_decisions,
    sync_instance,
)
from varde.content.choices import ApprovalState
from varde.content.services import post_set_approval
from varde.notifications.services import Message, notify
from varde.publishing import services as publishing

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.content.models import Post

__all__ = [
    "CLIENT_LINK_DEFAULT_DAYS",
    "CLIENT_LINK_MAX_DAYS",
    "PolicyBlockedError",
    "approval_settings_update",
    "client_link_create",
    "client_link_decide",
    "client_link_revoke",
    "client_link_tell_blocked",
    "notify",
    "post_approve",
    "post_back_to_review_after_edit",
    "post_request_changes",
    "post_submit_for_review",
    "post_withdraw_approval",
]


# Submitting ---------------------------------------------------------------------------------


@transaction.atomic
def post_submit_for_review(*, post: Post, actor: User) -> Post:
    """Draft or "changes requested" → in review; the people who may decide are told."""
    current = locked_post(post)
    require_may_submit(current, actor)
    if current.approval_state not in (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED):
        raise ValidationError(
            _("Only a draft, or a post with changes requested, can be sent for review.")
        )
    # A fresh round: nothing decided before this submission counts any more.
    supersede_live_decisions(current)
    post_set_approval(post=current, state=ApprovalState.IN_REVIEW, actor=actor)
    notify(
        users=others(deciders(current.workspace), actor=actor),
        workspace=current.workspace,
        kind="review.submitted",
        text=Message(
            gettext_lazy("%(name)s sent a post for review: “%(excerpt)s”"),
            {"name": str(actor), "excerpt": excerpt(current)},
        ),
        url=post_url(current),
    )
    return sync_instance(post, current)


# Editing after approval ---------------------------------------------------------------------


@transaction.atomic
def post_back_to_review_after_edit(*, post: Post, actor: User) -> Post:
    """The post was edited while approved or in review: it needs approval again.

    Its scheduled deliveries go back to draft (they keep their planned time), and approvals
    given so far stop counting. A draft, or a post with changes requested, is left as it is.
    """
    current = locked_post(post)
    if current.approval_state not in (ApprovalState.APPROVED, ApprovalState.IN_REVIEW):
        return sync_instance(post, current)
    was_approved = current.approval_state == ApprovalState.APPROVED
    held = publishing.deliveries_hold_for_review(post=current)
    dropped = [d for d in supersede_live_decisions(current) if d.decision == Decision.APPROVE]
    if not was_approved and not dropped and not held:
        return sync_instance(post, current)  # an edit during review that changes nothing for anyone
    post_set_approval(post=current, state=ApprovalState.IN_REVIEW, actor=actor)
    audit_record(
        action="review.reset_after_edit",
        workspace=current.workspace,
        actor=actor,
        target=current,
        detail={
            "was_approved": was_approved,
            "deliveries_held": held,
            "approvals_dropped": [d.pk for d in dropped],
        },
    )
    if was_approved:
        recipients = deciders(current.workspace)
    else:
        recipients = [d.actor for d in dropped if d.actor is not None]
    notify(
        users=others(recipients, actor=actor),
        workspace=current.workspace,
        kind="review.back_to_review",
        text=Message(
            gettext_lazy("%(name)s changed “%(excerpt)s” after approval. It needs approval again."),
            {"name": str(actor), "excerpt": excerpt(current)},
        ),
        url=post_url(current),
    )
    return sync_instance(post, current)


# Settings -----------------------------------------------------------------------------------


@transaction.atomic
def post_withdraw_approval(*, post: Post, actor: User) -> Post:
    """Take a post off the schedule: its scheduled deliveries go back to draft (keeping their
    planned time), the approvals given stop counting, and the post is a draft again. Going out
    again takes a new approval: a post pulled from the schedule was pulled for a reason."""
    current = locked_post(post)
    held = publishing.deliveries_hold_for_review(post=current)
    dropped = supersede_live_decisions(current)
    previous = current.approval_state
    post_set_approval(post=current, state=ApprovalState.DRAFT, actor=actor)
    audit_record(
        action="post.unscheduled",
        workspace=current.workspace,
        actor=actor,
        target=current,
        detail={"was": previous, "deliveries_held": held, "decisions_dropped": len(dropped)},
    )
    return sync_instance(post, current)


@transaction.atomic
def approval_settings_update(
    *, workspace: Workspace, actor: User, require_second_approval: bool
) -> ApprovalSettings:
    found, _created = ApprovalSettings.objects.get_or_create(workspace=workspace)
    if found.require_second_approval != require_second_approval:
        found.require_second_approval = require_second_approval
        found.save(update_fields=["require_second_approval", "updated_at"])
        audit_record(
            action="review.settings_changed",
            workspace=workspace,
            actor=actor,
            target=found,
            detail={"require_second_approval": require_second_approval},
        )
    return found
