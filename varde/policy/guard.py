"""The policy guard: checks a post against the plan before it goes out.

It runs three times: live in the composer (``guard_check_draft``, through the ``policy:check``
endpoint), when a post is scheduled, and again at send time in the publishing engine
(``guard_check_post``), because the plan or the post may have changed in between.

Each finding says whether it stops the post (``Severity.BLOCK``) or only warns, why, and what
to do, in the active language. The rules are described for users in docs/policy.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from varde.channels import selectors as channel_selectors
from varde.content.choices import MediaKind
from varde.policy.checks import (
    alt_text_findings,
    channel_findings,
    disclosure_findings,
    hashtag_findings,
    known_first_names,
    signature_findings,
    term_findings,
    unconfirmed_finding,
)
from varde.policy.choices import SignatureRule
from varde.policy.findings import Finding, GuardReport, Severity
from varde.policy.rules import WorkspaceRules, rules_for_send

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post

# --- The checks -------------------------------------------------------------------------------


def _check(
    *,
    rules: WorkspaceRules,
    author: User | None,
    text: str,
    accounts: Sequence[ConnectedAccount],
    variants: Mapping[int, str],
    is_paid: bool,
    media_alt_texts: Sequence[str],
    thread: Sequence[str],
    first_comment: str,
    exclude_post_id: int | None,
) -> GuardReport:
    first_names = (
        known_first_names(author, rules) if rules.settings.signature != SignatureRule.OFF else set()
    )
    # The texts that will actually go out: the main text for channels without their own
    # variant (or when no channel is chosen yet), and each variant for its channel.
    units: list[tuple[str, ConnectedAccount | None]] = []
    if not accounts or any(a.pk not in variants for a in accounts):
        units.append((text, None))
    units += [(variants[a.pk], a) for a in accounts if a.pk in variants]

    findings: list[Finding] = []
    unconfirmed: dict[str, None] = {}
    for unit_text, account in units:
        unit = term_findings(rules, unit_text)
        if is_paid:
            unit += disclosure_findings(rules, unit_text)
        tag_findings, unknown = hashtag_findings(rules, unit_text, exclude_post_id=exclude_post_id)
        unit += tag_findings
        unit += signature_findings(rules, unit_text, author, first_names)
        for tag in unknown:
            unconfirmed.setdefault(tag, None)
        if account is not None:
            unit = [
                Finding(
                    code=f.code,
                    severity=f.severity,
                    message=_("In the text for %(channel)s: %(message)s")
                    % {"channel": account.label, "message": f.message},
                    channel_id=account.pk,
                    hashtag=f.hashtag,
                )
                for f in unit
            ]
        findings += unit
    # The rest of a thread and the first comment go out too (hashtags often sit in the first
    # comment). Only words and hashtags apply: the label and the signature belong in the post.
    extras = [(part, _("In the thread: %(message)s")) for part in thread if part.strip()]
    if first_comment.strip():
        extras.append((first_comment, _("In the first comment: %(message)s")))
    for extra_text, where in extras:
        tag_findings, unknown = hashtag_findings(rules, extra_text, exclude_post_id=exclude_post_id)
        for tag in unknown:
            unconfirmed.setdefault(tag, None)
        findings += [
            Finding(
                code=f.code,
                severity=f.severity,
                message=where % {"message": f.message},
                hashtag=f.hashtag,
            )
            for f in [*term_findings(rules, extra_text), *tag_findings]
        ]
    # A new hashtag is confirmed once for the workspace, so it is one finding for the post.
    findings += [unconfirmed_finding(rules, tag) for tag in unconfirmed]
    findings += channel_findings(rules, author, accounts)
    findings += alt_text_findings(rules, media_alt_texts)
    # Blocks first, then warnings; otherwise in the order found.
    findings.sort(key=lambda f: f.severity != Severity.BLOCK)
    return GuardReport(findings=tuple(findings))


def _accounts(workspace: Workspace, channel_ids: Sequence[int]) -> list[ConnectedAccount]:
    wanted = list(dict.fromkeys(int(c) for c in channel_ids))
    accounts = channel_selectors.channels_in(workspace=workspace).filter(pk__in=wanted)
    found = {a.pk: a for a in accounts}
    # Ids of other workspaces' channels are ignored, never checked against this plan.
    return [found[c] for c in wanted if c in found]


def _check_saved_post(
    post: Post,
    *,
    rules: WorkspaceRules,
    accounts: Sequence[ConnectedAccount],
    variants: Mapping[int, str],
    media_alt_texts: Sequence[str],
) -> GuardReport:
    """``_check`` on a saved post: its author, text, paid flag, thread and first comment.

    The callers differ only in how they read the rules, the channels, the variants and the
    media (``guard_check_send`` must not query what the engine's claim already read).
    """
    return _check(
        rules=rules,
        author=post.author,
        text=post.text,
        accounts=accounts,
        variants=variants,
        is_paid=post.is_paid,
        media_alt_texts=media_alt_texts,
        thread=[str(part) for part in post.thread if isinstance(part, str)],
        first_comment=post.first_comment,
        exclude_post_id=post.pk,
    )


def guard_check_draft(
    *,
    workspace: Workspace,
    author: User | None,
    text: str,
    channel_ids: Sequence[int],
    variants: Mapping[int, str] | None = None,
    is_paid: bool = False,
    media_alt_texts: Sequence[str] = (),
    thread: Sequence[str] = (),
    first_comment: str = "",
) -> GuardReport:
    """Check a post that may not be saved yet (the composer's live check).

    ``variants`` maps a channel id to that channel's text where it differs from ``text``;
    ``media_alt_texts`` has one entry per attached image, "" where the image has none;
    ``thread`` holds the follow-up posts of a thread and ``first_comment`` the first comment.
    """
    accounts = _accounts(workspace, channel_ids)
    chosen = {a.pk for a in accounts}
    return _check(
        rules=WorkspaceRules(workspace),
        author=author,
        text=text,
        accounts=accounts,
        variants={int(k): v for k, v in (variants or {}).items() if int(k) in chosen and v.strip()},
        is_paid=is_paid,
        media_alt_texts=media_alt_texts,
        thread=thread,
        first_comment=first_comment,
        exclude_post_id=None,
    )


def guard_check_post(*, post: Post, channel_ids: Sequence[int] | None = None) -> GuardReport:
    """Check a saved post, for the given channels or (None) every channel it is delivered to.

    Reads the text, the variants, the thread, the first comment, the paid flag, the alt text of
    the images (not videos) and the author.
    """
    workspace = post.workspace
    if channel_ids is None:
        channel_ids = list(post.deliveries.values_list("channel_id", flat=True))
    accounts = _accounts(workspace, channel_ids)
    chosen = {a.pk for a in accounts}
    variants = {
        v.channel_id: v.text for v in post.variants.filter(channel_id__in=chosen) if v.text.strip()
    }
    alt_texts = list(post.media.filter(kind=MediaKind.IMAGE).values_list("alt_text", flat=True))
    return _check_saved_post(
        post,
        rules=WorkspaceRules(workspace),
        accounts=accounts,
        variants=variants,
        media_alt_texts=alt_texts,
    )


def guard_check_posts(*, posts: Sequence[Post]) -> dict[int, GuardReport]:
    """``guard_check_post`` for many posts of one workspace (the review queue's verdict on
    every card): the rules, the channels, the variants and the media are read once."""
    if not posts:
        return {}
    rules = WorkspaceRules(posts[0].workspace)
    prefetch_related_objects(list(posts), "variants", "media", "deliveries")
    accounts = {a.pk: a for a in channel_selectors.channels_in(workspace=rules.workspace)}
    reports = {}
    for post in posts:
        wanted = dict.fromkeys(d.channel_id for d in post.deliveries.all())
        chosen = [accounts[c] for c in wanted if c in accounts]
        ids = {a.pk for a in chosen}
        reports[post.pk] = _check_saved_post(
            post,
            rules=rules,
            accounts=chosen,
            variants={
                v.channel_id: v.text
                for v in post.variants.all()
                if v.channel_id in ids and v.text.strip()
            },
            media_alt_texts=[m.alt_text for m in post.media.all() if m.kind == MediaKind.IMAGE],
        )
    return reports


def guard_check_send(
    *, post: Post, workspace: Workspace, channel: ConnectedAccount, variant_text: str | None
) -> GuardReport:
    """The publishing engine's check of one delivery at send time: the same rules as
    ``guard_check_post`` for one channel, on what the engine's claim read in its own statement
    (the post, its author, the channel, the channel's variant text, None when it has none),
    the post's media (``post.media.all()``: prefetch it) and the workspace's rules as kept by
    ``rules_for_send``, which reads them again whenever any of them changed."""
    # A channel of another workspace is never checked against this plan (as in _accounts).
    accounts = [channel] if channel.workspace_id == workspace.pk == post.workspace_id else []
    variants = (
        {channel.pk: variant_text}
        if accounts and variant_text is not None and variant_text.strip()
        else {}
    )
    return _check_saved_post(
        post,
        rules=rules_for_send(workspace),
        accounts=accounts,
        variants=variants,
        media_alt_texts=[m.alt_text for m in post.media.all() if m.kind == MediaKind.IMAGE],
    )


def guard_check_reply(*, workspace: Workspace, author: User | None, text: str) -> GuardReport:
    """Check an answer to a comment or message before the inbox sends it: the workspace's
    words (banned and risky) and the signature rule. Hashtag and channel rules are for posts
    in the plan, not for conversations."""
    rules = WorkspaceRules(workspace)
    first_names = (
        known_first_names(author, rules) if rules.settings.signature != SignatureRule.OFF else set()
    )
    findings = term_findings(rules, text) + signature_findings(rules, text, author, first_names)
    findings.sort(key=lambda f: f.severity != Severity.BLOCK)
    return GuardReport(findings=tuple(findings))


class PolicyBlocksSchedulingError(ValidationError):
    """The guard stops the post; ``messages`` holds its reasons, in the user's language."""


def guard_refuse_blocked(*, post: Post, channel_ids: Sequence[int] | None = None) -> None:
    """Raise ``PolicyBlocksSchedulingError`` when the guard blocks the post on these channels.

    For every path that schedules a post (approval, a move in the calendar or the composer, the
    command line): the plan or the post may have changed since the composer's live check.
    """
    blocking = guard_check_post(post=post, channel_ids=channel_ids).blocking()
    if blocking:
        # One message, so that a place with room for one line (autosave) shows every reason.
        raise PolicyBlocksSchedulingError(
            _("The publishing rules stop this post: %(reasons)s")
            % {"reasons": " ".join(f.message for f in blocking)}
        )


__all__ = [
    "Finding",
    "GuardReport",
    "PolicyBlocksSchedulingError",
    "Severity",
    "guard_check_draft",
    "guard_check_post",
    "guard_check_reply",
    "guard_check_send",
    "guard_refuse_blocked",
]
