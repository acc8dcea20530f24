"""The policy guard: checks a post against the plan before it goes out.

It runs three times: live in the composer (``guard_check_draft``, through the ``policy:check``
endpoint), when a post is scheduled, and again at send time in the publishing engine
(``guard_check_post``), because the plan or the post may have changed in between.

Each finding says whether it stops the post (``Severity.BLOCK``) or only warns, why, and what
to do, in the active language. The rules are described for users in docs/policy.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varde.accounts.models import User, Workspace
from varde.accounts.roles import Role
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import plan_entries_for
from varde.content.models import Post, PostMedia
from varde.lib.language import guess_language
from varde.policy import selectors
from varde.policy.models import SignatureRule
from varde.policy.rules import WorkspaceRules, first_name, rules_for_send
from varde.policy.text import URL, find_phrase, hashtags_in, normal_tag, normalise


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # translated; says why and what to do
    channel_id: int | None = None  # None: applies to the post as a whole
    hashtag: str = ""  # for hashtag findings: the tag, normalised, without "#"

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


@dataclass(frozen=True)
class GuardReport:
    findings: tuple[Finding, ...]

    @property
    def blocks(self) -> bool:
        return any(f.severity == Severity.BLOCK for f in self.findings)

    def messages(self) -> list[str]:
        return [f.message for f in self.findings]

    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.BLOCK)

    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.WARN)


# Words that label advertising under Norwegian marketing law (Forbrukertilsynet's guidance:
# "annonse" or "reklame", clearly visible, at the start rather than hidden among hashtags).
DISCLOSURE_WORDS = ("annonse", "reklame")
# A label further into the text than this may sit behind "see more" (Instagram cuts at about
# 125 characters), so it warns even though the word is there.
DISCLOSURE_VISIBLE_CHARS = 100
# What may follow a signature: trailing hashtags, links and punctuation are ignored.
_TRAILER = re.compile(r"(?:\s|#\w+|https?://\S+|[.!?…:;,)\]\U0001F300-\U0001FAFF\u2600-\u27BF])+$")
_SIGN_MARK = re.compile(
    r"(?:^|\s)(?:[-–—^/~]|(?:hilsen|mvh|vennlig hilsen|beste hilsen|regards|best regards|cheers)"
    r"(?!\w))[\s,:]*([^\n]{1,60})$",
    re.IGNORECASE,
)


# --- Rules on one text ------------------------------------------------------------------------


def _note(note: str) -> str:
    note = note.strip()
    if not note:
        return ""
    return " " + _("Why: %(note)s") % {"note": note if note[-1] in ".!?…" else note + "."}


def _term_findings(rules: WorkspaceRules, text: str) -> list[Finding]:
    findings = []
    # A term listed for one language applies to posts in that language; when the language of
    # the text is unclear, every term applies (better a needless warning than a missed one).
    language = guess_language(text)
    for term in rules.terms:
        if term.language and language and term.language != language:
            continue
        if find_phrase(text, term.term) is None:
            continue
        if term.blocks:
            message = _(
                "“%(term)s” is banned in this workspace’s plan.%(why)s Remove it or rewrite the "
                "sentence."
            )
        else:
            message = _(
                "“%(term)s” is on the plan’s list of risky words.%(why)s Check that it is what you "
                "mean before you publish."
            )
        findings.append(
            Finding(
                code="banned_term" if term.blocks else "risky_term",
                severity=Severity.BLOCK if term.blocks else Severity.WARN,
                message=message % {"term": term.term, "why": _note(term.note)},
            )
        )
    return findings


def _disclosure_findings(rules: WorkspaceRules, text: str) -> list[Finding]:
    words = [*DISCLOSURE_WORDS, *rules.settings.extra_disclosure_list]
    found = [m for m in (find_phrase(text, w) for w in words) if m is not None]
    if not found:
        return [
            Finding(
                code="ad_disclosure_missing",
                severity=Severity.BLOCK,
                message=_(
                    "The post is marked as paid or sponsored but does not say so. Norwegian "
                    "marketing law requires a clear label: start the text with “Annonse:” or "
                    "“Reklame:”, or put #annonse in the first line."
                ),
            )
        ]
    if min(m.start() for m in found) > DISCLOSURE_VISIBLE_CHARS:
        return [
            Finding(
                code="ad_disclosure_hidden",
                severity=Severity.WARN,
                message=_(
                    "The advertising label comes late in the text, where readers may not see it "
                    "before “see more”. Move “Annonse” or “Reklame” to the start of the text."
                ),
            )
        ]
    return []


def _label_tags(rules: WorkspaceRules) -> set[str]:
    """#annonse and #reklame are labels, not topics: they never need a confirmation."""
    words = [*DISCLOSURE_WORDS, *rules.settings.extra_disclosure_list]
    return {normal_tag(w) for w in words if " " not in w.strip()}


