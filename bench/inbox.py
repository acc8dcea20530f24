"""Inbox benchmark: prints one JSON line of figures.

    python bench/inbox.py --conversations 100000 --leads 5000

Creates a fresh SQLite database in a temporary folder (or uses --database-url, a PostgreSQL
database it may fill and leave), fills one workspace with --conversations conversations on two
channels (one item each, every tenth with a second; a mix of states, assignees and labels, as
a busy team's inbox has) and --leads leads across the stages, then times the pages a person
uses all day: the inbox list (New, Mine, a label, a search), a conversation, and the lead
board. For each: the median and the 95th percentile of --repeat requests after one warm-up,
the number of database queries, and the page's size. The target (issue 13, item 11): p95 ≤
150 ms for the list, the conversation page and the lead board. See docs/benchmarks.md.
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

BATCH = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde inbox benchmark")
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--targets",
        action="store_true",
        help="set the three response-time targets (4 h, next 2 h, resolution 24 h), so every "
        "list counts the At risk view, and time that view too",
    )
    args = parser.parse_args()

    django_with_fresh_database(name="inbox", database_url=args.database_url)
    from django.db import connection

    started = time.perf_counter()
    world = fill(args.conversations, args.leads, targets=args.targets)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would have gathered them on a database in use.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures: dict[str, object] = {
        "bench": "inbox",
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "db": connection.vendor,
        "conversations": args.conversations,
        "leads": args.leads,
        "targets": args.targets,
        "fill_s": round(time.perf_counter() - started, 1),
    }
    figures.update(measure(world, args.repeat))
    print(json.dumps(figures))


def fill(conversations: int, leads: int, *, targets: bool = False) -> dict[str, object]:
    import datetime as dt

    from django.utils import timezone

    from varde.accounts.models import Membership, User, Workspace
    from varde.accounts.roles import Role
    from varde.channels.models import ConnectedAccount
    from varde.inbox.choices import ConversationState, ItemKind
    from varde.inbox.models import Conversation, InboxItem
    from varde.leads.choices import Stage
    from varde.leads.models import Lead

    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Oslo")
    team = [
        User.objects.create_user(email=f"agent{n}@example.test", full_name=f"Agent {n}")
        for n in range(4)
    ]
    for user in team:
        Membership.objects.create(user=user, workspace=workspace, role=Role.EDITOR)
    channels = [
        ConnectedAccount.objects.create(workspace=workspace, connector_key=key, label=key)
        for key in ("sandbox", "bluesky")
    ]
    now = timezone.now()
    states = [ConversationState.NEW] * 5 + [ConversationState.PENDING] * 2
    states += [ConversationState.RESOLVED] * 3
    for first in range(0, conversations, BATCH):
        numbers = range(first, min(first + BATCH, conversations))
        made = Conversation.objects.bulk_create(
            [_conversation(workspace, channels, team, states, now, n=n) for n in numbers]
        )
        items = []
        for conversation, n in zip(made, numbers, strict=True):
            for part in range(2 if n % 10 == 0 else 1):
                items.append(
                    InboxItem(
                        workspace=workspace,
                        channel=conversation.channel,
                        conversation=conversation,
                        network_id=f"item-{n}-{part}",
                        kind=ItemKind.COMMENT,
                        author_handle=conversation.author_handle,
                        author_name=conversation.author_name,
                        text=f"Hei! Spørsmål nummer {n} om sykkelen, del {part}.",
                        created_at=conversation.last_item_at - dt.timedelta(minutes=part),
                        received_at=conversation.last_item_at,
                    )
                )
        InboxItem.objects.bulk_create(items, batch_size=BATCH)
    stages = [choice for choice, _label in Stage.choices]
    Lead.objects.bulk_create(
        [
            Lead(
                workspace=workspace,
                handle=f"@kunde{n}",
                handle_key=f"kunde{n}",
                name=f"Kunde {n}",
                stage=stages[n % len(stages)],
                owner=team[n % len(team)],
                created_at=now - dt.timedelta(hours=n),
                updated_at=now - dt.timedelta(hours=n),
            )
            for n in range(leads)
        ],
        batch_size=BATCH,
    )
    if targets:
        _targets(workspace)
    newest = Conversation.objects.filter(workspace=workspace).order_by("-last_item_at").first()
    return {"user": team[0], "conversation": newest, "targets": targets}


def _targets(workspace) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from decimal import Decimal

    from varde.inbox.models import BusinessHours
    from varde.strategy.models import StrategyPlan

    StrategyPlan.objects.update_or_create(
        workspace=workspace, defaults={"response_time_hours": Decimal(4)}
    )
    BusinessHours.objects.create(
        workspace=workspace,
        weekdays=[0, 1, 2, 3, 4],
        opens=dt.time(8),
        closes=dt.time(16),
        next_response_hours=Decimal(2),
        resolution_hours=Decimal(24),
    )


def _conversation(workspace, channels, team, states, now, *, n: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    from varde.inbox.models import Conversation

    at = now - dt.timedelta(minutes=n)
    return Conversation(
        workspace=workspace,
        channel=channels[n % 2],
        author_handle=f"@person{n % 20_000}",
        author_name=f"Person {n % 20_000}",
        thread_key=f"thread-{n}",
        state=states[n % len(states)],
        assignee=team[n % len(team)] if n % 3 else None,
        labels="sykkel" if n % 7 == 0 else "",
        last_item_at=at,
        item_count=2 if n % 10 == 0 else 1,
        preview=f"Hei! Spørsmål nummer {n} om sykkelen",
        created_at=at,
    )


def measure(world: dict[str, object], repeat: int) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world["user"])  # type: ignore[arg-type]
    conversation = world["conversation"]
    pages = {
        "list_open": "/w/bench/inbox/",
        "list_mine": "/w/bench/inbox/?view=mine",
        "list_label": "/w/bench/inbox/?label=sykkel",
        "list_search": "/w/bench/inbox/?q=nummer+4242",
        "conversation": f"/w/bench/inbox/c/{conversation.pk}/",  # type: ignore[attr-defined]
        "lead_board": "/w/bench/leads/",
    }
    if world.get("targets"):
        pages["list_at_risk"] = "/w/bench/inbox/?view=at_risk"
    figures: dict[str, object] = {}
    for name, url in pages.items():
        first = client.get(url)  # warm-up: templates, URL resolver
        if first.status_code != 200:
            raise SystemExit(f"{url} answered {first.status_code}")
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
        figures[f"{name}_ms"] = round(statistics.median(times) * 1000)
        figures[f"{name}_p95_ms"] = round(_p95(times) * 1000)
        figures[f"{name}_queries"] = len(queries)
        figures[f"{name}_kb"] = round(len(response.content) / 1024)
    return figures


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
