"""Listening charts benchmark: prints one JSON line of figures.

    python bench/listening_charts.py --mentions 1000000

Creates a fresh SQLite database in a temporary folder (or uses --database-url, a PostgreSQL
database it may fill and leave), stores --mentions generated mentions (bench/listening_data.py's
stream) over the last 30 days, each matched by one of four queries (the brand and three
competitors) with a sentiment, counts the daily and hourly rollups as the pipeline keeps them,
and times the charts page as an editor sees it for each period: the median and the worst of
--repeat requests after one warm-up, and the number of database queries. See
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from listening_data import make_post
from pages import django_with_fresh_database

CHUNK = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde listening charts benchmark")
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    django_with_fresh_database(name="listening-charts", database_url=args.database_url)

    workspace, user = _fill(args.mentions)
    figures = {"mentions": args.mentions, **_time_pages(workspace, user, args.repeat)}
    print(json.dumps(figures))


def _fill(count: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.db.models import Count
    from django.db.models.functions import TruncDate, TruncHour
    from django.utils import timezone

    from varde.accounts.models import Membership, User, Workspace
    from varde.accounts.roles import Role
    from varde.listening.choices import QueryKind
    from varde.listening.models import (
        ListeningQuery,
        Mention,
        MentionHourRollup,
        MentionMatch,
        MentionRollup,
    )

    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Oslo")
    user = User.objects.create_user(email="bench@example.test", password="x" * 16)
    Membership.objects.create(user=user, workspace=workspace, role=Role.EDITOR)
    queries = [
        ListeningQuery.objects.create(workspace=workspace, name=name, text=name.lower(), kind=kind)
        for name, kind in [
            ("Brand", QueryKind.BRAND),
            ("Rival A", QueryKind.COMPETITOR),
            ("Rival B", QueryKind.COMPETITOR),
            ("Rival C", QueryKind.COMPETITOR),
        ]
    ]
    rng = random.Random(12)
    now = timezone.now()
    sentiments = ["positive", "neutral", "negative", None]
    started = time.perf_counter()
    for first in range(0, count, CHUNK):
        size = min(CHUNK, count - first)
        posts = [make_post(["Brand"], rng) for _ in range(size)]
        mentions = [
            Mention(
                workspace=workspace,
                source_kind=post.source,
                external_id=str(first + n),
                author_handle=f"user{rng.randrange(5000)}",
                text=post.text,
                language="no" if post.lang == "nb" else "en",
                published_at=now - dt.timedelta(seconds=rng.randrange(30 * 86400)),
                received_at=now,
                sentiment=rng.choice(sentiments),
            )
            for n, post in enumerate(posts)
        ]
        Mention.objects.bulk_create(mentions, batch_size=2000)
        stored = Mention.objects.filter(
            workspace=workspace, external_id__in=[m.external_id for m in mentions]
        )
        MentionMatch.objects.bulk_create(
            [
                MentionMatch(
                    mention_id=pk,
                    query=queries[min(int(rng.expovariate(1.2)), 3)],
                    published_at=published,
                )
                for pk, published in stored.values_list("id", "published_at")
            ],
            batch_size=2000,
        )
    zone = dt.UTC
    for model, field, trunc in [
        (MentionRollup, "day", TruncDate("published_at", tzinfo=zone)),
        (MentionHourRollup, "hour", TruncHour("published_at", tzinfo=zone)),
    ]:
        rows = (
            MentionMatch.objects.annotate(bucket=trunc)
            .values("query_id", "bucket", "mention__sentiment")
            .annotate(n=Count("id"))
            .order_by()
        )
        model.objects.bulk_create(
            [
                model(
                    workspace=workspace,
                    query_id=row["query_id"],
                    sentiment=row["mention__sentiment"] or "",
                    count=row["n"],
                    **{field: row["bucket"]},
                )
                for row in rows
            ],
            batch_size=2000,
        )
    print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return workspace, user


def _time_pages(workspace, user, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    figures: dict[str, object] = {}
    for period in ("", "1d", "7d", "30d"):
        url = f"/w/{workspace.slug}/listening/volume/?period={period}"
        status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        key = period or "any"
        figures[f"charts_{key}_median_ms"] = round(statistics.median(times), 1)
        figures[f"charts_{key}_max_ms"] = round(max(times), 1)
        figures[f"charts_{key}_queries"] = len(captured.captured_queries)
    return figures


if __name__ == "__main__":
    main()
