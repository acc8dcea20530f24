"""Analytics benchmark: prints one JSON line of figures.

    python bench/analytics.py --posts 100000 --snapshots 3000000 --rollups 1000000

Creates a fresh SQLite database in a temporary folder (or uses --database-url, a PostgreSQL
database it may fill and leave; ANALYZE runs after filling), with one workspace, --channels
channels, --posts published posts (one delivery each), --snapshots daily numbers
(``DailyMetric``: the posts' lifetime counts and the accounts' followers) and --rollups rollup
rows (``DailyRollup``: day × channel × campaign × pillar × content kind × metric) spread over
--days days, and four measured goals. Then it times, as an analyst sees them, the goal
dashboard (Analytics overview) and the channel report (the per-channel table as a file): the
median and p95 of --repeat requests after one warm-up, the database queries each made and the
answer's size. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import django_with_fresh_database

BATCH = 5000
METRICS = ("likes", "reposts", "replies", "quotes", "views", "clicks")
KINDS = ("educational", "engagement", "promotional", "behind_the_scenes", "")


def _fill(args: argparse.Namespace) -> dict[str, object]:
    import datetime as dt
    from decimal import Decimal

    from django.db.models import Sum
    from django.utils import timezone

    from varde.accounts.models import Membership, User, Workspace
    from varde.accounts.roles import Role
    from varde.analytics.models import ChannelDayTotal, DailyMetric, DailyRollup
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery
    from varde.strategy.models import SocialGoal

    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Oslo")
    user = User.objects.create_user(email="bench@example.test", full_name="Bench")
    Membership.objects.create(user=user, workspace=workspace, role=Role.ANALYST)
    channels = [
        ConnectedAccount.objects.create(
            workspace=workspace, connector_key="sandbox", label=f"Channel {n}"
        )
        for n in range(args.channels)
    ]
    today = timezone.localdate()
    first = today - dt.timedelta(days=args.days - 1)
    now = timezone.now()
    for start in range(0, args.posts, BATCH):
        posts = Post.objects.bulk_create(
            [
                Post(workspace=workspace, author=user, text=f"Post {n}")
                for n in range(start, min(start + BATCH, args.posts))
            ]
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    workspace=workspace,
                    post=post,
                    channel=channels[post.pk % len(channels)],
                    state=DeliveryState.PUBLISHED,
                    published_at=now
                    - dt.timedelta(minutes=post.pk * args.days * 1440 // args.posts),
                )
                for post in posts
            ]
        )
    deliveries = list(Delivery.objects.filter(workspace=workspace).values_list("pk", "channel_id"))
    metric_rows = 0
    while metric_rows < args.snapshots:
        rows = []
        for n in range(metric_rows, min(metric_rows + BATCH, args.snapshots)):
            delivery_id, channel_id = deliveries[(n // (len(METRICS) * 7)) % len(deliveries)]
            rows.append(
                DailyMetric(
                    workspace=workspace,
                    channel_id=channel_id,
                    delivery_id=delivery_id,
                    day=first
                    + dt.timedelta(days=(n // len(METRICS)) % 7 + (delivery_id % args.days)),
                    metric=METRICS[n % len(METRICS)],
                    value=n % 997,
                    source="sandbox",
                    read_at=now,
                )
            )
        DailyMetric.objects.bulk_create(rows, ignore_conflicts=True)
        metric_rows += len(rows)
    rollup_rows = 0
    per_day = max(1, args.rollups // args.days)
    while rollup_rows < args.rollups:
        rows = []
        for n in range(rollup_rows, min(rollup_rows + BATCH, args.rollups)):
            combo = n % per_day
            metric = "followers" if combo < len(channels) else METRICS[combo % len(METRICS)]
            rows.append(
                DailyRollup(
                    workspace=workspace,
                    day=first + dt.timedelta(days=(n // per_day) % args.days),
                    channel=channels[combo % len(channels)],
                    campaign_id=combo % 20 or None,
                    pillar_id=combo % 7 or None,
                    mix_category=KINDS[combo % len(KINDS)],
                    metric=metric,
                    value=1000 + n // per_day if metric == "followers" else n % 113,
                    posts=combo % 3,
                    source="sandbox",
                )
            )
        DailyRollup.objects.bulk_create(rows)
        rollup_rows += len(rows)
    summed = (
        DailyRollup.objects.filter(workspace=workspace)
        .values("day", "channel_id", "metric", "source")
        .annotate(value=Sum("value"))
        .order_by()
    )
    ChannelDayTotal.objects.bulk_create(
        (ChannelDayTotal(workspace=workspace, **row) for row in summed.iterator()), batch_size=BATCH
    )
    for metric, target in (("followers", 50000), ("reach", 900000), ("engagement_rate", 9)):
        SocialGoal.objects.create(
            workspace=workspace,
            title=f"Bench {metric}",
            metric=metric,
            baseline=Decimal(1),
            target=Decimal(target),
            deadline=today + dt.timedelta(days=200),
        )
    SocialGoal.objects.create(
        workspace=workspace, title="Bench clicks", metric="link_clicks", target=Decimal(500)
    )
    return {"user": user, "snapshots": metric_rows, "rollups": rollup_rows}


def _time(client: object, url: str, repeat: int) -> dict[str, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # type: ignore[attr-defined]  # warm-up: templates, URL resolver
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times.sort()
    counted = len(queries)
    from django.core.cache import cache

    cache.clear()  # the first view after the day's numbers changed: nothing kept yet
    started = time.perf_counter()
    client.get(url)  # type: ignore[attr-defined]
    cold = time.perf_counter() - started
    return {
        "cold_ms": round(cold * 1000),
        "ms": round(statistics.median(times) * 1000),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000),
        "queries": counted,
        "kb": round(len(response.content) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde analytics benchmark")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--snapshots", type=int, default=3_000_000, help="DailyMetric rows")
    parser.add_argument("--rollups", type=int, default=1_000_000, help="DailyRollup rows")
    parser.add_argument("--channels", type=int, default=5)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()

    django_with_fresh_database(name="analytics", database_url=args.database_url)
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    filled = _fill(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: the planner's statistics after filling
    fill_s = round(time.perf_counter() - started)
    client = Client()
    client.force_login(filled["user"])
    figures: dict[str, object] = {
        "bench": "analytics",
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "db": connection.vendor,
        "posts": args.posts,
        "snapshots": filled["snapshots"],
        "rollups": filled["rollups"],
        "days": args.days,
        "fill_s": fill_s,
    }
    pages = {
        "dashboard": "/w/bench/analytics/",
        "channels": "/w/bench/analytics/export/channels.csv",
    }
    for name, url in pages.items():
        for key, value in _time(client, url, args.repeat).items():
            figures[f"{name}_{key}"] = value
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
