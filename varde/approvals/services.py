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
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as accounts_selectors
from varde.accounts.models import User, Workspace
from varde.accounts.permissions import Perm, role_can
from varde.accounts.services import audit_record
from varde.approvals import selectors
from varde.approvals.models import (
    ApprovalDecision,
    ApprovalSettings,
    ClientReviewLink,
    Decision,
)
from varde.approvals.notifications import Message, notify
from varde.content.models import ApprovalState, Post
from varde.content.services import post_set_approval
from varde.policy.guard import guard_check_post
from varde.publishing import services as publishing

__all__ = [
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
]

CLIENT_LINK_DEFAULT_DAYS = 7
CLIENT_LINK_MAX_DAYS = 60
EXCERPT_LENGTH = 80


# Helpers ------------------------------------------------------------------------------------


def _locked(post: Post) -> Post:
    """The post's row, locked for this transaction, so two decisions cannot cross."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("workspace", "author")
        .get(pk=post.pk)
    )


def _sync(target: Post, source: Post) -> Post:
    """Keep the caller's instance in step with what was written."""
    target.approval_state = source.approval_state
    target.updated_at = source.updated_at
    return source


def _excerpt(post: Post) -> str:
    text = " ".join(post.text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _post_url(post: Post) -> str:
    return reverse("approvals:post", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def _deciders(workspace: Workspace) -> list[User]:
    """Members who may approve or ask for changes (editor, admin, owner, client reviewer)."""
    return [
        membership.user
        for membership in accounts_selectors.members_of(workspace=workspace)
        if role_can(membership.role, Perm.REVIEW_DECIDE)
    ]


def _require_permission(post: Post, user: User, perm: Perm) -> None:
    membership = selectors.membership_in(workspace=post.workspace, user=user)
    if membership is None or not role_can(membership.role, perm):
        raise PermissionDenied(_("You may not do this in this workspace."))


def _require_in_review(post: Post) -> None:
    if post.approval_state != ApprovalState.IN_REVIEW:
        raise ValidationError(
            _("This post is not waiting for review: it is %(state)s.")
            % {"state": post.get_approval_state_display().lower()}
        )


def _supersede_live_decisions(post: Post) -> list[ApprovalDecision]:
    """Approvals given so far stop counting (the post changed or went back to its author)."""
    live = list(ApprovalDecision.objects.filter(post=post, superseded_at__isnull=True))
    ApprovalDecision.objects.filter(pk__in=[d.pk for d in live]).update(
        superseded_at=timezone.now()
    )
    return live


def _others(users: Iterable[User | None], *, actor: User | None) -> list[User | None]:
    return [user for user in users if user is not None and (actor is None or user.pk != actor.pk)]


def _decided_by(actor: User | None, client_name: str) -> str:
    return str(actor) if actor is not None else client_name


# Submitting ---------------------------------------------------------------------------------


@transaction.atomic
def post_submit_for_review(*, post: Post, actor: User) -> Post:
    """Draft or "changes requested" → in review; the people who may decide are told."""
    current = _locked(post)
    _require_permission(current, actor, Perm.CONTENT_DRAFT)
    if current.approval_state not in (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED):
        raise ValidationError(
            _("Only a draft, or a post with changes requested, can be sent for review.")
        )
    # A fresh round: nothing decided before this submission counts any more.
    _supersede_live_decisions(current)
    post_set_approval(post=current, state=ApprovalState.IN_REVIEW, actor=actor)
    notify(
        users=_others(_deciders(current.workspace), actor=actor),
        workspace=current.workspace,
        kind="review.submitted",
        text=Message(
            gettext_lazy("%(name)s sent a post for review: “%(excerpt)s”"),
            {"name": str(actor), "excerpt": _excerpt(current)},
        ),
        url=_post_url(current),
    )
    return _sync(post, current)


# Deciding -----------------------------------------------------------------------------------


def _check_decider(
    post: Post, actor: User | None, client_name: str, client_link: ClientReviewLink | None
) -> str:
    """Who decides: a member who may, or a named client through a link. Returns the name."""
    if actor is not None:
        _require_permission(post, actor, Perm.REVIEW_DECIDE)
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
            {"client": client_name, "excerpt": _excerpt(post)},
        )
    else:
        text = Message(
            gettext_lazy("%(client)s asked for changes to “%(excerpt)s”: %(comment)s"),
            {"client": client_name, "excerpt": _excerpt(post), "comment": comment},
        )
    notify(
        users=[link.created_by, post.author],
        workspace=post.workspace,
        kind="review.client_decision",
        text=text,
        url=_post_url(post),
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
    current = _locked(post)
    client_name = _check_decider(current, actor, client_name, client_link)
    _require_in_review(current)
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
                users=_others([current.author], actor=actor),
                workspace=current.workspace,
                kind="review.approved",
                text=Message(
                    gettext_lazy("%(name)s approved your post “%(excerpt)s”."),
                    {"name": _decided_by(actor, client_name), "excerpt": _excerpt(current)},
                ),
                url=_post_url(current),
            )
    else:
        # The first of two approvals: the others who may decide are asked for the second.
        approvers = {d.actor_id for d in live} | ({actor.pk} if actor else set())
        notify(
            users=[u for u in _deciders(current.workspace) if u.pk not in approvers],
            workspace=current.workspace,
            kind="review.second_needed",
            text=Message(
                gettext_lazy(
                    "%(name)s approved “%(excerpt)s”. It needs a second approval from someone else."
                ),
                {"name": _decided_by(actor, client_name), "excerpt": _excerpt(current)},
            ),
            url=_post_url(current),
        )
    if client_link is not None:
        _tell_about_client_decision(current, client_link, client_name, True, comment.strip())
    return _sync(post, current)


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
    current = _locked(post)
    client_name = _check_decider(current, actor, client_name, client_link)
    _require_in_review(current)
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what should change, so the author knows what to do."))
    live = selectors.live_approvals(post=current)
    _supersede_live_decisions(current)
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
            users=_others([current.author], actor=actor),
            workspace=current.workspace,
            kind="review.changes_requested",
            text=Message(
                gettext_lazy("%(name)s asked for changes to your post “%(excerpt)s”: %(comment)s"),
                {
                    "name": _decided_by(actor, client_name),
                    "excerpt": _excerpt(current),
                    "comment": comment,
                },
            ),
            url=_post_url(current),
        )
    return _sync(post, current)


