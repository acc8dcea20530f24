"""``varde listening ...``: the listening tools from the command line.

``varde/cli.py`` calls ``add_subcommands(subparsers)``; each command it adds sets ``func``, which
takes the parsed arguments and returns the exit status.

``varde listening match --query Q`` reads texts from standard input, one a line, and prints one
JSON line per text, ``{"match": true}`` or ``{"match": false}``, decided by the production
matcher (``compile_queries(...).match``), so the query language can be checked from outside
against docs/listening.md. It needs no database. An invalid query exits with status 2 and the
validator's messages on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from django.conf import settings
from django.utils import translation

from varde.listening.query import Document, compile_queries
from varde.listening.query.messages import problem_message

EXIT_INVALID_QUERY = 2


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    listening = subparsers.add_parser("listening", help="Listening: queries and mentions.")
    commands = listening.add_subparsers(dest="listening_command", required=True)
    match = commands.add_parser(
        "match",
        help='Match texts from standard input (one a line) against a query; prints {"match": …}.',
    )
    match.add_argument("--query", required=True, help="The query, in Varde's query language.")
    match.add_argument("--lang", default="", help="The posts' language, for lang: (e.g. nb).")
    match.add_argument("--author", default="", help="The posts' author, for author:.")
    match.add_argument("--site", default="", help="The posts' site or URL, for site:.")
    match.add_argument("--source", default="", help="The posts' source, for source:.")
    match.add_argument(
        "--language", choices=["nb", "en"], help="Language of the error messages (default: nb)."
    )
    match.set_defaults(func=match_command)
    return commands


def match_command(args: argparse.Namespace) -> int:
    return run_match(args, sys.stdin, sys.stdout, sys.stderr)


def run_match(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
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
