"""Moderation rules as data: the conditions an item can meet, checked without the database.

A rule's ``conditions`` is a dict; every key present must hold (an empty rule matches
nothing). The actions are applied by ``inbox.services.moderation``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.inbox.choices import TriageClass

LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|no|net|org|io|example)\b", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
MENTION = re.compile(r"@[\w.-]+")

CONDITIONS = {
    "words": _("contains any of these words or phrases"),
    "has_link": _("has a link"),
    "has_email": _("has an e-mail address"),
    "only_emoji": _("is only emoji"),
    "only_mentions": _("is only @-mentions"),
    "min_length": _("is at least this many characters"),
    "max_length": _("is at most this many characters"),
    "kinds": _("is of these kinds"),
    "languages": _("is in these languages"),
    "classes": _("is classified as"),
    "sentiments": _("has this sentiment"),
    "author_list": _("the author is on this list"),
}
ACTIONS = ("hide", "label", "assign", "escalate", "review")


@dataclass(frozen=True)
class Facts:
    """What a rule may ask about one item."""

    text: str
    kind: str
    language: str
    triage_class: str | None
    sentiment: str | None
    author_lists: frozenset[str]  # "vip", "block"


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) in {"So", "Sk", "Mn", "Cf"} or char in "\ufe0f\u200d"


def only_emoji(text: str) -> bool:
    stripped = "".join(text.split())
    return bool(stripped) and all(_is_emoji(char) for char in stripped)


def only_mentions(text: str) -> bool:
    rest = MENTION.sub("", text)
    return bool(MENTION.search(text)) and not rest.strip(" ,.!?:;")


def _words_match(text: str, words: list[str]) -> bool:
    folded = text.casefold()
    for raw in words:
        word = raw.strip().casefold()
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            return True
    return False


# Each condition a rule may hold (named in CONDITIONS), and whether an item meets it: one small
# test per key, so a new condition is one row. A rule matches when every condition it holds is
# met.
CONDITION_TESTS: dict[str, Callable[[Any, Facts], bool]] = {
    "words": lambda value, facts: _words_match(facts.text, list(value)),
    "has_link": lambda _value, facts: bool(LINK.search(facts.text)),
    "has_email": lambda _value, facts: bool(EMAIL.search(facts.text)),
    "only_emoji": lambda _value, facts: only_emoji(facts.text),
    "only_mentions": lambda _value, facts: only_mentions(facts.text),
    "min_length": lambda value, facts: len(facts.text) >= int(value),
    "max_length": lambda value, facts: len(facts.text) <= int(value),
    "kinds": lambda value, facts: facts.kind in value,
    "languages": lambda value, facts: facts.language in value,
    "classes": lambda value, facts: (facts.triage_class or "") in value,
    "sentiments": lambda value, facts: (facts.sentiment or "") in value,
    "author_list": lambda value, facts: value in facts.author_lists,
}


def matches(conditions: Mapping[str, Any], facts: Facts) -> bool:
    """Whether an item meets every condition the rule holds (a condition left empty or off
    does not count; a rule with none matches nothing)."""
    held = {key: value for key, value in conditions.items() if value and key in CONDITION_TESTS}
    if not held:
        return False
    return all(CONDITION_TESTS[key](value, facts) for key, value in held.items())


def criticism_reason(*, triage_class: str | None, sentiment: str | None, by_rule: bool) -> str:
    """Why a hide must be refused, or "" when it may go ahead.

    Criticism is never hidden or deleted: an item classified as a complaint is refused for
    everyone. A rule is also refused on an item nobody has classified whose sentiment is
    negative — it may be criticism, so a person decides."""
    if triage_class == TriageClass.COMPLAINT:
        return str(
            _(
                "This is classified as a complaint, and criticism is never hidden: answer it "
                "or escalate it. If it is not a complaint, correct the class first."
            )
        )
    if by_rule and triage_class is None and sentiment == "negative":
        return str(
            _(
                "Not hidden by a rule: it is negative and not classified yet, so it may be "
                "criticism. A person decides."
            )
        )
    return ""
