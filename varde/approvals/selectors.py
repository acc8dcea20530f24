"""Reading the review workflow: who may decide, what waits for whom, what was decided."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from varde.accounts import selectors as accounts_selectors
from varde.accounts.permissions import Perm, role_can
from varde.approvals.choices import Decision
from varde.approvals.models import (
    ApprovalDecision,
    ApprovalSettings,
    ClientReviewLink,
)
from varde.content import selectors as content_selectors
from varde.content.choices import ApprovalState
from varde.content.rules import rules_for
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.accounts.models import Membership, User, Workspace
    from varde.content.models import Post, PostMedia

# Approvals ----------------------------------------------------------------------------------


def approval_settings_for(*, workspace: Workspace) -> ApprovalSettings:
    """The workspace's rules; an unsaved row with the defaults when none was saved."""
    found = ApprovalSettings.objects.filter(workspace=workspace).first()
    return found or ApprovalSettings(workspace=workspace)


def required_approvals(*, workspace: Workspace) -> int:
    return 2 if approval_settings_for(workspace=workspace).require_second_approval else 1


def membership_in(*, workspace: Workspace, user: User) -> Membership | None:
    return accounts_selectors.members_of(workspace=workspace).filter(user=user).first()


def live_approvals(*, post: Post) -> list[ApprovalDecision]:
    """The approvals that still count: given since the post last went (back) to review."""
    return list(
        ApprovalDecision.objects.filter(
            post=post, decision=Decision.APPROVE, superseded_at__isnull=True
        ).select_related("actor")
    )


def _may_decide(*, post: Post, user: User) -> bool:
    if post.approval_state != ApprovalState.IN_REVIEW:
        return False
    membership = membership_in(workspace=post.workspace, user=user)
    return membership is not None and role_can(membership.role, Perm.REVIEW_DECIDE)


def user_may_approve(*, post: Post, user: User) -> bool:
    """In review, the user may decide in this workspace, and has not already approved it.

    An editor, admin or owner may approve their own post; when the workspace requires a second
    approval, that one must come from someone else.
    """
    if not _may_decide(post=post, user=user):
        return False
    return all(decision.actor_id != user.pk for decision in live_approvals(post=post))


def user_may_request_changes(*, post: Post, user: User) -> bool:
    return _may_decide(post=post, user=user)


def review_queue(*, workspace: Workspace, user: User) -> QuerySet[Post]:
    """Posts in review that this user may still approve, the longest waiting first."""
    membership = membership_in(workspace=workspace, user=user)
    if membership is None or not role_can(membership.role, Perm.REVIEW_DECIDE):
        return content_selectors.no_posts()
    already_approved = ApprovalDecision.objects.filter(
        workspace=workspace, actor=user, decision=Decision.APPROVE, superseded_at__isnull=True
    ).values("post_id")
    return (
        content_selectors.posts_in(workspace=workspace)
        .filter(approval_state=ApprovalState.IN_REVIEW)
        .exclude(pk__in=already_approved)
        .select_related("author", "workspace")
        .prefetch_related(
            "variants__channel",
            "deliveries__channel",
            "media",
            Prefetch(
                "approval_decisions",
                queryset=ApprovalDecision.objects.select_related("actor"),
                to_attr="history",
            ),
        )
        .order_by("updated_at", "id")
    )


def approval_history(*, post: Post) -> list[ApprovalDecision]:
    """Every decision about the post, oldest first: who (member or client), when, step, comment.

    ``decision.counts`` says whether an approval still counts (it stops counting when the post
    goes back to review).
    """
    return list(
        ApprovalDecision.objects.filter(post=post).select_related("actor").order_by("created_at")
    )


# What a reviewer sees of a post ---------------------------------------------------------------


@dataclass(frozen=True)
class ChannelPreview:
    label: str
    network: str
    text: str
    planned_at: datetime | None  # in the workspace's time zone


@dataclass(frozen=True)
class PostPreview:
    post: Post
    channels: list[ChannelPreview]
    media: list[PostMedia]


def post_preview(*, post: Post) -> PostPreview:
    """The post as it will go out: the text per channel, the planned time, the media.

    Reads ``variants``, ``deliveries`` and ``media`` through the post, so a queryset that
    prefetched them (``review_queue``) costs no further queries.
    """
    zone = ZoneInfo(post.workspace.timezone)
    variants = {variant.channel_id: variant.text for variant in post.variants.all()}
    channels = [
        ChannelPreview(
            label=delivery.channel.label,
            # The network's name as the composer shows it ("Instagram"), not its key.
            network=rules_for(delivery.channel).network_label,
            text=variants.get(delivery.channel_id, post.text),
            planned_at=delivery.scheduled_at.astimezone(zone) if delivery.scheduled_at else None,
        )
        for delivery in sorted(post.deliveries.all(), key=lambda d: d.channel.label)
        if delivery.state != DeliveryState.CANCELLED
    ]
    return PostPreview(post=post, channels=channels, media=list(post.media.all()))


def post_in_workspace(*, workspace: Workspace, post_id: int) -> Post:
    return (
        content_selectors.posts_in(workspace=workspace)
        .select_related("author", "workspace")
        .prefetch_related("variants__channel", "deliveries__channel", "media")
        .get(pk=post_id)
    )


def posts_for_client_link(*, workspace: Workspace) -> QuerySet[Post]:
    """Posts that can be sent to a client: those in review."""
    return (
        content_selectors.posts_in(workspace=workspace)
        .filter(approval_state=ApprovalState.IN_REVIEW)
        .order_by("-updated_at", "-id")
    )


# Client review links ------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_link_by_token(token: str) -> ClientReviewLink | None:
    """The link for a token, whatever its state (the page says whether it expired)."""
    if not token or len(token) > 200:
        return None
    return (
        ClientReviewLink.objects.select_related("workspace", "created_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def client_link_posts(*, link: ClientReviewLink) -> list[Post]:
    return list(
        link.posts.filter(workspace=link.workspace)
        .select_related("author", "workspace")
        .prefetch_related("variants__channel", "deliveries__channel", "media")
        .order_by("id")
    )


def client_link_decisions(*, link: ClientReviewLink) -> dict[int, ApprovalDecision]:
    """The decision the client made through this link, per post id."""
    return {d.post_id: d for d in ApprovalDecision.objects.filter(client_link=link)}


class LinkState:
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"


def client_link_state(*, link: ClientReviewLink) -> str:
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.is_expired:
        return LinkState.EXPIRED
    post_ids = set(link.posts.values_list("pk", flat=True))
    decided = set(
        ApprovalDecision.objects.filter(client_link=link).values_list("post_id", flat=True)
    )
    if post_ids and post_ids <= decided:
        return LinkState.USED
    return LinkState.OPEN


def client_links_of(*, workspace: Workspace) -> QuerySet[ClientReviewLink]:
    return (
        ClientReviewLink.objects.filter(workspace=workspace)
        .select_related("created_by")
        .prefetch_related("posts", "decisions")
    )
