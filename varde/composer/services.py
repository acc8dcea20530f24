"""The composer's one write path: the post's content, then where and when it goes out.

``post_save_draft`` runs on every autosave and on "Save draft"; the calendar's import uses it too.
It joins four apps, which is why it lives above them: content writes the post, publishing plans
the deliveries (draft deliveries sit in the calendar at their time and are released for sending
only when the post is approved), approvals decides what an edit after approval means, and the
policy guard checks a post scheduled again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.approvals.services import post_back_to_review_after_edit, post_withdraw_approval
from varde.content.choices import ApprovalState
from varde.content.services import (
    Draft,
    post_copy,
    post_delete,
    post_mark_edited,
    post_write_draft,
)
from varde.policy.guard import guard_refuse_blocked
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.publishing.services import (
    Removal,
    delivery_cancel,
    delivery_plan,
    delivery_remove_from_network,
    delivery_schedule,
)

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post
    from varde.publishing.models import Delivery

# Deliveries the composer may still move or drop; the others are on their way or out.
OPEN_STATES = (DeliveryState.DRAFT, DeliveryState.SCHEDULED, DeliveryState.FAILED)
# Posts someone has approved, or is deciding on: an edit sends them (back) to review.
REVIEWED_STATES = (ApprovalState.APPROVED, ApprovalState.IN_REVIEW)


@dataclass(frozen=True)
class Saved:
    post: Post
    created: bool
    changed: bool  # anything at all changed (text, tags, channels, time)
    # The post had been approved and this edit changed it, so it needs approval again.
    needs_review_again: bool = False


def _open_deliveries(post: Post) -> dict[int, Delivery]:
    return {
        d.channel_id: d
        for d in publishing_selectors.deliveries_of_post(post=post).exclude(
            state=DeliveryState.CANCELLED
        )
    }


@transaction.atomic
def post_save_draft(
    *, workspace: Workspace, actor: User, draft: Draft, post: Post | None = None
) -> Saved:
    """Create the post, or write the draft over it; plan it on the chosen channels.

    Idempotent: saving the same draft twice changes nothing the second time, so autosave can
    run as often as it likes without sending an approved post back to review.
    """
    written = post_write_draft(workspace=workspace, actor=actor, draft=draft, post=post)
    post, created, changed = written.post, written.created, written.changed
    chosen = {channel.pk: channel for channel in draft.channels}
    deliveries = _open_deliveries(post)
    # Channels added, or taken off while still open; a channel already published on stays.
    movable = {cid for cid, d in deliveries.items() if d.state in OPEN_STATES}
    changed |= bool(set(chosen) - set(deliveries)) or bool(movable - set(chosen))

    # Changing what is said, or where, needs approval again (approvals given during a review
    # stop counting too); moving an approved post in time does not, as in the calendar.
    was_approved = post.approval_state == ApprovalState.APPROVED
    if not created and changed and post.approval_state in REVIEWED_STATES:
        post_back_to_review_after_edit(post=post, actor=actor)
        deliveries = _open_deliveries(post)
    needs_review = was_approved and post.approval_state != ApprovalState.APPROVED
    keep_approval = post.approval_state == ApprovalState.APPROVED
    changed |= _save_plan(
        post=post,
        chosen=chosen,
        deliveries=deliveries,
        at=draft.planned_at,
        actor=actor,
        keep_approval=keep_approval,
    )

    if changed and not created:
        post_mark_edited(post=post, edit_key=draft.draft_key)
    if created:
        audit_record(action="post.created", workspace=workspace, actor=actor, target=post)
    return Saved(post=post, created=created, changed=changed, needs_review_again=needs_review)


def _save_plan(
    *,
    post: Post,
    chosen: dict[int, ConnectedAccount],
    deliveries: dict[int, Delivery],
    at: dt.datetime | None,
    actor: User,
    keep_approval: bool,
) -> bool:
    """Put the post on each chosen channel at ``at``; take it off the others.

    A post not yet approved gets draft deliveries (planned, not sent). An approved post whose
    content did not change keeps its approval and is scheduled at the new time.
    """
    changed = False
    for channel_id, channel in chosen.items():
        delivery = deliveries.get(channel_id)
        if delivery is not None and delivery.state not in OPEN_STATES:
            continue  # publishing or published: the composer leaves it alone
        if delivery is not None and delivery.scheduled_at == at:
            if delivery.state == DeliveryState.DRAFT:
                continue
            if delivery.state == DeliveryState.SCHEDULED and keep_approval:
                continue
        if keep_approval and at is not None:
            # Scheduled again at a new time: the guard runs again, as at approval.
            guard_refuse_blocked(post=post, channel_ids=[channel_id])
            delivery_schedule(post=post, channel=channel, at=at, actor=actor)
        else:
            delivery_plan(post=post, channel=channel, at=at, actor=actor)
        changed = True
    for channel_id, delivery in deliveries.items():
        if channel_id not in chosen and delivery.state in OPEN_STATES:
            delivery_cancel(delivery=delivery, actor=actor)
            changed = True
    return changed


@transaction.atomic
def post_duplicate(*, post: Post, actor: User) -> Post:
    """A new draft with the same text, tags, channels, variants and media; no time, no approval."""
    copy = post_copy(post=post, actor=actor)
    for delivery in _open_deliveries(post).values():
        delivery_plan(post=copy, channel=delivery.channel, at=None, actor=actor)
    audit_record(
        action="post.duplicated",
        workspace=post.workspace,
        actor=actor,
        target=copy,
        detail={"from": post.pk},
    )
    return copy


# Unschedule, delete, take down ------------------------------------------------------------

# On their way to the network, or waiting for the network to say: nothing may touch them now.
IN_FLIGHT = (DeliveryState.PUBLISHING, DeliveryState.UNKNOWN)
# Out on the network (or out and taken down again): the post stays in Varde as the record.
WENT_OUT = (DeliveryState.PUBLISHED, DeliveryState.REMOVED)


@transaction.atomic
def post_unschedule(*, post: Post, actor: User) -> Post:
    """Back to a draft: nothing goes out; the planned times stay in the calendar as drafts.

    The approval is withdrawn, so scheduling it again takes a new approval."""
    if publishing_selectors.deliveries_of_post(post=post).filter(state__in=IN_FLIGHT).exists():
        raise ValidationError(_("It is being published right now. Wait a minute and look again."))
    return post_withdraw_approval(post=post, actor=actor)


@dataclass(frozen=True)
class Deleted:
    """What "Delete" did: the post gone from Varde, or kept because it went out."""

    deleted: bool
    cancelled: int
    removals: list[Removal]


def post_delete_or_take_down(
    *, post: Post, actor: User, remove_from_network: frozenset[int] = frozenset()
) -> Deleted:
    """Delete a post: what has not gone out is cancelled; what went out is removed from the
    networks named in ``remove_from_network`` (delivery ids) where the network allows it.

    A post that never went out is deleted from Varde. One that went out stays as the record of
    what was said (its metrics, replies and audit trail point at it), with its open deliveries
    cancelled. Network calls run outside the database transaction.
    """
    deliveries = list(publishing_selectors.deliveries_of_post(post=post))
    if any(d.state in IN_FLIGHT for d in deliveries):
        raise ValidationError(_("It is being published right now. Wait a minute and look again."))
    removals = [
        delivery_remove_from_network(delivery=d, actor=actor)
        for d in deliveries
        if d.pk in remove_from_network and d.state == DeliveryState.PUBLISHED
    ]
    with transaction.atomic():
        cancelled = 0
        for delivery in deliveries:
            if delivery.state in OPEN_STATES:
                delivery_cancel(delivery=delivery, actor=actor)
                cancelled += 1
        went_out = publishing_selectors.deliveries_of_post(post=post).filter(state__in=WENT_OUT)
        if went_out.exists():
            if post.approval_state != ApprovalState.DRAFT:
                post_withdraw_approval(post=post, actor=actor)
            audit_record(
                action="post.taken_down",
                workspace=post.workspace,
                actor=actor,
                target=post,
                detail={
                    "cancelled": cancelled,
                    "removed": [r.delivery.pk for r in removals if r.removed],
                },
            )
            return Deleted(deleted=False, cancelled=cancelled, removals=removals)
        post_delete(post=post, actor=actor)
    return Deleted(deleted=True, cancelled=cancelled, removals=removals)
