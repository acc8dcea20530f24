"""Daily snapshots and the rollups read from them: every write to ``DailyMetric`` and
``DailyRollup`` happens here.

A post's daily row holds its lifetime counts as last read that day; an account's holds its
followers that day. A rollup holds what *happened* that day (the increase of each count, the
clicks counted by Varde) per channel × campaign × pillar × content kind, so a period total is a
sum of rollups and a lifetime total is a post's latest reading: the two differ by design.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from varde.analytics.choices import POST_METRICS, Metric, MetricSource
from varde.analytics.models import ChannelDayTotal, DailyMetric, DailyRollup, LinkClick
from varde.content import selectors as content_selectors
from varde.publishing import selectors as publishing_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.analytics.models import MetricSnapshot
    from varde.channels.models import ConnectedAccount
    from varde.connectors.contracts import AccountProfile

# A post is read for 30 days; its increase on a day needs the reading before it.
LOOKBACK = dt.timedelta(days=32)
SANDBOX_KEY = "sandbox"


def source_of(channel: ConnectedAccount) -> str:
    return MetricSource.SANDBOX if channel.connector_key == SANDBOX_KEY else MetricSource.NETWORK


def _day_of(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@transaction.atomic
def daily_store_snapshots(
    *, channel: ConnectedAccount, snapshots: list[MetricSnapshot]
) -> list[DailyMetric]:
    """Keep each snapshot's counts as that day's numbers of its post (the last reading of a
    day wins), with the answer they came from."""
    source = source_of(channel)
    rows: dict[tuple[int, str, dt.date], DailyMetric] = {}
    for snapshot in snapshots:
        day = _day_of(snapshot.fetched_at)
        raw = {
            "likes": snapshot.likes,
            "reposts": snapshot.reposts,
            "replies": snapshot.replies,
            "quotes": snapshot.quotes,
            "views": snapshot.views,
            "fetched_at": snapshot.fetched_at.isoformat(),
        }
        for metric in POST_METRICS:
            value = getattr(snapshot, metric.value)
            if value is None:  # the network does not say: no row, nothing invented
                continue
            rows[(snapshot.delivery_id, metric.value, day)] = DailyMetric(
                workspace_id=channel.workspace_id,
                channel_id=channel.pk,
                delivery_id=snapshot.delivery_id,
                day=day,
                metric=metric.value,
                value=value,
                source=source,
                raw=raw,
                read_at=snapshot.fetched_at,
            )
    for delivery_id, metric_name, day in rows:
        DailyMetric.objects.filter(delivery_id=delivery_id, metric=metric_name, day=day).delete()
    created = DailyMetric.objects.bulk_create(rows.values())
    for day in {key[2] for key in rows}:
        rollup_rebuild(workspace_id=channel.workspace_id, day=day)
    return created


@transaction.atomic
def daily_store_account(
    *,
    channel: ConnectedAccount,
    now: dt.datetime,
    profile: AccountProfile | None,
    error: str = "",
) -> DailyMetric | None:
    """Keep the account's followers for today, or the error that stopped reading them. A
    network that does not give followers leaves no row. An error never replaces a number
    already read today."""
    day = _day_of(now)
    existing = DailyMetric.objects.filter(
        channel=channel, delivery__isnull=True, metric=Metric.FOLLOWERS, day=day
    ).first()
    if profile is None:
        if existing is not None and existing.value is not None:
            return existing
        values: dict[str, Any] = {"value": None, "error": error, "raw": {}}
    elif profile.followers is None:
        return None
    else:
        raw = dataclasses.asdict(profile)
        raw.pop("avatar_url", None)
        values = {"value": profile.followers, "error": "", "raw": raw}
    row, _created = DailyMetric.objects.update_or_create(
        channel=channel,
        delivery=None,
        metric=Metric.FOLLOWERS,
        day=day,
        defaults={
            **values,
            "workspace_id": channel.workspace_id,
            "source": source_of(channel),
            "read_at": now,
        },
    )
    rollup_rebuild(workspace_id=channel.workspace_id, day=day)
    return row


def account_read_due(*, channel: ConnectedAccount, now: dt.datetime) -> bool:
    """Followers are read once a day."""
    return not DailyMetric.objects.filter(
        channel=channel,
        delivery__isnull=True,
        metric=Metric.FOLLOWERS,
        day=_day_of(now),
        value__isnull=False,
    ).exists()


# --- Rollups ---------------------------------------------------------------------------------

Key = tuple[
    int, int | None, int | None, str, str, str
]  # channel, campaign, pillar, mix, metric, source


@transaction.atomic
def rollup_rebuild(*, workspace_id: int, day: dt.date) -> int:
    """Recompute one day's rollups of a workspace from its daily rows and clicks."""
    DailyRollup.objects.filter(workspace_id=workspace_id, day=day).delete()
    values: dict[Key, int] = defaultdict(int)
    posts: dict[Key, int] = defaultdict(int)
    _post_increments(workspace_id, day, values, posts)
    _followers(workspace_id, day, values)
    _clicks(workspace_id, day, values, posts)
    rows = [
        DailyRollup(
            workspace_id=workspace_id,
            day=day,
            channel_id=channel,
            campaign_id=campaign,
            pillar_id=pillar,
            mix_category=mix,
            metric=metric,
            source=source,
            value=value,
            posts=posts.get((channel, campaign, pillar, mix, metric, source), 0),
        )
        for (channel, campaign, pillar, mix, metric, source), value in values.items()
    ]
    DailyRollup.objects.bulk_create(rows)
    _channel_day_totals(workspace_id, day, values)
    return len(rows)


