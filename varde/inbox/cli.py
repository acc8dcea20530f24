"""``varde inbox …``: list, reply and hide from a shell, thin over the inbox's services.

``varde/cli.py`` sets Django up, then calls ``add_subcommands(subparsers)``. Exit status 1
when the inbox refuses (criticism is never hidden; a reply the guard stops) or the network
fails, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


def add_subcommands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    inbox = subparsers.add_parser("inbox", help="inbox: list, reply, hide, triage")
    group = inbox.add_subparsers(dest="inbox_command", required=True)

    listing = group.add_parser("list", help="items, newest first")
    listing.add_argument("--workspace", required=True, help="the workspace's short name (slug)")
    listing.add_argument(
        "--state", default="", choices=["", "new", "pending", "resolved", "snoozed"]
    )
    listing.add_argument("--limit", type=int, default=1000)
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(handler=cmd_list)

    reply = group.add_parser("reply", help="answer an item's conversation from Varde")
    reply.add_argument("--workspace", required=True)
    reply.add_argument("--item", type=int, required=True, help="the item's id (varde inbox list)")
    reply.add_argument("--text", required=True)
    reply.add_argument("--as", dest="as_email", default="", help="the member who answers")
    reply.add_argument("--private", action="store_true", help="a private message, not public")
    reply.add_argument("--sign", action="store_true", help="add the person's signature")
    reply.set_defaults(handler=cmd_reply)

    hide = group.add_parser("hide", help="hide an item on its network (never criticism)")
    hide.add_argument("--item", type=int, required=True)
    hide.add_argument("--as", dest="as_email", default="", help="who hides it (audit log)")
    hide.set_defaults(handler=cmd_hide)

    corrections = group.add_parser(
        "corrections", help="people's class corrections as training data, one JSON object a line"
    )
    corrections.add_argument("--workspace", required=True)
    corrections.set_defaults(handler=cmd_corrections)

    evaluate = group.add_parser(
        "triage-eval", help="the triage classifier's figures on a labelled file, one JSON line"
    )
    evaluate.add_argument(
        "--dataset",
        required=True,
        help="a shared/data file (TweetEval *_text.txt, NoReC .json) or JSON lines of text+class",
    )
    evaluate.add_argument("--tier", choices=["auto", "model", "lexicon"], default="auto")
    evaluate.add_argument("--limit", type=int, default=0, help="only the first N examples")
    evaluate.set_defaults(handler=cmd_triage_eval)
    return group


def _workspace(slug: str) -> Any:
    from varde.accounts.selectors import workspace_by_slug

    workspace = workspace_by_slug(slug)
    if workspace is None:
        print(f"No workspace called {slug!r}.", file=sys.stderr)
    return workspace


def _person(email: str, workspace: Any) -> Any:
    """The member named by --as, else the workspace's first owner."""
    from varde.accounts import selectors as account_selectors
    from varde.accounts.roles import Role

    if email:
        user = account_selectors.user_by_email(email.strip().lower())
        if user is None or not account_selectors.is_member(user=user, workspace=workspace):
            print(f"{email} is not a member of this workspace.", file=sys.stderr)
            return None
        return user
    roles = account_selectors.member_roles(workspace=workspace)
    owners = sorted(pk for pk, role in roles.items() if role == Role.OWNER)
    return account_selectors.member_users(workspace=workspace).filter(pk__in=owners[:1]).first()


def item_row(item: Any) -> dict[str, Any]:
    conversation = item.conversation
    assignee = conversation.assignee if conversation is not None else None
    return {
        "id": item.pk,
        "conversation": item.conversation_id,
        "channel": item.channel.label if item.channel else "",
        "kind": item.kind,
        "author": item.author_handle,
        "text": item.text,
        "triage_class": item.triage_class,
        "sentiment": item.sentiment,
        "state": conversation.state if conversation is not None else "",
        "assignee": assignee.email if assignee is not None else None,
        "hidden": item.hidden_at is not None,
        "created_at": item.created_at.isoformat(),
    }


def cmd_list(args: argparse.Namespace) -> int:
    from varde.inbox import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return EXIT_BAD_INPUT
    items = selectors.items_for_cli(workspace=workspace, state=args.state, limit=max(args.limit, 0))
    for item in items:
        row = item_row(item)
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(
                f"{row['id']}\t{row['state']}\t{row['channel']}\t@{row['author']}\t"
                f"{row['triage_class'] or '-'}\t{row['text'][:80]!r}"
            )
    return 0


def cmd_reply(args: argparse.Namespace) -> int:
    from varde.inbox import selectors, services
    from varde.inbox.choices import ReplyMode, ReplyStatus

    workspace = _workspace(args.workspace)
    if workspace is None:
        return EXIT_BAD_INPUT
    item = selectors.item_get(workspace=workspace, item_id=args.item)
    if item is None or item.conversation is None:
        print(f"No item {args.item} in this workspace.", file=sys.stderr)
        return EXIT_BAD_INPUT
    author = _person(args.as_email, workspace)
    if author is None:
        return EXIT_BAD_INPUT
    try:
        reply = services.reply_send(
            conversation=item.conversation,
            author=author,
            text=args.text,
            mode=ReplyMode.PRIVATE if args.private else ReplyMode.PUBLIC,
            sign=args.sign,
        )
    except services.ReplyBlockedError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        return EXIT_REFUSED
    if reply.status == ReplyStatus.FAILED:
        print(f"Not sent: {reply.error}", file=sys.stderr)
        return EXIT_REFUSED
    print(json.dumps({"reply": reply.pk, "network_id": reply.network_id, "url": reply.url}))
    return 0


def cmd_hide(args: argparse.Namespace) -> int:
    from varde.inbox import selectors, services

    item = selectors.item_by_id(item_id=args.item)
    if item is None:
        print(f"No item {args.item}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    actor = _person(args.as_email, item.workspace) if args.as_email else None
    if args.as_email and actor is None:
        return EXIT_BAD_INPUT
    try:
        services.item_hide(item=item, actor=actor)
    except (services.CriticismRefusedError, services.HideNotPossibleError) as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        return EXIT_REFUSED
    print(f"Hidden: item {item.pk}.")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    """``{"text", "class", "classifier_class", …}`` per corrected item: the format
    ``tools/train_triage.py --corrections`` and ``varde inbox triage-eval`` read."""
    from varde.inbox import selectors

    workspace = _workspace(args.workspace)
    if workspace is None:
        return EXIT_BAD_INPUT
    for c in selectors.corrections_of(workspace=workspace):
        row = {
            "item": c.item_id,
            "text": c.text,
            "class": c.triage_class,
            "classifier_class": c.classifier_class,
            "classifier_reason": c.classifier_reason,
            "language": c.language,
            "corrected_at": c.corrected_at,
        }
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_triage_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from varde.inbox.triage_model.evaluate import evaluate

    path = Path(args.dataset)
    if not path.exists():
        print(f"No such file: {path}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(evaluate(path, tier=args.tier, limit=max(args.limit, 0)), ensure_ascii=False))
    return 0
