"""Calendar benchmark: prints one JSON line of figures.

    python bench/calendar_page.py --posts 3000 --channels 2

(Not calendar.py: a script of that name would hide the standard library's calendar module.)

Creates a fresh SQLite database in a temporary folder (or uses --database-url, a PostgreSQL
database it may fill and leave), plans --posts posts on --channels channels across one month
(each post on every channel), and times the month, week and list pages and the plan-meters
partial as an editor sees them: the median of --repeat requests after one warm-up, and the
number of database queries each page made. See docs/benchmarks.md.
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


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde calendar benchmark")
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()

    django_with_fresh_database(name="calendar", database_url=args.database_url)
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from varde.accounts.models import Membership, User, Workspace
    from varde.accounts.roles import Role
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post
    from varde.lib.timeutil import local_to_utc
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery

    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Oslo")
    user = User.objects.create_user(email="bench@example.test", full_name="Bench")
    Membership.objects.create(user=user, workspace=workspace, role=Role.EDITOR)
    channels = [
        ConnectedAccount.objects.create(
            workspace=workspace, connector_key="instagram", label=f"Channel {n}"
        )
        for n in range(args.channels)
    ]
    posts = Post.objects.bulk_create(
        [Post(workspace=workspace, author=user, text=f"Post {n}") for n in range(args.posts)]
    )
    month = dt.date(2030, 3, 1)
    rows = []
    for n, post in enumerate(posts):
        local = dt.datetime.combine(month + dt.timedelta(days=n % 31), dt.time(7 + n % 14, n % 60))
        at = local_to_utc(local, workspace.timezone)
        rows += [
            Delivery(
                workspace=workspace,
                post=post,
                channel=channel,
                state=DeliveryState.DRAFT,
                scheduled_at=at,
            )
            for channel in channels
        ]
    Delivery.objects.bulk_create(rows, batch_size=1000)

    client = Client()
    client.force_login(user)
    pages = {
        "month": "/w/bench/calendar/?view=month&date=2030-03-18",
        "week": "/w/bench/calendar/?view=week&date=2030-03-18",
        "list": "/w/bench/calendar/?view=list&date=2030-03-18",
        "meters": "/w/bench/calendar/meters/?week=2030-03-18",
    }
    figures: dict[str, object] = {
        "bench": "calendar",
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "db": connection.vendor,
        "posts": args.posts,
        "deliveries": len(rows),
    }
    for name, url in pages.items():
        client.get(url)  # warm-up: templates, URL resolver
        times, cpu_times = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        figures[f"{name}_ms"] = round(statistics.median(times) * 1000)
        figures[f"{name}_cpu_ms"] = round(statistics.median(cpu_times) * 1000)
        figures[f"{name}_queries"] = len(queries)
        figures[f"{name}_kb"] = round(len(response.content) / 1024)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