def _channel_day_totals(workspace_id: int, day: dt.date, values: dict[Key, int]) -> None:
    """The day's rollups summed per channel × metric × source (``ChannelDayTotal``)."""
    ChannelDayTotal.objects.filter(workspace_id=workspace_id, day=day).delete()
    summed: dict[tuple[int, str, str], int] = defaultdict(int)
    for (channel, _campaign, _pillar, _mix, metric, source), value in values.items():
        summed[(channel, metric, source)] += value
    ChannelDayTotal.objects.bulk_create(
        ChannelDayTotal(
            workspace_id=workspace_id,
            day=day,
            channel_id=channel,
            metric=metric,
            source=source,
            value=value,
        )
        for (channel, metric, source), value in summed.items()
    )


def _post_dimensions(workspace_id: int, delivery_ids: set[int]) -> dict[int, tuple[Any, ...]]:
    rows = (
        publishing_selectors.deliveries_in_workspace_id(workspace_id=workspace_id)
        .filter(pk__in=delivery_ids)
        .values_list("pk", "post__campaign_id", "post__pillar_id", "post__mix_category")
    )
    return {pk: (campaign, pillar, mix or "") for pk, campaign, pillar, mix in rows}


def _post_increments(
    workspace_id: int, day: dt.date, values: dict[Key, int], posts: dict[Key, int]
) -> None:
    today = DailyMetric.objects.filter(
        workspace_id=workspace_id, day=day, delivery__isnull=False, value__isnull=False
    ).values_list("delivery_id", "channel_id", "metric", "value", "source")
    today_rows = list(today)
    if not today_rows:
        return
    delivery_ids = {row[0] for row in today_rows}
    before: dict[tuple[int, str], int] = {}
    earlier = (
        DailyMetric.objects.filter(
            delivery_id__in=delivery_ids,
            day__lt=day,
            day__gte=day - LOOKBACK,
            value__isnull=False,
        )
        .order_by("delivery_id", "metric", "day")
        .values_list("delivery_id", "metric", "value")
    )
    for delivery_id, metric, value in earlier:
        before[(delivery_id, metric)] = value or 0  # ordered by day: the last one stays
    dimensions = _post_dimensions(workspace_id, delivery_ids)
    for delivery_id, channel_id, metric, value, source in today_rows:
        campaign, pillar, mix = dimensions.get(delivery_id, (None, None, ""))
        key = (channel_id, campaign, pillar, mix, metric, source)
        values[key] += max((value or 0) - before.get((delivery_id, metric), 0), 0)
        posts[key] += 1


def _followers(workspace_id: int, day: dt.date, values: dict[Key, int]) -> None:
    rows = DailyMetric.objects.filter(
        workspace_id=workspace_id,
        day=day,
        delivery__isnull=True,
        metric=Metric.FOLLOWERS,
        value__isnull=False,
    ).values_list("channel_id", "value", "source")
    for channel_id, value, source in rows:
        values[(channel_id, None, None, "", Metric.FOLLOWERS.value, source)] = value or 0


