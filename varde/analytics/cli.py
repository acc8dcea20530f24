"""``varde channels sync``: read published posts' metrics and new replies and mentions now."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from django.utils import translation

if TYPE_CHECKING:
    from varde.analytics.readback import ChannelReadback

# The command line speaks English, like the rest of `varde`.
CLI_LANGUAGE = "en"


def add_sync_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync",
        help="read metrics of recent posts and new replies and mentions now",
        description="Reads every published post of the last 30 days and what is new in the "
        "channel's replies and mentions, then prints what it read.",
    )
    sync.add_argument("--workspace", required=True, help="the workspace's short name")
    sync.add_argument("--channel", help="only the channel with this name (or id)")
    sync.set_defaults(handler=cmd_channels_sync)


def _fail(sentence: str) -> int:
    sys.stderr.write(sentence.rstrip() + "\n")
    return 2


def cmd_channels_sync(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics.readback import readback_run
    from varde.channels import selectors as channel_selectors

    with translation.override(CLI_LANGUAGE):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        channel = None
        if args.channel:
            channels = channel_selectors.channels_in(workspace=workspace).current()
            channel = channels.filter(label=args.channel).first()
            if channel is None and args.channel.isdigit():
                channel = channels.filter(pk=int(args.channel)).first()
            if channel is None:
                return _fail(f"No channel called {args.channel!r} in {workspace.slug}.")
            if channel.status != "connected":
                return _fail(f"{channel.label} is {channel.status}; nothing was read.")
        results = readback_run(now=timezone.now(), workspace=workspace, channel=channel, force=True)
        if not results:
            sys.stdout.write(f"No connected channels in {workspace.slug}.\n")
            return 0
        failed = False
        for result in results:
            _print_result(result)
            failed = failed or bool(result.stopped)
    return 1 if failed else 0


def _print_result(result: ChannelReadback) -> None:
    out = sys.stdout
    out.write(
        f"{result.channel.label}: {len(result.snapshots)} metric readings, "
        f"{len(result.items)} new replies and mentions.\n"
    )
    for snapshot in result.snapshots:
        views = "-" if snapshot.views is None else str(snapshot.views)
        out.write(
            f"  post {snapshot.delivery.post_id}: likes {snapshot.likes}, reposts "
            f"{snapshot.reposts}, replies {snapshot.replies}, quotes {snapshot.quotes}, "
            f"views {views}\n"
        )
    for item in result.items:
        text = " ".join(item.text.split())
        text = text if len(text) <= 80 else text[:79] + "…"
        out.write(f"  {item.kind} from @{item.author_handle}: {text}\n")
    for problem in result.problems:
        out.write(f"  problem: {problem}\n")


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    analytics = subparsers.add_parser("analytics", help="analytics: goals measured, forecasts")
    group = analytics.add_subparsers(dest="analytics_command", required=True)
    goals = group.add_parser(
        "goals",
        help="each goal of the plan: target, actual, forecast at the deadline, status",
    )
    goals.add_argument("--workspace", required=True, help="the workspace's short name")
    goals.add_argument("--json", action="store_true", help="one JSON document instead of text")
    goals.set_defaults(handler=cmd_analytics_goals)
    best = group.add_parser(
        "best-time",
        help="when a channel's posts did best, by weekday and time, from its own history",
    )
    best.add_argument("--workspace", required=True, help="the workspace's short name")
    best.add_argument("--channel", required=True, help="the channel's name (or id)")
    best.add_argument("--json", action="store_true", help="one JSON document instead of text")
    best.set_defaults(handler=cmd_analytics_best_time)
    export = group.add_parser("export", help="one table of the Analytics area as CSV")
    export.add_argument("--workspace", required=True, help="the workspace's short name")
    export.add_argument(
        "--table",
        required=True,
        choices=sorted(_export_tables()),
        help="which table",
    )
    export.add_argument("--start", help="first day (YYYY-MM-DD); default: 30 days ago")
    export.add_argument("--end", help="last day (YYYY-MM-DD); default: today")
    export.add_argument("--out", help="write to this file instead of the screen")
    export.set_defaults(handler=cmd_analytics_export)
    review = group.add_parser(
        "review",
        help="what a control review would propose now, from the last eight weeks (changes nothing)",
    )
    review.add_argument("--workspace", required=True, help="the workspace's short name")
    review.add_argument("--json", action="store_true", help="one JSON object a line")
    review.set_defaults(handler=cmd_analytics_review)
    from varde.analytics.report_cli import add_reports_commands

    add_reports_commands(subparsers)
    return group


def cmd_analytics_review(args: argparse.Namespace) -> int:
    """The proposals a review started now would hold; a review itself is held in the app."""
    import json

    from django.utils import timezone

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics.review import proposal_words, proposals_for

    with translation.override(CLI_LANGUAGE):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        for proposal in proposals_for(workspace=workspace, today=timezone.localdate()):
            words = proposal_words(proposal.topic, proposal.params)
            if args.json:
                row = {
                    "topic": proposal.topic,
                    "words": words,
                    "figures": proposal.params,
                    "change": proposal.change,
                }
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(f"- {words}\n")
    return 0


def _export_tables() -> list[str]:
    from varde.analytics.exports import TABLES

    return list(TABLES)


def _number(value: object) -> float | None:
    return None if value is None else round(float(value), 2)  # type: ignore[arg-type]


def cmd_analytics_goals(args: argparse.Namespace) -> int:
    import json

    from django.utils import timezone

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics.goals import goals_progress

    with translation.override(CLI_LANGUAGE):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        rows = []
        for progress in goals_progress(workspace=workspace, today=timezone.localdate()):
            goal, outlook = progress.goal, progress.outlook
            rows.append(
                {
                    "id": goal.id,
                    "title": goal.title,
                    "metric": goal.metric,
                    "network": goal.network,
                    "baseline": _number(goal.baseline),
                    "target": _number(goal.target),
                    "deadline": goal.deadline.isoformat() if goal.deadline else None,
                    "actual": _number(progress.actual),
                    "method": outlook.method,
                    "forecast_at_deadline": _number(outlook.at_deadline),
                    "chance": _number(outlook.chance),
                    "pace_needed_per_week": _number(outlook.pace_needed_per_week),
                    "pace_kept_per_week": _number(outlook.pace_kept_per_week),
                    "status": outlook.status,
                    "sources": progress.sources,
                }
            )
        if args.json:
            sys.stdout.write(json.dumps({"workspace": workspace.slug, "goals": rows}) + "\n")
            return 0
        if not rows:
            sys.stdout.write(f"{workspace.slug} has no active goals.\n")
        for row in rows:
            sys.stdout.write(
                f"{row['title']}: {row['actual']} now, target {row['target']} by "
                f"{row['deadline']}, {row['method']} {row['forecast_at_deadline']} -> "
                f"{row['status']}\n"
            )
    return 0


def cmd_analytics_best_time(args: argparse.Namespace) -> int:
    import json

    from django.utils import timezone

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics import best_time
    from varde.channels import selectors as channel_selectors

    with translation.override(CLI_LANGUAGE):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        channels = channel_selectors.channels_in(workspace=workspace).current()
        channel = channels.filter(label=args.channel).first()
        if channel is None and args.channel.isdigit():
            channel = channels.filter(pk=int(args.channel)).first()
        if channel is None:
            return _fail(f"No channel called {args.channel!r} in {workspace.slug}.")
        result = best_time.best_times(
            channel=channel,
            zone=best_time.zone_of(workspace.timezone),
            today=timezone.localdate(),
        )
        cells = [
            {
                "weekday": best_time.weekday_name(cell.weekday),
                "hours": best_time.block_label(cell.block),
                "posts": cell.posts,
                "score": _number(cell.score),
            }
            for row in result.cells
            for cell in row
            if cell.posts
        ]
        suggestions = [
            {
                "weekday": best_time.weekday_name(s.weekday),
                "hours": best_time.block_label(s.block),
                "untried": s.untried,
                "score": _number(s.score),
                "posts": s.posts,
            }
            for s in result.suggestions
        ]
        if args.json:
            document = {
                "workspace": workspace.slug,
                "channel": channel.label,
                "posts_scored": result.scored,
                "posts_needed": result.min_posts,
                "cells": cells,
                "suggestions": suggestions,
            }
            sys.stdout.write(json.dumps(document) + "\n")
            return 0
        if not result.enough:
            sys.stdout.write(
                f"{channel.label}: {result.scored} posts with numbers; best times need "
                f"{result.min_posts}.\n"
            )
            return 0
        for suggestion in suggestions:
            note = " (not tried yet)" if suggestion["untried"] else ""
            sys.stdout.write(f"{suggestion['weekday']} {suggestion['hours']}{note}\n")
    return 0


def _day(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def cmd_analytics_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics import exports

    with translation.override(CLI_LANGUAGE):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        first, last = exports.default_period()
        try:
            start, end = _day(args.start, first), _day(args.end, last)
        except ValueError:
            return _fail("Write the days as YYYY-MM-DD, e.g. --start 2026-11-01.")
        body = exports.export_csv(
            workspace=workspace,
            key=args.table,
            start=start,
            end=end,
        )
        if args.out:
            Path(args.out).write_text(body, encoding="utf-8")
            sys.stdout.write(f"Wrote {args.table} to {args.out}.\n")
        else:
            sys.stdout.write(body)
    return 0