# Editing after approval ---------------------------------------------------------------------


@transaction.atomic
def post_back_to_review_after_edit(*, post: Post, actor: User) -> Post:
    """The post was edited while approved or in review: it needs approval again.

    Its scheduled deliveries go back to draft (they keep their planned time), and approvals
    given so far stop counting. A draft, or a post with changes requested, is left as it is.
    """
    current = _locked(post)
    if current.approval_state not in (ApprovalState.APPROVED, ApprovalState.IN_REVIEW):
        return _sync(post, current)
    was_approved = current.approval_state == ApprovalState.APPROVED
    held = publishing.deliveries_hold_for_review(post=current)
    dropped = [d for d in _supersede_live_decisions(current) if d.decision == Decision.APPROVE]
    if not was_approved and not dropped and not held:
        return _sync(post, current)  # an edit during review that changes nothing for anyone
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
        recipients = _deciders(current.workspace)
    else:
        recipients = [d.actor for d in dropped if d.actor is not None]
    notify(
        users=_others(recipients, actor=actor),
        workspace=current.workspace,
        kind="review.back_to_review",
        text=Message(
            gettext_lazy("%(name)s changed “%(excerpt)s” after approval. It needs approval again."),
            {"name": str(actor), "excerpt": _excerpt(current)},
        ),
        url=_post_url(current),
    )
    return _sync(post, current)


# Settings -----------------------------------------------------------------------------------


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


# Client review links ------------------------------------------------------------------------


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
            % {"excerpt": _excerpt(not_in_review[0])}
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
                "%(client)s tried to approve “%(excerpt)s”, but the policy check stopped it: "
                "%(reasons)s"
            ),
            {
                "client": " ".join(client_name.split())[:120],
                "excerpt": _excerpt(post),
                "reasons": " ".join(reasons),
            },
        ),
        url=_post_url(post),
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
