"""Reading deliveries: per-post status, what is due next, health figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from varde.channels.choices import ChannelStatus
from varde.content import selectors as content_selectors
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery, DeliveryAttempt, DeliveryQuerySet
from varde.worker.selectors import WorkerStatus, worker_statuses

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Campaign, Post


def next_due_at(*, now: datetime) -> datetime | None:
    """When the engine next has something to do (any workspace): a send or a check.

    An ``unknown`` delivery being checked by another worker counts from the end of that
    worker's lease, so a worker that died mid-check does not make the others spin.
    """
    live = Delivery.objects.filter(due_at__isnull=False, channel__status=ChannelStatus.CONNECTED)
    times = [
        live.filter(state=DeliveryState.SCHEDULED).aggregate(t=Min("due_at"))["t"],
        live.filter(state=DeliveryState.UNKNOWN)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .aggregate(t=Min("due_at"))["t"],
        live.filter(state=DeliveryState.UNKNOWN, lease_expires_at__gte=now).aggregate(
            t=Min("lease_expires_at")
        )["t"],
    ]
    found = [t for t in times if t is not None]
    return min(found) if found else None


def deliveries_in(*, workspace: Workspace) -> DeliveryQuerySet:
    """The workspace's deliveries, for other apps to narrow down; every other app's delivery
    query starts here or at one of the two below."""
    return Delivery.objects.in_workspace(workspace)


def deliveries_in_workspace_id(*, workspace_id: int) -> QuerySet[Delivery]:
    """The same, for background work that holds only the workspace's id."""
    return Delivery.objects.filter(workspace_id=workspace_id)


def deliveries_on_channel(*, channel: ConnectedAccount) -> QuerySet[Delivery]:
    return Delivery.objects.filter(workspace_id=channel.workspace_id, channel=channel)


def deliveries_of_campaign(*, campaign: Campaign) -> QuerySet[Delivery]:
    return Delivery.objects.filter(post__campaign=campaign, workspace_id=campaign.workspace_id)


def posts_deliveries_prefetch() -> Prefetch[Any]:
    """What a post page prefetches: the post's deliveries with their channels, by channel name."""
    return Prefetch(
        "deliveries", queryset=Delivery.objects.select_related("channel").order_by("channel__label")
    )


def deliveries_of_post(*, post: Post) -> QuerySet[Delivery]:
    return Delivery.objects.filter(post=post).select_related("channel").order_by("channel__label")


def attempts_of(*, delivery: Delivery) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(delivery=delivery).order_by("-started_at", "-id")


def unknown_delivery_get(*, workspace: Workspace, delivery_id: int) -> Delivery:
    return (
        Delivery.objects.in_workspace(workspace)
        .select_related("post", "channel", "workspace")
        .get(pk=delivery_id, state=DeliveryState.UNKNOWN)
    )


def post_get(*, workspace: Workspace, post_id: int) -> Post:
    return content_selectors.posts_in(workspace=workspace).select_related("author").get(pk=post_id)


def posts_with_deliveries(*, workspace: Workspace, state: str | None = None) -> QuerySet[Post]:
    posts = content_selectors.posts_in(workspace=workspace).filter(deliveries__isnull=False)
    if state:
        posts = posts.filter(deliveries__state=state)
    return posts.distinct().prefetch_related("deliveries__channel").order_by("-created_at", "-id")


@dataclass(frozen=True)
class ChannelHealth:
    channel_id: int
    label: str
    status: str
    connector_key: str
    scheduled: int
    failed: int
    unknown: int


@dataclass(frozen=True)
class PublishingHealth:
    next_due: datetime | None
    next_delivery: Delivery | None
    backlog: int
    channels: list[ChannelHealth]
    unknown: list[Delivery]
    workers: list[WorkerStatus]

    @property
    def alive_workers(self) -> int:
        return sum(1 for worker in self.workers if worker.alive)

    @property
    def last_heartbeat(self) -> datetime | None:
        return max((worker.last_seen for worker in self.workers), default=None)


def publishing_health(*, workspace: Workspace, now: datetime) -> PublishingHealth:
    deliveries = Delivery.objects.in_workspace(workspace)
    per_channel = (
        deliveries.values(
            "channel_id", "channel__label", "channel__status", "channel__connector_key"
        )
        .annotate(
            scheduled=Count("id", filter=Q(state=DeliveryState.SCHEDULED)),
            failed=Count("id", filter=Q(state=DeliveryState.FAILED)),
            unknown=Count("id", filter=Q(state=DeliveryState.UNKNOWN)),
        )
        .order_by("channel__label")
    )
    next_delivery = (
        deliveries.filter(state=DeliveryState.SCHEDULED, due_at__isnull=False)
        .select_related("post", "channel")
        .order_by("due_at", "id")
        .first()
    )
    return PublishingHealth(
        next_due=next_delivery.due_at if next_delivery else None,
        next_delivery=next_delivery,
        workers=worker_statuses(),
        backlog=deliveries.filter(state=DeliveryState.SCHEDULED, due_at__lte=now).count(),
        channels=[
            ChannelHealth(
                channel_id=row["channel_id"],
                label=row["channel__label"],
                status=row["channel__status"],
                connector_key=row["channel__connector_key"],
                scheduled=row["scheduled"],
                failed=row["failed"],
                unknown=row["unknown"],
            )
            for row in per_channel
        ],
        unknown=list(
            deliveries.filter(state=DeliveryState.UNKNOWN)
            .select_related("post", "channel")
            .order_by("updated_at", "id")[:50]
        ),
    )
