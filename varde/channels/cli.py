"""``varde channels connect NETWORK`` and ``varde channels list``.

The connect subcommands are built from the same declarations as the connect page (each
network's ``connect.py``, read by ``connect_methods.credential_methods()``): each field becomes an
option (``app_password`` → ``--app-password``), so a network that connects with credentials
gets its command from its declaration. Credentials are checked with the network before
anything is saved, as in the UI.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.utils import translation

from varde.channels.connect_methods import credential_methods

# The command line speaks English, like the rest of `varde`.
CLI_LANGUAGE = "en"


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    channels = subparsers.add_parser("channels", help="connect accounts and list them")
    commands = channels.add_subparsers(dest="channels_command", required=True)
    connect = commands.add_parser(
        "connect",
        help="connect an account that takes credentials (checked with the network first)",
        description="OAuth networks (X, LinkedIn, Facebook, Instagram, Threads, YouTube) are "
        "connected in the web interface, where you sign in on the network. Bluesky connects "
        "here with an app password, or in the web interface by signing in (OAuth).",
    )
    networks = connect.add_subparsers(dest="network", required=True, metavar="NETWORK")
    with translation.override(CLI_LANGUAGE):
        for method in credential_methods():
            command = networks.add_parser(method.connector_key, help=str(method.title))
            command.add_argument("--workspace", required=True, help="the workspace's short name")
            command.add_argument("--label", help="the channel's name in Varde")
            command.add_argument(
                "--owner",
                help="e-mail of the member told when the channel needs attention "
                "(default: the workspace's first owner)",
            )
            for field in method.fields:
                command.add_argument(
                    field.option,
                    dest=field.name,
                    required=field.required and not field.default,
                    default=field.default or None,
                    help=str(field.help) or None,
                )
            command.set_defaults(handler=cmd_channels_connect)
    listing = commands.add_parser("list", help="the workspace's channels and their health")
    listing.add_argument("--workspace", required=True)
    listing.set_defaults(handler=cmd_channels_list)
    # `varde channels sync` (reading metrics, replies and mentions back) belongs to analytics, a
    # higher layer; varde/cli.py attaches it to this group.
    return commands


def _fail(sentence: str) -> int:
    sys.stderr.write(sentence.rstrip() + "\n")
    return 2


def _workspace(slug: str) -> Any:
    from varde.accounts.selectors import workspace_by_slug

    return workspace_by_slug(slug)


def _owner(workspace: Any, email: str | None) -> Any:
    from varde.accounts.roles import Role
    from varde.accounts.selectors import members_of

    members = members_of(workspace=workspace).select_related("user")
    if email:
        found = members.filter(user__email__iexact=email).first()
        return found.user if found else None
    first = members.filter(role=Role.OWNER).order_by("created_at", "pk").first()
    return first.user if first else None


def cmd_channels_connect(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from varde.channels import connecting, services
    from varde.channels.connect_methods import credential_method
    from varde.connectors import registry

    with translation.override(CLI_LANGUAGE):
        workspace = _workspace(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        method = credential_method(args.network)
        if method is None or not registry.is_enabled(args.network):
            return _fail(
                f"The network {args.network!r} is not enabled on this server "
                "(add it to VARDE_CONNECTORS)."
            )
        owner = _owner(workspace, args.owner)
        if args.owner and owner is None:
            return _fail(f"{args.owner} is not a member of {workspace.slug}.")
        values = {field.name: getattr(args, field.name) or "" for field in method.fields}
        try:
            verified = connecting.verify_credentials(method=method, values=values)
            channel = services.channel_connect_verified(
                workspace=workspace, verified=verified, actor=owner, label=args.label or ""
            )
        except connecting.ConnectError as error:
            return _fail(error.message)
        except ValidationError as error:
            return _fail(" ".join(error.messages))
        profile = verified.profile
        followers = f", {profile.followers} followers" if profile.followers is not None else ""
        sys.stdout.write(
            f"Connected {channel.label} (channel {channel.pk}): {registry.get(args.network).label} "
            f"account {channel.handle or profile.network_id}{followers}.\n"
        )
    return 0


def cmd_channels_list(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from varde.channels import selectors
    from varde.channels.presentation import network_label

    workspace = _workspace(args.workspace)
    if workspace is None:
        return _fail(f"No workspace called {args.workspace!r}.")
    channels = selectors.channels_listed(workspace=workspace)
    if not channels:
        sys.stdout.write(f"No channels in {workspace.slug}.\n")
        return 0
    rows = [("ID", "LABEL", "NETWORK", "HANDLE", "STATUS", "LAST SUCCESS")]
    zone = workspace.timezone
    for channel in channels:
        last = (
            timezone.localtime(channel.last_success_at, _zone(zone)).strftime("%Y-%m-%d %H:%M")
            if channel.last_success_at
            else "never"
        )
        rows.append(
            (
                str(channel.pk),
                channel.label,
                network_label(channel.connector_key),
                channel.handle or "-",
                channel.status,
                last,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        sys.stdout.write("\n")
    return 0


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name or "UTC")
