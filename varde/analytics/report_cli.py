"""``varde reports render``: one report as a PDF file."""

from __future__ import annotations

import argparse
import json
import sys

from django.utils import translation

from varde.analytics.choices import ReportSection


def add_reports_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    group = subparsers.add_parser("reports", help="reports: a week's or month's numbers as PDF")
    commands = group.add_subparsers(dest="reports_command", required=True)
    render = commands.add_parser("render", help="render one report as a PDF file")
    render.add_argument("--workspace", required=True, help="the workspace's short name")
    render.add_argument(
        "--period", required=True, help="a month (2026-11) or an ISO week (2026-W48)"
    )
    render.add_argument("--out", required=True, help="the PDF file to write")
    render.add_argument(
        "--sections",
        help="comma-separated, of: " + ", ".join(ReportSection.values) + " (default: all)",
    )
    render.add_argument("--language", choices=["en", "nb"], help="default: the workspace's")
    render.add_argument("--colour", default="", help="the brand colour, #rrggbb")
    render.add_argument("--json", action="store_true", help="one JSON line about the file")
    render.set_defaults(handler=cmd_reports_render)


def _fail(sentence: str) -> int:
    sys.stderr.write(sentence.rstrip() + "\n")
    return 2


def _sections(text: str | None) -> list[str] | None:
    chosen = [part.strip() for part in (text or "").split(",") if part.strip()]
    return chosen if all(part in ReportSection.values for part in chosen) else None


def cmd_reports_render(args: argparse.Namespace) -> int:
    import re
    from pathlib import Path

    from varde.accounts.selectors import workspace_by_slug
    from varde.analytics import reports
    from varde.analytics.report_period import parse_period

    with translation.override("en"):
        workspace = workspace_by_slug(args.workspace)
        if workspace is None:
            return _fail(f"No workspace called {args.workspace!r}.")
        try:
            period = parse_period(args.period)
        except ValueError as error:
            return _fail(str(error))
        sections = _sections(args.sections)
        if sections is None:
            return _fail("Sections are: " + ", ".join(ReportSection.values) + ".")
        colour = args.colour or reports.DEFAULT_COLOUR
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            return _fail("Give the colour as #rrggbb, e.g. #1f5f8b.")
    result = reports.render_report(
        workspace=workspace,
        period=period,
        sections=sections,
        language=args.language,
        colour=colour,
    )
    Path(args.out).write_bytes(result.pdf)
    if args.json:
        line = {
            "workspace": workspace.slug,
            "period": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "language": result.report.language,
            "sections": [s.key for s in result.report.sections],
            "sandbox": result.report.sandbox,
            "out": args.out,
            "bytes": len(result.pdf),
            "seconds": round(result.seconds, 3),
        }
        sys.stdout.write(json.dumps(line) + "\n")
    else:
        sys.stdout.write(f"Wrote {args.out} ({len(result.pdf):,} bytes, {result.seconds:.2f} s).\n")
    return 0
