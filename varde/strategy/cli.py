"""``varde strategy ...``: the plan from the command line, thin over the export functions.

``varde/cli.py`` calls ``add_subcommands(subparsers)``; each command it adds sets ``func``, which
takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    strategy = subparsers.add_parser("strategy", help="Work with a workspace's plan.")
    commands = strategy.add_subparsers(dest="strategy_command", required=True)
    export = commands.add_parser(
        "export", help="Write the plan as Markdown, HTML or PDF (to stdout without --output)."
    )
    export.add_argument("--workspace", required=True, help="The workspace's short name (slug).")
    export.add_argument("--format", choices=["md", "html", "pdf"], default="md")
    export.add_argument("--language", choices=["nb", "en"], help="Default: the workspace's.")
    export.add_argument("--output", type=Path, help="File to write; stdout when left out.")
    export.set_defaults(func=export_command)


def _setup_django() -> None:
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.conf.settings")
        django.setup()


def export_command(args: argparse.Namespace) -> int:
    _setup_django()
    from varde.accounts.selectors import workspace_by_slug
    from varde.strategy import export

    workspace = workspace_by_slug(args.workspace)
    if workspace is None:
        sys.stderr.write(f"No workspace called {args.workspace!r}.\n")
        return 2
    doc = export.plan_document(workspace, language=args.language)
    body: bytes
    if args.format == "pdf":
        body = export.render_pdf(doc)
    elif args.format == "html":
        body = export.render_html(doc).encode()
    else:
        body = export.render_markdown(doc).encode()
    if args.output is not None:
        args.output.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0