def _clicks(workspace_id: int, day: dt.date, values: dict[Key, int], posts: dict[Key, int]) -> None:
    counted = (
        LinkClick.objects.filter(workspace_id=workspace_id, day=day, link__channel__isnull=False)
        .values("link__channel_id", "link__campaign_id", "link__post_id")
        .annotate(clicks=Count("id"))
    )
    post_ids = {row["link__post_id"] for row in counted if row["link__post_id"]}
    dims = {
        pk: (pillar, mix or "")
        for pk, pillar, mix in content_selectors.posts_in_workspace_id(workspace_id=workspace_id)
        .filter(pk__in=post_ids)
        .values_list("pk", "pillar_id", "mix_category")
    }
    for row in counted:
        pillar, mix = dims.get(row["link__post_id"], (None, ""))
        key = (
            row["link__channel_id"],
            row["link__campaign_id"],
            pillar,
            mix,
            Metric.CLICKS.value,
            MetricSource.VARDE.value,
        )
        values[key] += row["clicks"]
        posts[key] += 1


# --- The demo's history ------------------------------------------------------------------------


@transaction.atomic
def sandbox_history_seed(*, workspace: Workspace, today: dt.date, days: int = 90) -> int:
    """Give the workspace's sandbox channels the history a real account would have: daily
    followers for ``days`` days and the daily counts of their published posts, from the
    sandbox's own curves (``varde.sandbox.metrics``), labelled as sandbox data. Idempotent: a
    day that already has a row keeps it."""
    from varde.channels import selectors as channel_selectors
    from varde.sandbox.metrics import followers_on

    channels = [
        c
        for c in channel_selectors.channels_in(workspace=workspace)
        if c.connector_key == SANDBOX_KEY
    ]
    start = today - dt.timedelta(days=days)
    made: list[DailyMetric] = []
    touched: set[dt.date] = set()
    now = timezone.now()
    for channel in channels:
        account = str((channel.config or {}).get("account", "sandbox"))
        have = set(
            DailyMetric.objects.filter(
                channel=channel, delivery__isnull=True, metric=Metric.FOLLOWERS, day__gte=start
            ).values_list("day", flat=True)
        )
        for offset in range(days + 1):
            day = start + dt.timedelta(days=offset)
            if day in have:
                continue
            made.append(
                DailyMetric(
                    workspace_id=workspace.pk,
                    channel_id=channel.pk,
                    day=day,
                    metric=Metric.FOLLOWERS,
                    value=followers_on(account, day),
                    source=MetricSource.SANDBOX,
                    raw={"sandbox": True},
                    read_at=now,
                )
            )
            touched.add(day)
        made += _sandbox_post_history(channel, today, touched)
    DailyMetric.objects.bulk_create(made)
    for day in sorted(touched):
        rollup_rebuild(workspace_id=workspace.pk, day=day)
    return len(made)


def _sandbox_post_history(
    channel: ConnectedAccount, today: dt.date, touched: set[dt.date]
) -> list[DailyMetric]:
    from varde.publishing.choices import DeliveryState
    from varde.sandbox.metrics import post_counts

    made = []
    deliveries = (
        publishing_selectors.deliveries_on_channel(channel=channel)
        .filter(state=DeliveryState.PUBLISHED, published_at__isnull=False)
        .exclude(network_post_id="")
    )
    for delivery in deliveries:
        assert delivery.published_at is not None  # noqa: S101 (filtered above)
        first = timezone.localdate(delivery.published_at)
        have = set(DailyMetric.objects.filter(delivery=delivery).values_list("day", "metric"))
        day = first
        while day <= today and (day - first).days <= 30:
            end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 0)))
            counts = post_counts(
                delivery.network_post_id, min(end_of_day, timezone.now()) - delivery.published_at
            )
            for metric, value in counts.items():
                if (day, metric) in have:
                    continue
                made.append(
                    DailyMetric(
                        workspace_id=channel.workspace_id,
                        channel_id=channel.pk,
                        delivery_id=delivery.pk,
                        day=day,
                        metric=metric,
                        value=value,
                        source=MetricSource.SANDBOX,
                        raw={"sandbox": True, **counts},
                        read_at=timezone.now(),
                    )
                )
            touched.add(day)
            day += dt.timedelta(days=1)
    return made
