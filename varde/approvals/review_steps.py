"""Small steps shared by the review workflow's services (``approvals.services``,
``approvals.decisions``, ``approvals.links``): locking a post, checking who may act, and the
words and addresses that notifications use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts import selectors as accounts_selectors
from varde.accounts.permissions import Perm, role_can
from varde.approvals import selectors
from varde.approvals.models import ApprovalDecision
from varde.content.choices import ApprovalState
from varde.content.services import post_locked

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.content.models import Post

EXCERPT_LENGTH = 80


def locked_post(post: Post) -> Post:
    """The post's row, locked for this transaction, so two decisions cannot cross."""
    return post_locked(post)


def sync_instance(target: Post, source: Post) -> Post:
    """Keep the caller's instance in step with what was written."""
    target.approval_state = source.approval_state
    target.updated_at = source.updated_at
    return source


def excerpt(post: Post) -> str:
    text = " ".join(post.text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def post_url(post: Post) -> str:
    return reverse("approvals:post", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def deciders(workspace: Workspace) -> list[User]:
    """Members who may approve or ask for changes (editor, admin, owner, client reviewer)."""
    return [
        membership.user
        for membership in accounts_selectors.members_of(workspace=workspace)
        if role_can(membership.role, Perm.REVIEW_DECIDE)
    ]


def require_permission(post: Post, user: User, perm: Perm) -> None:
    membership = selectors.membership_in(workspace=post.workspace, user=user)
    if membership is None or not role_can(membership.role, perm):
        raise PermissionDenied(_("You may not do this in this workspace."))


def require_may_submit(post: Post, user: User) -> None:
    """Who may send a post for review: editors any post, contributors only their own.

    A contributor drafts for themselves; sending a colleague's draft to the approvers would speak
    for that colleague, so only those who may edit every post may do it."""
    membership = selectors.membership_in(workspace=post.workspace, user=user)
    if membership is None or not role_can(membership.role, Perm.CONTENT_DRAFT):
        raise PermissionDenied(_("You may not do this in this workspace."))
    if not role_can(membership.role, Perm.CONTENT_EDIT) and post.author_id != user.pk:
        raise PermissionDenied(
            _("Only its author, or someone who may edit every post, can send this post for review.")
        )


def require_in_review(post: Post) -> None:
    if post.approval_state != ApprovalState.IN_REVIEW:
        raise ValidationError(
            _("This post is not waiting for review: it is %(state)s.")
            % {"state": post.get_approval_state_display().lower()}
        )


def supersede_live_decisions(post: Post) -> list[ApprovalDecision]:
    """Approvals given so far stop counting (the post changed or went back to its author)."""
    live = list(ApprovalDecision.objects.filter(post=post, superseded_at__isnull=True))
    ApprovalDecision.objects.filter(pk__in=[d.pk for d in live]).update(
        superseded_at=timezone.now()
    )
    return live


def others(users: Iterable[User | None], *, actor: User | None) -> list[User | None]:
    return [user for user in users if user is not None and (actor is None or user.pk != actor.pk)]


def decided_by(actor: User | None, client_name: str) -> str:
    return str(actor) if actor is not None else client_name
