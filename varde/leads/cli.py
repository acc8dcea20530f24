"""``varde leads …``: the pipeline from a shell, thin over the selectors.

``varde leads export --workspace SLUG`` writes the CSV of the web export to standard output;
``varde leads list --workspace SLUG --json`` writes one JSON object a line.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    leads = subparsers.add_parser("leads", help="leads: the pipeline of prospects and customers")
    group = leads.add_subparsers(dest="leads_command", required=True)

    export = group.add_parser("export", help="every lead as CSV on standard output")
    export.add_argument("--workspace", required=True, help="the workspace's short name (slug)")
    export.set_defaults(handler=cmd_export)

    listing = group.add_parser("list", help="the workspace's leads")
    listing.add_argument("--workspace", required=True)
    listing.add_argument("--stage", choices=["prospect", "lead", "customer", "lost"])
    listing.add_argument(
        "--json", action="store_true", help="one JSON object a line (the only format so far)"
    )
    listing.set_defaults(handler=cmd_list)
    return group


def _workspace(slug: str) -> Any:
    from varde.accounts.selectors import workspace_by_slug

    workspace = workspace_by_slug(slug)
    if workspace is None:
        print(f"No workspace called {slug!r}.", file=sys.stderr)
    return workspace


def cmd_export(args: argparse.Namespace) -> int:
    from django.utils import translation

    from varde.accounts.services import audit_record
    from varde.leads import exporter, selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    with translation.override(workspace.language):
        body = exporter.leads_csv(selectors.export_rows(workspace=workspace), workspace=workspace)
    audit_record(action="lead.exported", workspace=workspace, detail={"via": "cli"})
    sys.stdout.write(body)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from varde.leads import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    leads = selectors.export_rows(workspace=workspace)
    if args.stage:
        leads = leads.filter(stage=args.stage)
    for lead in leads:
        row = {
            "id": lead.pk,
            "handle": lead.handle,
            "name": lead.name,
            "network": lead.network,
            "stage": lead.stage,
            "lost_reason": lead.lost_reason,
            "owner": lead.owner.email if lead.owner else None,
            "value": str(lead.value) if lead.value is not None else None,
            "next_step": lead.next_step,
            "next_step_on": lead.next_step_on.isoformat() if lead.next_step_on else None,
            "campaign_id": lead.campaign_id,
            "post_id": lead.post_id,
            "engaged_with": [s.url for s in lead.sources.all() if s.url],
            "created_at": lead.created_at.isoformat(),
        }
        print(json.dumps(row, ensure_ascii=False))
    return 0
