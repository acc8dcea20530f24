"""Reading published posts' metrics from their networks and keeping them as snapshots.

A post is read often while it is young and more rarely as it ages (``CADENCE``); after
``WINDOW`` it is left alone. The network call happens outside any transaction; only storing
the answer is atomic.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery

from varde.analytics.daily import account_read_due, daily_store_account, daily_store_snapshots
from varde.analytics.models import GoalReading, MetricSnapshot
from varde.connectors.errors import AuthExpired, ConnectorError, RateLimited
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.analytics.models import DailyMetric
    from varde.channels.models import ConnectedAccount
    from varde.connectors.base import Connector
    from varde.connectors.contracts import PostMetrics
    from varde.publishing.models import Delivery

WINDOW = timedelta(days=30)
# (younger than, read again after): hourly on the first day, four times a day in the first
# week, daily until the window closes.
CADENCE: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (WINDOW, timedelta(days=1)),
)


def metrics_interval(age: timedelta) -> timedelta | None:
    """How long to wait between two readings of a post this old; None once it is too old."""
    for younger_than, interval in CADENCE:
        if age < younger_than:
            return interval
    return None


def metrics_due(*, channel: ConnectedAccount, now: datetime, force: bool = False) -> list[Delivery]:
    """The channel's published deliveries whose metrics should be read now (all recent ones
    with ``force``, as ``varde channels sync`` does)."""
    last_read = (
        MetricSnapshot.objects.filter(delivery=OuterRef("pk"))
        .values("delivery")
        .annotate(last=Max("fetched_at"))
        .values("last")
    )
    recent = (
        publishing_selectors.deliveries_on_channel(channel=channel)
        .filter(
            state=DeliveryState.PUBLISHED,
            published_at__gte=now - WINDOW,
        )
        .exclude(network_post_id="")
        .annotate(last_read=Subquery(last_read))
        .order_by("published_at", "pk")
    )
    due: list[Delivery] = []
    for delivery in recent:
        assert delivery.published_at is not None  # noqa: S101  (filtered above)
        interval = metrics_interval(now - delivery.published_at)
        last = delivery.last_read
        if interval is not None and (force or last is None or now - last >= interval):
            due.append(delivery)
    return due


@transaction.atomic
def metrics_store(
    *, deliveries: list[Delivery], metrics: tuple[PostMetrics, ...]
) -> list[MetricSnapshot]:
    by_post_id = {delivery.network_post_id: delivery for delivery in deliveries}
    snapshots = [
        MetricSnapshot(
            workspace_id=by_post_id[reading.network_post_id].workspace_id,
            delivery=by_post_id[reading.network_post_id],
            fetched_at=reading.fetched_at,
            likes=reading.likes,
            reposts=reading.reposts,
            replies=reading.replies,
            quotes=reading.quotes,
            views=reading.views,
        )
        # A network answers only for posts it still has; a deleted post is simply absent.
        for reading in metrics
        if reading.network_post_id in by_post_id
    ]
    return MetricSnapshot.objects.bulk_create(snapshots)


def metrics_read_channel(
    *, channel: ConnectedAccount, connector: Connector, now: datetime, force: bool = False
) -> list[MetricSnapshot]:
    """Read and keep the metrics of the channel's posts that are due. Connector errors
    (``AuthExpired``, ``RateLimited``, ...) pass through to the caller, which decides."""
    due = metrics_due(channel=channel, now=now, force=force)
    if not due:
        return []
    metrics = connector.fetch_metrics([delivery.network_post_id for delivery in due])
    snapshots = metrics_store(deliveries=due, metrics=metrics)
    daily_store_snapshots(channel=channel, snapshots=snapshots)
    return snapshots


def account_read_channel(
    *, channel: ConnectedAccount, connector: Connector, now: datetime, force: bool = False
) -> list[DailyMetric]:
    """Read the account's followers once a day and keep them (or the error). ``AuthExpired``
    and ``RateLimited`` pass through to the caller; another connector error is stored as
    that day's error and returned as no reading."""
    if not force and not account_read_due(channel=channel, now=now):
        return []
    try:
        profile = connector.get_account()
    except (AuthExpired, RateLimited):
        raise
    except ConnectorError as error:
        daily_store_account(channel=channel, now=now, profile=None, error=str(error))
        raise
    row = daily_store_account(channel=channel, now=now, profile=profile)
    return [row] if row is not None else []


@transaction.atomic
def goal_reading_enter(
    *, workspace: Workspace, goal_id: int, day: date, value: Decimal, note: str, user: User
) -> GoalReading:
    """A goal's number for a day, entered by a person; entering the same day again replaces
    it."""
    reading, _created = GoalReading.objects.update_or_create(
        workspace=workspace,
        goal_id=goal_id,
        day=day,
        defaults={"value": value, "note": note, "entered_by": user},
    )
    return reading
