"""Client review links: a link for a client without an account to approve posts or ask for
changes, and what happens when they do.

Re-exported by ``approvals.services``. Only a hash of each link's token is stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts.permissions import Perm, role_can
from varde.accounts.services import audit_record
from varde.approvals import selectors
from varde.approvals.decisions import post_approve, post_request_changes
from varde.approvals.models import ApprovalDecision, ClientReviewLink
from varde.approvals.review_steps import excerpt, post_url
from varde.content.choices import ApprovalState
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.content.models import Post

CLIENT_LINK_DEFAULT_DAYS = 7
CLIENT_LINK_MAX_DAYS = 60


@transaction.atomic
def client_link_create(
    *,
    workspace: Workspace,
    posts: Iterable[Post],
    actor: User,
    days: int = CLIENT_LINK_DEFAULT_DAYS,
    label: str = "",
) -> tuple[ClientReviewLink, str]:
    """A link for a client to review posts in review, without an account.

    Returns the link and its token. Only the token's hash is stored, so the token (and the
    address made from it) can be shown only now.
    """
    membership = selectors.membership_in(workspace=workspace, user=actor)
    if membership is None or not role_can(membership.role, Perm.CONTENT_APPROVE):
        raise PermissionDenied(_("You may not send posts to a client in this workspace."))
    chosen = list(posts)
    if not chosen:
        raise ValidationError(_("Choose at least one post for the client to review."))
    if any(post.workspace_id != workspace.pk for post in chosen):
        raise ValidationError(_("That post belongs to another workspace."))
    not_in_review = [p for p in chosen if p.approval_state != ApprovalState.IN_REVIEW]
    if not_in_review:
        raise ValidationError(
            _("Only posts in review can be sent to a client. Send “%(excerpt)s” for review first.")
            % {"excerpt": excerpt(not_in_review[0])}
        )
    if not 1 <= days <= CLIENT_LINK_MAX_DAYS:
        raise ValidationError(
            _("A link can last from 1 to %(max)s days.") % {"max": CLIENT_LINK_MAX_DAYS}
        )
    # 32 random bytes: guessing a token is out of reach, so no lookup needs a rate limit.
    token = secrets.token_urlsafe(32)
    link = ClientReviewLink.objects.create(
        workspace=workspace,
        token_hash=selectors.token_hash(token),
        label=label.strip()[:120],
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    link.posts.set(chosen)
    audit_record(
        action="review.link_created",
        workspace=workspace,
        actor=actor,
        target=link,
        detail={"posts": [p.pk for p in chosen], "days": days, "label": link.label},
    )
    return link, token


@transaction.atomic
def client_link_revoke(*, link: ClientReviewLink, actor: User) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            action="review.link_revoked", workspace=link.workspace, actor=actor, target=link
        )


@transaction.atomic
def client_link_tell_blocked(
    *, link: ClientReviewLink, post_id: int, client_name: str, reasons: list[str]
) -> None:
    """A client's approval was stopped by the policy guard: the team must fix the post."""
    post = link.posts.filter(workspace=link.workspace, pk=post_id).first()
    if post is None:
        return
    notify(
        users=[link.created_by, post.author],
        workspace=link.workspace,
        kind="review.client_blocked",
        text=Message(
            gettext_lazy(
                "%(client)s tried to approve “%(excerpt)s”, but the rules check stopped it: "
                "%(reasons)s"
            ),
            {
                "client": " ".join(client_name.split())[:120],
                "excerpt": excerpt(post),
                "reasons": " ".join(reasons),
            },
        ),
        url=post_url(post),
    )


@transaction.atomic
def client_link_decide(
    *, link: ClientReviewLink, post_id: int, approve: bool, client_name: str, comment: str
) -> Post:
    """A client's decision through a link: once per post, while the link is open."""
    link = (
        ClientReviewLink.objects.select_for_update(of=("self",))
        .select_related("workspace")
        .get(pk=link.pk)
    )
    state = selectors.client_link_state(link=link)
    if state != selectors.LinkState.OPEN:
        raise ValidationError(_("This review link can no longer be used."))
    post = link.posts.filter(workspace=link.workspace, pk=post_id).first()
    if post is None:
        raise ValidationError(_("That post is not part of this review."))
    if ApprovalDecision.objects.filter(client_link=link, post=post).exists():
        raise ValidationError(_("You have already answered for this post."))
    if approve:
        return post_approve(
            post=post, actor=None, comment=comment, client_name=client_name, client_link=link
        )
    return post_request_changes(
        post=post, actor=None, comment=comment, client_name=client_name, client_link=link
    )
