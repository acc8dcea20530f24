"""The policy guard's individual rules, each on one text or on the post as a whole.

Terms (banned and risky words), the advertising label, hashtags (avoided, and new ones that
need a person's confirmation), the signature, who may publish to a channel, and image alt
text. Each returns ``Finding``s; ``policy.guard`` decides which texts each rule runs on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varde.accounts.roles import Role
from varde.channels.selectors import plan_entries_for
from varde.lib.language import guess_language
from varde.policy import selectors
from varde.policy.choices import NewHashtagRule, SignatureRule
from varde.policy.findings import Finding, Severity
from varde.policy.rules import WorkspaceRules, first_name
from varde.policy.text import URL, find_phrase, hashtags_in, normal_tag, normalise

if TYPE_CHECKING:
    from varde.accounts.models import User
    from varde.channels.models import ConnectedAccount
    from varde.policy.findings import HashtagContext

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


def term_findings(rules: WorkspaceRules, text: str) -> list[Finding]:
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


def disclosure_findings(rules: WorkspaceRules, text: str) -> list[Finding]:
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


def hashtag_findings(
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


def unconfirmed_finding(rules: WorkspaceRules, tag: str) -> Finding:
    """A hashtag new to the workspace: a warning, or a stop where the settings say so, with
    what listening knows about it (the #Aurora rule, seed 002)."""
    context = selectors.hashtag_context(rules.workspace, tag)
    severity = (
        Severity.BLOCK if rules.settings.new_hashtag == NewHashtagRule.BLOCK else Severity.WARN
    )
    return Finding(
        code="hashtag_unconfirmed",
        severity=severity,
        message=_new_tag_message(tag, context),
        hashtag=tag,
        context=context,
    )


def _new_tag_message(tag: str, context: HashtagContext | None) -> str:
    new = _(
        "#%(tag)s is new to this workspace: it is not in the plan, and nobody has confirmed or "
        "published it here before."
    ) % {"tag": tag}
    look = _(
        "Search for #%(tag)s on the networks and read the latest posts (a popular tag can "
        "suddenly be about something else, as #Aurora was), then confirm it."
    ) % {"tag": tag}
    if context is None:
        return f"{new} {look}"
    if context.volume == 0:
        heard = _(
            "Listening has no mentions of this hashtag yet (it sees what your listening "
            "searches collect)."
        )
        return f"{new} {heard} {look}"
    heard = ngettext(
        "Listening saw %(count)s post with it in the last %(days)s days%(spike)s: read the "
        "samples below, then confirm it.",
        "Listening saw %(count)s posts with it in the last %(days)s days%(spike)s: read the "
        "samples below, then confirm it.",
        context.volume,
    ) % {
        "count": context.volume,
        "days": context.window_days,
        "spike": _(", far more than usual") if context.spiking else "",
    }
    return f"{new} {heard}"


def known_first_names(author: User | None, rules: WorkspaceRules) -> set[str]:
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


def signature_findings(
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


def channel_findings(
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


def alt_text_findings(rules: WorkspaceRules, alt_texts: Sequence[str]) -> list[Finding]:
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
