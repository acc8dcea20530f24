"""``varde posts schedule|list`` and ``varde publishing status``: the engine from a shell.

``varde/cli.py`` sets Django up, then calls ``add_subcommands(subparsers)``; each command sets
``handler``, which takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    posts = subparsers.add_parser("posts", help="schedule posts and see how they went out")
    commands = posts.add_subparsers(dest="posts_command", required=True)
    schedule = commands.add_parser("schedule", help="schedule a new post on one or more channels")
    schedule.add_argument("--workspace", required=True, help="the workspace's short name (slug)")
    schedule.add_argument(
        "--channel",
        required=True,
        action="append",
        help="channel id, name or account handle; repeat for several channels",
    )
    schedule.add_argument("--text", required=True)
    schedule.add_argument(
        "--at",
        required=True,
        help="ISO 8601 time; without an offset it is the workspace's local time",
    )
    schedule.set_defaults(handler=cmd_posts_schedule)
    listing = commands.add_parser("list", help="posts with their status per channel")
    listing.add_argument("--workspace", required=True)
    listing.add_argument("--status", help="only posts with a delivery in this state")
    listing.set_defaults(handler=cmd_posts_list)

    publishing = subparsers.add_parser("publishing", help="the publishing engine")
    engine_commands = publishing.add_subparsers(dest="publishing_command", required=True)
    status = engine_commands.add_parser("status", help="deliveries by state, next due, backlog")
    status.set_defaults(handler=cmd_publishing_status)


def _workspace(slug: str) -> Any:
    from varde.accounts.selectors import workspace_by_slug

    return workspace_by_slug(slug)


def _channel(workspace: Any, wanted: str) -> Any:
    from django.db.models import Q

    from varde.channels.selectors import channels_in

    query = Q(label=wanted) | Q(handle=wanted)
    if wanted.isdigit():
        query |= Q(pk=int(wanted))
    return channels_in(workspace=workspace).filter(query).first()


def cmd_posts_schedule(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from varde.content.choices import ApprovalState
    from varde.content.services import post_create
    from varde.lib.timeutil import parse_when, utc_to_local
    from varde.publishing import hooks, services

    workspace = _workspace(args.workspace)
    if workspace is None:
        sys.stderr.write(f"No workspace called {args.workspace!r}.\n")
        return 2
    channels = [_channel(workspace, wanted) for wanted in args.channel]
    if None in channels:
        missing = [w for w, c in zip(args.channel, channels, strict=True) if c is None]
        sys.stderr.write(f"No channel {', '.join(missing)} in {workspace.slug}.\n")
        return 2
    try:
        at = parse_when(args.at, workspace.timezone)
    except ValueError:
        sys.stderr.write("Give --at as ISO 8601, for example 2025-03-30T09:00.\n")
        return 2
    try:
        with transaction.atomic():
            # From the command line the person running it is the approver.
            post = post_create(
                workspace=workspace,
                author=None,
                text=args.text,
                approval_state=ApprovalState.APPROVED,
            )
            # The policy guard runs when a post is scheduled, here as in the composer.
            hooks.schedule_refusal.call(post, [c.pk for c in channels])
            for channel in channels:
                services.delivery_schedule(post=post, channel=channel, at=at, actor=None)
    except ValidationError as error:
        sys.stderr.write(" ".join(error.messages) + "\n")
        return 1
    local = utc_to_local(at, workspace.timezone)
    sys.stdout.write(
        f"Post {post.pk} scheduled for {local:%Y-%m-%d %H:%M %Z} on "
        f"{', '.join(c.label for c in channels)}.\n"
    )
    return 0


def cmd_posts_list(args: argparse.Namespace) -> int:
    """One line per post, then one per channel: state, scheduled time (workspace local), and
    for a published delivery when it went out and where; for a failed one, why."""
    from varde.lib.timeutil import utc_to_local
    from varde.publishing import selectors
    from varde.publishing.choices import DeliveryState

    workspace = _workspace(args.workspace)
    if workspace is None:
        sys.stderr.write(f"No workspace called {args.workspace!r}.\n")
        return 2
    if args.status and args.status not in DeliveryState.values:
        sys.stderr.write(
            f"No status {args.status!r}. Use one of: {', '.join(DeliveryState.values)}.\n"
        )
        return 2
    zone = workspace.timezone
    sys.stdout.write(f"Times in {zone}.\n")
    for post in selectors.posts_with_deliveries(workspace=workspace, state=args.status)[:200]:
        sys.stdout.write(f"#{post.pk} {post.text[:60]!r}\n")
        for delivery in post.deliveries.all():
            if args.status and delivery.state != args.status:
                continue
            when = (
                f"{utc_to_local(delivery.scheduled_at, zone):%Y-%m-%d %H:%M:%S}"
                if delivery.scheduled_at
                else "-"
            )
            if delivery.state == DeliveryState.PUBLISHED and delivery.published_at:
                sent = f"{utc_to_local(delivery.published_at, zone):%Y-%m-%d %H:%M:%S}"
                extra = f"sent {sent} {delivery.network_url}"
            else:
                extra = delivery.last_error
            sys.stdout.write(
                f"  {delivery.channel.label:<24} {delivery.state:<11} {when}  {extra}\n".rstrip()
                + "\n"
            )
    return 0


def cmd_publishing_status(args: argparse.Namespace) -> int:
    from django.db.models import Count
    from django.utils import timezone

    from varde.publishing import selectors
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery

    now = timezone.now()
    counts = dict(
        Delivery.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    for state in DeliveryState.values:
        sys.stdout.write(f"{state:<11} {counts.get(state, 0)}\n")
    due = selectors.next_due_at(now=now)
    backlog = Delivery.objects.filter(state=DeliveryState.SCHEDULED, due_at__lte=now).count()
    sys.stdout.write(f"next due    {due.isoformat() if due else '-'}\nbacklog     {backlog}\n")
    return 0
