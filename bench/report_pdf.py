"""Report PDF benchmark: prints one JSON line of figures.

    python bench/report_pdf.py --posts 2000 --days 120 --repeat 5

Creates a fresh SQLite database in a temporary folder (or uses --database-url), gives one
workspace three sandbox channels with --days days of daily numbers (``sandbox_history_seed``),
--posts published posts spread over the last 60 days with a metric reading each, three goals and
an inbox of 500 conversations with items and replies, then renders the monthly report of the
last whole month with every section, in bokmål and in English: numbers, charts (vl-convert, SVG)
and typesetting (typst). ``cold_s`` is the first report in the process (Vega's JavaScript and
statsmodels are loaded then); ``median_s`` and ``p95_s`` are the next --repeat. Target (issue
14, item 10): a report PDF in ≤ 3 s. See docs/benchmarks.md.
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
    parser = argparse.ArgumentParser(description="Varde report PDF benchmark")
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    parser.add_argument("--profile", action="store_true", help="time each section, to stderr")
    args = parser.parse_args()

    django_with_fresh_database(name="report", database_url=args.database_url)
    from django.db import connection

    started = time.perf_counter()
    workspace = fill(args.posts, args.days)
    figures: dict[str, object] = {
        "bench": "report_pdf",
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "db": connection.vendor,
        "posts": args.posts,
        "days": args.days,
        "fill_s": round(time.perf_counter() - started, 1),
    }
    figures.update(measure(workspace, args.repeat))
    if args.profile:
        profile(workspace)
    print(json.dumps(figures))


def fill(posts: int, days: int):  # type: ignore[no-untyped-def]
    import datetime as dt
    import random
    from decimal import Decimal

    from django.utils import timezone

    from varde.accounts.models import Workspace
    from varde.analytics.daily import sandbox_history_seed
    from varde.analytics.models import MetricSnapshot
    from varde.content.models import Post
    from varde.inbox.choices import ConversationState, ItemKind
    from varde.inbox.models import Conversation, InboxItem
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery
    from varde.sandbox.services import sandbox_channel_create
    from varde.strategy.models import SocialGoal

    rng = random.Random(14)
    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Oslo")
    channels = [
        sandbox_channel_create(workspace=workspace, label=f"Sandbox {n}", stands_in_for=network)
        for n, network in enumerate(("instagram", "facebook", "linkedin"))
    ]
    today = timezone.localdate()
    sandbox_history_seed(workspace=workspace, today=today, days=days)
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(workspace=workspace, text=f"Innlegg nummer {n} om høstkampanjen") for n in range(posts)
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            workspace=workspace,
            post=post,
            channel=channels[n % 3],
            state=DeliveryState.PUBLISHED,
            published_at=now - dt.timedelta(hours=rng.randint(1, 60 * 24)),
        )
        for n, post in enumerate(made)
    )
    MetricSnapshot.objects.bulk_create(
        MetricSnapshot(
            workspace=workspace,
            delivery=d,
            fetched_at=now,
            likes=rng.randint(0, 400),
            reposts=rng.randint(0, 40),
            replies=rng.randint(0, 30),
            views=rng.randint(100, 20000),
        )
        for d in deliveries
    )
    for metric, target in (("followers", 50000), ("reach", 900000), ("engagement_rate", 8)):
        SocialGoal.objects.create(
            workspace=workspace,
            title=f"{metric} → {target}",
            metric=metric,
            baseline=Decimal(1),
            target=Decimal(target),
            deadline=today + dt.timedelta(days=200),
        )
    for n in range(500):
        at = now - dt.timedelta(hours=rng.randint(1, 60 * 24))
        conversation = Conversation.objects.create(
            workspace=workspace,
            channel=channels[n % 3],
            thread_key=f"t{n}",
            state=ConversationState.NEW,
            last_item_at=at,
            created_at=at,
        )
        InboxItem.objects.create(
            workspace=workspace,
            channel=channels[n % 3],
            conversation=conversation,
            network_id=f"i{n}",
            kind=ItemKind.COMMENT,
            created_at=at,
            received_at=at,
            hidden_at=at if n % 17 == 0 else None,
            reviewed_at=at if n % 5 == 0 else None,
        )
    return workspace


def measure(workspace, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    import io

    import pypdf
    from django.utils import timezone

    from varde.analytics import reports
    from varde.analytics.report_period import last_complete

    period = last_complete("monthly", timezone.localdate())
    cpu = time.process_time()
    first = reports.render_report(workspace=workspace, period=period, language="nb")
    cold_cpu = time.process_time() - cpu
    times: dict[str, list[float]] = {"nb": [], "en": []}
    cpu_times: list[float] = []
    sizes = {}
    for _turn in range(repeat):
        for language, taken in times.items():
            cpu = time.process_time()
            result = reports.render_report(workspace=workspace, period=period, language=language)
            cpu_times.append(time.process_time() - cpu)
            taken.append(result.seconds)
            sizes[language] = len(result.pdf)
    every = times["nb"] + times["en"]
    return {
        "period": period.key,
        "cold_s": round(first.seconds, 3),
        # CPU time of this process (Vega and typst run in it): what the wall time would be on an
        # idle core, whatever else the machine is doing.
        "cold_cpu_s": round(cold_cpu, 3),
        "median_cpu_s": round(statistics.median(cpu_times), 3),
        "median_s": round(statistics.median(every), 3),
        "p95_s": round(sorted(every)[max(0, round(0.95 * len(every)) - 1)], 3),
        "bytes_nb": sizes.get("nb"),
        "bytes_en": sizes.get("en"),
        "pages": len(pypdf.PdfReader(io.BytesIO(first.pdf)).pages),
    }


def profile(workspace) -> None:  # type: ignore[no-untyped-def]
    """Each section's time (numbers and charts) and the typesetting's, on stderr."""
    from django.utils import timezone, translation

    from varde.analytics import reports
    from varde.analytics.report_period import last_complete
    from varde.lib import documents

    period = last_complete("monthly", timezone.localdate())
    for key in reports.SECTION_ORDER:
        started = time.perf_counter()
        with translation.override("nb"):
            built = reports.build_report(workspace=workspace, period=period, sections=[key])
        middle = time.perf_counter()
        documents.render_pdf(built.document)
        sys.stderr.write(
            f"{key}: build {middle - started:.3f} s, pdf {time.perf_counter() - middle:.3f} s\n"
        )


if __name__ == "__main__":
    main()
