"""``varde listening …``: queries, sources and mentions from a shell, thin over the services.

``varde/cli.py`` sets Django up, then calls ``add_subcommands(subparsers)``; it returns the
``listening`` group so further commands (``match``) are added to the same group.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from typing import Any, TextIO

_RELATIVE = re.compile(r"^(\d+)([mhd])$")
EXIT_INVALID_QUERY = 2


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    listening = subparsers.add_parser("listening", help="listening: queries, sources, mentions")
    group = listening.add_subparsers(dest="listening_command", required=True)

    query = group.add_parser("query", help="listening queries")
    query_commands = query.add_subparsers(dest="listening_query_command", required=True)
    add = query_commands.add_parser("add", help="add a query (checked like in the app)")
    add.add_argument("--workspace", required=True, help="the workspace's short name (slug)")
    add.add_argument("--name", required=True)
    add.add_argument("--query", required=True, help="the query, e.g. '\"Varde AS\" OR #varde'")
    add.add_argument(
        "--kind",
        default="other",
        choices=["brand", "competitor", "campaign", "hashtag_to_avoid", "other"],
    )
    add.set_defaults(handler=cmd_query_add)
    listing = query_commands.add_parser("list", help="the workspace's queries")
    listing.add_argument("--workspace", required=True)
    listing.set_defaults(handler=cmd_query_list)

    source = group.add_parser("source", help="where mentions are read from")
    source_commands = source.add_subparsers(dest="listening_source_command", required=True)
    source_add = source_commands.add_parser("add", help="add a source")
    source_add.add_argument("--workspace", required=True)
    source_add.add_argument(
        "--kind",
        required=True,
        help="a kind of the sources registry: rss, jetstream, bluesky_firehose, mastodon, "
        "hackernews, reddit, channel, sandbox",
    )
    source_add.add_argument("--url", default="", help="the feed or server address, if any")
    source_add.add_argument("--name", default="")
    source_add.add_argument(
        "--config", default="", help="more settings of the source, as a JSON object"
    )
    source_add.set_defaults(handler=cmd_source_add)
    source_list = source_commands.add_parser("list", help="sources and their health")
    source_list.add_argument("--workspace", required=True)
    source_list.set_defaults(handler=cmd_source_list)

    read = group.add_parser("read", help="read every enabled source once, now")
    read.add_argument("--workspace", help="only this workspace's sources")
    read.set_defaults(handler=cmd_read)

    mentions = group.add_parser("mentions", help="stored mentions, newest first")
    mentions.add_argument("--workspace", required=True)
    mentions.add_argument("--query", help="only mentions this query (by name) matched")
    mentions.add_argument(
        "--since", help="ISO date or time (workspace time when no offset), or 30m, 24h, 7d"
    )
    mentions.add_argument("--limit", type=int, default=1000)
    mentions.add_argument(
        "--json", action="store_true", help="one JSON object a line (the only format so far)"
    )
    mentions.set_defaults(handler=cmd_mentions)

    match = group.add_parser(
        "match",
        help='match texts from standard input (one a line) against a query; prints {"match": …}',
    )
    match.add_argument("--query", required=True, help="the query, in Varde's query language")
    match.add_argument("--lang", default="", help="the posts' language, for lang: (e.g. nb)")
    match.add_argument("--author", default="", help="the posts' author, for author:")
    match.add_argument("--site", default="", help="the posts' site or URL, for site:")
    match.add_argument("--source", default="", help="the posts' source, for source:")
    match.add_argument(
        "--language", choices=["nb", "en"], help="language of the error messages (default: nb)"
    )
    match.set_defaults(handler=cmd_match)
    return group


def _workspace(slug: str) -> Any:
    from varde.accounts.selectors import workspace_by_slug

    workspace = workspace_by_slug(slug)
    if workspace is None:
        print(f"No workspace called {slug!r}.", file=sys.stderr)
    return workspace


def _errors(error: Any) -> int:
    for message in error.messages:
        print(message, file=sys.stderr)
    return 1


def cmd_query_add(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from varde.listening import services

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    try:
        query = services.query_create(
            workspace=workspace, name=args.name, text=args.query, kind=args.kind
        )
    except ValidationError as error:
        return _errors(error)
    print(json.dumps({"id": query.pk, "name": query.name, "query": query.text}))
    return 0


def cmd_query_list(args: argparse.Namespace) -> int:
    from varde.listening import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    for query in selectors.query_list(workspace=workspace):
        row = {"id": query.pk, "name": query.name, "query": query.text}
        print(json.dumps({**row, "kind": query.kind, "active": query.active}, ensure_ascii=False))
    return 0


def cmd_source_add(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from varde.listening import services

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    try:
        config = json.loads(args.config) if args.config else {}
    except json.JSONDecodeError as error:
        print(f"--config is not JSON: {error}", file=sys.stderr)
        return 2
    if not isinstance(config, dict):
        print("--config must be a JSON object.", file=sys.stderr)
        return 2
    try:
        source = services.source_create(
            workspace=workspace, kind=args.kind, name=args.name, url=args.url, config=config
        )
    except ValidationError as error:
        return _errors(error)
    print(json.dumps({"id": source.pk, "kind": source.kind, "name": source.name}))
    return 0


def cmd_source_list(args: argparse.Namespace) -> int:
    from varde.listening import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    health = selectors.source_health(workspace=workspace)
    for source in selectors.source_list(workspace=workspace):
        found = health.get(source.pk)
        row = {
            "id": source.pk,
            "kind": source.kind,
            "name": source.name,
            "enabled": source.enabled,
            "last_read_at": source.last_read_at.isoformat() if source.last_read_at else None,
            "error_code": source.error_code,
            "last_error": source.last_error,
            "health": source.health,
            "items_last_hour": found.items_last_hour if found else 0,
            "items_read": source.items_read,
            "items_stored": source.items_stored,
        }
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    from varde.listening import selectors, services

    source_ids = None
    if args.workspace:
        workspace = _workspace(args.workspace)
        if workspace is None:
            return 1
        source_ids = [s.pk for s in selectors.source_list(workspace=workspace).filter(enabled=True)]
    outcomes = services.sources_read_all(source_ids=source_ids)
    for outcome in outcomes:
        print(json.dumps(outcome.__dict__, ensure_ascii=False))
    return 0 if all(o.ok for o in outcomes) else 1


def parse_since(value: str, *, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime | None:
    """``30m``, ``24h``, ``7d`` back from now, or an ISO date or time (local when naive)."""
    relative = _RELATIVE.match(value.strip())
    if relative:
        amount, unit = int(relative[1]), relative[2]
        step = {"m": dt.timedelta(minutes=1), "h": dt.timedelta(hours=1), "d": dt.timedelta(days=1)}
        return now - amount * step[unit]
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def cmd_mentions(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from varde.listening import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return 1
    query_id = None
    if args.query:
        query = selectors.query_by_name(workspace=workspace, name=args.query)
        if query is None:
            print(f"No query called {args.query!r} in this workspace.", file=sys.stderr)
            return 1
        query_id = query.pk
    since = None
    if args.since:
        since = parse_since(
            args.since, now=timezone.now(), zone=ZoneInfo(workspace.timezone or "UTC")
        )
        if since is None:
            print("--since: write an ISO date or time, or 30m, 24h, 7d.", file=sys.stderr)
            return 2
    wanted = selectors.MentionFilter(query_id=query_id, since=since)
    mentions = list(
        selectors.mentions_filtered(workspace=workspace, wanted=wanted)[: max(args.limit, 0)]
    )
    matched = selectors.matched_queries(workspace=workspace, mention_ids=[m.pk for m in mentions])
    for mention in mentions:
        row = {
            "id": mention.pk,
            "source": mention.source_kind,
            "url": mention.url,
            "author": mention.author_handle or mention.author_name,
            "author_name": mention.author_name,
            "published_at": mention.published_at.isoformat(),
            "text": mention.text,
            "language": mention.language or None,
            "sentiment": mention.sentiment,
            "queries": [m.name for m in matched.get(mention.pk, [])],
        }
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    """Texts from standard input, one a line → one ``{"match": true|false}`` line each.

    Exactly the production matcher (``compile_queries(...).match``), so the query language can
    be checked from outside against docs/listening.md. No database: it works on a fresh
    checkout whose database was never migrated. An invalid query exits with status 2 and the
    validator's messages on standard error.
    """
    return run_match(args, sys.stdin, sys.stdout, sys.stderr)


def run_match(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from django.conf import settings
    from django.utils import translation

    from varde.listening.query import Document, compile_queries
    from varde.listening.query.messages import problem_message

    matcher = compile_queries([("query", args.query)])
    if matcher.rejected:
        with translation.override(args.language or settings.LANGUAGE_CODE):
            for found in matcher.rejected["query"]:
                if found.is_error:
                    message = problem_message(found)
                    stderr.write(f"{found.code.value} ({found.start}-{found.end}): {message}\n")
        return EXIT_INVALID_QUERY
    metadata = {"lang": args.lang, "author": args.author, "site": args.site}
    for line in stdin:
        text = line.removesuffix("\n").removesuffix("\r")
        document = Document(text=text, source=args.source, **metadata)
        stdout.write(json.dumps({"match": bool(matcher.match(document))}) + "\n")
        stdout.flush()
    return 0