def _hashtag_findings(
    rules: WorkspaceRules, text: str, *, exclude_post_id: int | None
) -> tuple[list[Finding], list[str]]:
    """Findings for avoided tags, and the tags that still need a person's confirmation."""
    findings = []
    unknown = []
    avoid_severity = Severity.BLOCK if rules.settings.avoided_hashtag_blocks else Severity.WARN
    tags = hashtags_in(text)
    if not tags:
        return [], []
    for tag in tags:
        if tag in rules.hashtags.avoid:
            findings.append(
                Finding(
                    code="hashtag_avoid",
                    severity=avoid_severity,
                    message=_("The plan says to avoid #%(tag)s.%(why)s Remove the hashtag.")
                    % {"tag": tag, "why": _note(rules.hashtags.avoid[tag])},
                    hashtag=tag,
                )
            )
        elif tag not in rules.hashtags.use and tag not in _label_tags(rules):
            unknown.append(tag)
    if not rules.hashtags.require_context_check:
        unknown = []
    if unknown:
        known = selectors.confirmed_tags(rules.workspace, unknown)
        known |= selectors.tags_published_before(
            rules.workspace, [t for t in unknown if t not in known], exclude_post_id=exclude_post_id
        )
        unknown = [t for t in unknown if t not in known]
    return findings, unknown


def _unconfirmed_finding(workspace: Workspace, tag: str) -> Finding:
    context = selectors.hashtag_context(workspace, tag)
    if context is None:
        message = _(
            "#%(tag)s is new to this workspace: it is not in the plan and has not been used "
            "before. Varde has no listening data yet, so it cannot show what the hashtag is about "
            "right now. Search for #%(tag)s on the networks and read the latest posts (a popular "
            "tag can suddenly be about something else, as #Aurora was), then confirm it."
        ) % {"tag": tag}
    else:
        message = ngettext(
            "#%(tag)s is new to this workspace. %(count)s post used it recently%(spike)s: read "
            "the samples below, then confirm it.",
            "#%(tag)s is new to this workspace. %(count)s posts used it recently%(spike)s: read "
            "the samples below, then confirm it.",
            context.volume,
        ) % {
            "tag": tag,
            "count": context.volume,
            "spike": _(", far more than usual") if context.spiking else "",
        }
    return Finding(
        code="hashtag_unconfirmed", severity=Severity.BLOCK, message=message, hashtag=tag
    )


def _known_first_names(author: User | None, rules: WorkspaceRules) -> set[str]:
    names = set(rules.first_names)
    if author is not None and author.full_name.split():
        names.add(first_name(author.full_name))
    return names


def _is_signed(text: str, first_names: set[str]) -> bool:
    body = _TRAILER.sub("", URL.sub(" ", normalise(text))).rstrip()
    if not body:
        return False
    tail = _SIGN_MARK.search(body)
    candidate = tail.group(1) if tail else ""
    if not candidate:
        # No mark: a short last line of its own ("Kari, kundeservice") also counts.
        lines = body.splitlines()
        candidate = lines[-1] if len(lines) > 1 and len(lines[-1]) <= 40 else ""
    words = {w.casefold() for w in re.findall(r"\w+", candidate)}
    return bool(words & first_names)


def _signature_findings(
    rules: WorkspaceRules, text: str, author: User | None, first_names: set[str]
) -> list[Finding]:
    rule = rules.settings.signature
    if rule == SignatureRule.OFF or _is_signed(text, first_names):
        return []
    name = (author.get_short_name() if author is not None else "") or _("Kari")
    return [
        Finding(
            code="signature_missing",
            severity=Severity.BLOCK if rule == SignatureRule.BLOCK else Severity.WARN,
            message=_(
                "The workspace asks that posts be signed by the person who wrote them. End the "
                "text with your name, for example “– %(name)s”."
            )
            % {"name": name},
        )
    ]


# --- Rules on the post as a whole -------------------------------------------------------------


