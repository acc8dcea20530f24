"""What the composer, the post page and the campaign pages show: posts with their deliveries.

A post belongs to content and its deliveries to publishing; these reads join the two, which only
an app above both may do (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from varde.content import selectors as content_selectors
from varde.content.choices import ApprovalState
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Campaign, Post
    from varde.publishing.models import Delivery


def post_get(*, workspace: Workspace, post_id: int) -> Post:
    """One post of the workspace with what the composer shows; DoesNotExist otherwise."""
    return (
        content_selectors.posts_in(workspace=workspace)
        .select_related("author", "campaign")
        .prefetch_related(
            "variants",
            "media",
            publishing_selectors.posts_deliveries_prefetch(),
        )
        .get(pk=post_id)
    )


def post_open_deliveries(post: Post) -> list[Delivery]:
    """The post's deliveries that are not cancelled (uses the prefetch of ``post_get``)."""
    return [d for d in post.deliveries.all() if d.state != DeliveryState.CANCELLED]


def post_is_scheduled(post: Post) -> bool:
    """Whether "Unschedule" means anything: the post is approved or something waits to go out."""
    return post.approval_state == ApprovalState.APPROVED or any(
        d.state == DeliveryState.SCHEDULED for d in post.deliveries.all()
    )


def post_planned_at(post: Post) -> dt.datetime | None:
    """The planned time of the post: the earliest planned time of its deliveries."""
    times = [
        d.published_at or d.scheduled_at
        for d in post_open_deliveries(post)
        if (d.published_at or d.scheduled_at) is not None
    ]
    return min(t for t in times if t is not None) if times else None


def planned_times_by_channel(
    *, workspace: Workspace, channels: list[ConnectedAccount], exclude_post: Post | None = None
) -> dict[int, list[dt.datetime]]:
    """When each channel already has a post planned or out (for finding a free slot)."""
    taken: dict[int, list[dt.datetime]] = {c.pk: [] for c in channels}
    rows = (
        publishing_selectors.deliveries_in(workspace=workspace)
        .filter(channel__in=channels, scheduled_at__isnull=False)
        .exclude(state=DeliveryState.CANCELLED)
    )
    if exclude_post is not None:
        rows = rows.exclude(post=exclude_post)
    for channel_id, at in rows.values_list("channel_id", "scheduled_at"):
        if at is not None:
            taken[channel_id].append(at)
    return taken


@dataclass(frozen=True)
class TimelineEntry:
    """One post on one channel in a campaign's timeline, or a post not on any channel yet."""

    post: Post
    delivery: Delivery | None
    when: dt.datetime | None  # published, else planned; None when not planned yet

    @property
    def status(self) -> str:
        return (
            self.delivery.get_state_display()
            if self.delivery
            else str(self.post.get_approval_state_display())
        )


def campaign_timeline(*, campaign: Campaign) -> list[TimelineEntry]:
    """Every post of the campaign on every channel (social, blog, newsletter) in time order.

    Posts with a time come first, oldest first; posts not planned yet come last.
    """
    deliveries = (
        publishing_selectors.deliveries_of_campaign(campaign=campaign)
        .exclude(state=DeliveryState.CANCELLED)
        .select_related("post", "post__author", "channel")
    )
    entries = [
        TimelineEntry(post=d.post, delivery=d, when=d.published_at or d.scheduled_at)
        for d in deliveries
    ]
    planned_posts = {d.post_id for d in deliveries}
    unplaced = (
        content_selectors.posts_of_campaign(campaign=campaign)
        .exclude(pk__in=planned_posts)
        .select_related("author")
    )
    entries += [TimelineEntry(post=p, delivery=None, when=None) for p in unplaced]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        entries, key=lambda e: (e.when or far, e.post.pk, e.delivery.pk if e.delivery else 0)
    )


def campaign_channel_summary(*, campaign: Campaign) -> list[dict[str, object]]:
    """Per channel of the campaign: how many posts are out, planned, and still drafts."""
    rows = (
        publishing_selectors.deliveries_of_campaign(campaign=campaign)
        .values("channel_id", "channel__label", "channel__connector_key")
        .annotate(
            published=Count("id", filter=Q(state=DeliveryState.PUBLISHED)),
            scheduled=Count("id", filter=Q(state=DeliveryState.SCHEDULED)),
            drafts=Count("id", filter=Q(state=DeliveryState.DRAFT)),
            failed=Count("id", filter=Q(state__in=[DeliveryState.FAILED, DeliveryState.UNKNOWN])),
        )
        .order_by("channel__label")
    )
    return list(rows)
