"""``varde channels sync``: read published posts' metrics and new replies and mentions now."""

from __future__ import annotations

import argparse
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