def _channel_findings(
    rules: WorkspaceRules, author: User | None, accounts: Sequence[ConnectedAccount]
) -> list[Finding]:
    if author is None:
        return []  # an author who has left: nobody to check; approval covered the post
    if not accounts or not any(plan.publishers for plan in rules.channel_plans):
        return []
    if rules.role_of(author) in (Role.OWNER, Role.ADMIN):
        return []
    findings = []
    for account in accounts:
        plans = [p for p in plan_entries_for(account, rules.channel_plans) if p.publishers]
        if not plans:
            continue  # the plan names nobody for this channel: everyone with the right may post
        allowed = [person for plan in plans for person in plan.publishers]
        if any(person.user_id == author.pk for person in allowed):
            continue
        findings.append(
            Finding(
                code="channel_not_allowed",
                severity=Severity.BLOCK,
                message=_(
                    "The plan says only %(people)s may publish to %(channel)s. Ask one of them or "
                    "an admin to publish the post, or remove the channel."
                )
                % {
                    "people": ", ".join(sorted({p.name for p in allowed})),
                    "channel": account.label,
                },
                channel_id=account.pk,
            )
        )
    return findings


def _alt_text_findings(rules: WorkspaceRules, alt_texts: Sequence[str]) -> list[Finding]:
    missing = sum(1 for alt in alt_texts if not alt.strip())
    if not missing:
        return []
    return [
        Finding(
            code="alt_text_missing",
            severity=Severity.BLOCK if rules.settings.alt_text_required else Severity.WARN,
            message=ngettext(
                "%(count)s image has no description (alt text). Describe what it shows, for "
                "people who cannot see it.",
                "%(count)s images have no description (alt text). Describe what each shows, for "
                "people who cannot see them.",
                missing,
            )
            % {"count": missing},
        )
    ]


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
    workspace = rules.workspace
    first_names = (
        _known_first_names(author, rules)
        if rules.settings.signature != SignatureRule.OFF
        else set()
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
        unit = _term_findings(rules, unit_text)
        if is_paid:
            unit += _disclosure_findings(rules, unit_text)
        tag_findings, unknown = _hashtag_findings(rules, unit_text, exclude_post_id=exclude_post_id)
        unit += tag_findings
        unit += _signature_findings(rules, unit_text, author, first_names)
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
        tag_findings, unknown = _hashtag_findings(
            rules, extra_text, exclude_post_id=exclude_post_id
        )
        for tag in unknown:
            unconfirmed.setdefault(tag, None)
        findings += [
            Finding(
                code=f.code,
                severity=f.severity,
                message=where % {"message": f.message},
                hashtag=f.hashtag,
            )
            for f in [*_term_findings(rules, extra_text), *tag_findings]
        ]
    # A new hashtag is confirmed once for the workspace, so it is one finding for the post.
    findings += [_unconfirmed_finding(workspace, tag) for tag in unconfirmed]
    findings += _channel_findings(rules, author, accounts)
    findings += _alt_text_findings(rules, media_alt_texts)
    # Blocks first, then warnings; otherwise in the order found.
    findings.sort(key=lambda f: f.severity != Severity.BLOCK)
    return GuardReport(findings=tuple(findings))


def _accounts(workspace: Workspace, channel_ids: Sequence[int]) -> list[ConnectedAccount]:
    wanted = list(dict.fromkeys(int(c) for c in channel_ids))
    accounts = ConnectedAccount.objects.in_workspace(workspace).filter(pk__in=wanted)
    found = {a.pk: a for a in accounts}
    # Ids of other workspaces' channels are ignored, never checked against this plan.
    return [found[c] for c in wanted if c in found]


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
    alt_texts = list(
        post.media.filter(kind=PostMedia.Kind.IMAGE).values_list("alt_text", flat=True)
    )
    return _check(
        rules=WorkspaceRules(workspace),
        author=post.author,
        text=post.text,
        accounts=accounts,
        variants=variants,
        is_paid=post.is_paid,
        media_alt_texts=alt_texts,
        thread=[str(part) for part in post.thread if isinstance(part, str)],
        first_comment=post.first_comment,
        exclude_post_id=post.pk,
    )


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
    return _check(
        rules=rules_for_send(workspace),
        author=post.author,
        text=post.text,
        accounts=accounts,
        variants=variants,
        is_paid=post.is_paid,
        media_alt_texts=[m.alt_text for m in post.media.all() if m.kind == PostMedia.Kind.IMAGE],
        thread=[str(part) for part in post.thread if isinstance(part, str)],
        first_comment=post.first_comment,
        exclude_post_id=post.pk,
    )


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
    "guard_check_send",
    "guard_refuse_blocked",
]
