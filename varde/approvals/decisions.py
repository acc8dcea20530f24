"""Deciding on a post in review: approving it, or asking its author for changes.

Re-exported by ``approvals.services``, where callers find them. The last approval a workspace
requires runs the policy guard and schedules the post's planned deliveries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts.permissions import Perm
from varde.accounts.services import audit_record
from varde.approvals import selectors
from varde.approvals.choices import Decision
from varde.approvals.models import ApprovalDecision, ClientReviewLink
from varde.approvals.review_steps import (
    decided_by,
    deciders,
    excerpt,
    locked_post,
    others,
    post_url,
    require_in_review,
    require_permission,
    supersede_live_decisions,
    sync_instance,
)
from varde.content.choices import ApprovalState
from varde.content.services import post_set_approval
from varde.notifications.services import Message, notify
from varde.policy.guard import guard_check_post
from varde.publishing import services as publishing

if TYPE_CHECKING:
    from varde.accounts.models import User
    from varde.content.models import Post


def _check_decider(
    post: Post, actor: User | None, client_name: str, client_link: ClientReviewLink | None
) -> str:
    """Who decides: a member who may, or a named client through a link. Returns the name."""
    if actor is not None:
        require_permission(post, actor, Perm.REVIEW_DECIDE)
        return ""
    client_name = " ".join(client_name.split())
    if not client_name:
        raise ValidationError(_("Write your name, so the team knows who decided."))
    if client_link is None:
        raise PermissionDenied(_("A client decides through a review link."))
    return client_name[:120]


def _record(
    *,
    post: Post,
    step: int,
    decision: str,
    actor: User | None,
    client_name: str,
    client_link: ClientReviewLink | None,
    comment: str,
) -> ApprovalDecision:
    row = ApprovalDecision.objects.create(
        workspace=post.workspace,
        post=post,
        step=step,
        decision=decision,
        actor=actor,
        client_name=client_name,
        client_link=client_link,
        comment=comment,
    )
    audit_record(
        action="review.approved" if decision == Decision.APPROVE else "review.changes_requested",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={
            "step": step,
            "comment": comment,
            "client_name": client_name,
            "client_link": client_link.pk if client_link else None,
        },
    )
    return row


class PolicyBlockedError(ValidationError):
    """The policy guard stopped an approval; ``messages`` holds its reasons."""


def _guard_messages(post: Post) -> list[str]:
    """What the policy guard blocks in this post, on every channel it is planned for.

    Approval is the moment a post is scheduled, so the guard runs here again (it ran live in
    the composer, and runs once more at send time): the plan or the post may have changed.
    """
    return [finding.message for finding in guard_check_post(post=post).blocking()]


def _tell_about_client_decision(
    post: Post, link: ClientReviewLink, client_name: str, approved: bool, comment: str
) -> None:
    if approved:
        text = Message(
            gettext_lazy("%(client)s approved “%(excerpt)s” through a review link."),
            {"client": client_name, "excerpt": excerpt(post)},
        )
    else:
        text = Message(
            gettext_lazy("%(client)s asked for changes to “%(excerpt)s”: %(comment)s"),
            {"client": client_name, "excerpt": excerpt(post), "comment": comment},
        )
    notify(
        users=[link.created_by, post.author],
        workspace=post.workspace,
        kind="review.client_decision",
        text=text,
        url=post_url(post),
    )


@transaction.atomic
def post_approve(
    *,
    post: Post,
    actor: User | None,
    comment: str = "",
    client_name: str = "",
    client_link: ClientReviewLink | None = None,
) -> Post:
    """Approve the post (by a member, or by a named client through ``client_link``).

    When this is the last approval the workspace requires, the post becomes approved and its
    planned deliveries are scheduled.
    """
    current = locked_post(post)
    client_name = _check_decider(current, actor, client_name, client_link)
    require_in_review(current)
    live = selectors.live_approvals(post=current)
    if actor is not None and any(d.actor_id == actor.pk for d in live):
        raise ValidationError(
            _(
                "You have already approved this post. "
                "The second approval must come from someone else."
            )
        )
    if client_name and any(d.client_name.casefold() == client_name.casefold() for d in live):
        raise ValidationError(
            _(
                "%(name)s has already approved this post. "
                "The second approval must come from someone else."
            )
            % {"name": client_name}
        )
    step = len(live) + 1
    required = selectors.required_approvals(workspace=current.workspace)
    final = step >= required
    if final:
        blocked = _guard_messages(current)
        if blocked:
            raise PolicyBlockedError(blocked)
    _record(
        post=current,
        step=step,
        decision=Decision.APPROVE,
        actor=actor,
        client_name=client_name,
        client_link=client_link,
        comment=comment.strip(),
    )
    if final:
        post_set_approval(post=current, state=ApprovalState.APPROVED, actor=actor)
        publishing.deliveries_release_planned(post=current, actor=actor)
        if client_link is None:
            notify(
                users=others([current.author], actor=actor),
                workspace=current.workspace,
                kind="review.approved",
                text=Message(
                    gettext_lazy("%(name)s approved your post “%(excerpt)s”."),
                    {"name": decided_by(actor, client_name), "excerpt": excerpt(current)},
                ),
                url=post_url(current),
            )
    else:
        # The first of two approvals: the others who may decide are asked for the second.
        approvers = {d.actor_id for d in live} | ({actor.pk} if actor else set())
        notify(
            users=[u for u in deciders(current.workspace) if u.pk not in approvers],
            workspace=current.workspace,
            kind="review.second_needed",
            text=Message(
                gettext_lazy(
                    "%(name)s approved “%(excerpt)s”. It needs a second approval from someone else."
                ),
                {"name": decided_by(actor, client_name), "excerpt": excerpt(current)},
            ),
            url=post_url(current),
        )
    if client_link is not None:
        _tell_about_client_decision(current, client_link, client_name, True, comment.strip())
    return sync_instance(post, current)


@transaction.atomic
def post_request_changes(
    *,
    post: Post,
    actor: User | None,
    comment: str,
    client_name: str = "",
    client_link: ClientReviewLink | None = None,
) -> Post:
    """Send the post back to its author with a comment; approvals given so far stop counting."""
    current = locked_post(post)
    client_name = _check_decider(current, actor, client_name, client_link)
    require_in_review(current)
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what should change, so the author knows what to do."))
    live = selectors.live_approvals(post=current)
    supersede_live_decisions(current)
    _record(
        post=current,
        step=len(live) + 1,
        decision=Decision.CHANGES,
        actor=actor,
        client_name=client_name,
        client_link=client_link,
        comment=comment,
    )
    post_set_approval(post=current, state=ApprovalState.CHANGES_REQUESTED, actor=actor)
    if client_link is not None:
        _tell_about_client_decision(current, client_link, client_name, False, comment)
    else:
        notify(
            users=others([current.author], actor=actor),
            workspace=current.workspace,
            kind="review.changes_requested",
            text=Message(
                gettext_lazy("%(name)s asked for changes to your post “%(excerpt)s”: %(comment)s"),
                {
                    "name": decided_by(actor, client_name),
                    "excerpt": excerpt(current),
                    "comment": comment,
                },
            ),
            url=post_url(current),
        )
    return sync_instance(post, current)
