"""Telling bokmål from English in a short post, without a model.

The policy guard applies a banned or risky term only to posts in the term's language ("hell"
is a greeting in one and a curse in the other). Posts are short, so this counts the most
common function words of each language — words nearly every sentence has and the other
language lacks — and answers only when one side clearly wins; otherwise it says it does not
know and the caller applies every rule.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zæøå]+")

_BOKMAL_WORDS = (
    "og det er som en på til av å for med har jeg ikke de den vi du om men et kan så vil "
    "var fra eller skal hva noe nå bare også hos oss dere våre vår vårt deg meg hvor når "
    "hvorfor dette disse ble blir enn mot etter uten mellom kommer gjør får nye ny"
)
_ENGLISH_WORDS = (
    "the and of to in is it that for you with on are this be at was have not but from or "
    "they we our your by an will can what all my has just more about their so if when "
    "which there out up who how new get"
)
_BOKMAL = frozenset(_BOKMAL_WORDS.split())
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Words spelled the same in both languages carry no evidence either way.
_BOTH = _BOKMAL & _ENGLISH
MIN_EVIDENCE = 2


def guess_language(text: str) -> str:
    """``"nb"``, ``"en"``, or ``""`` when the text does not say clearly enough."""
    words = _WORD.findall(text.lower())
    nb = sum(1 for w in words if w in _BOKMAL and w not in _BOTH)
    en = sum(1 for w in words if w in _ENGLISH and w not in _BOTH)
    if max(nb, en) < MIN_EVIDENCE or nb == en:
        return ""
    # One side must clearly outweigh the other: a Norwegian post quoting an English slogan
    # stays Norwegian.
    if nb >= 2 * en:
        return "nb"
    if en >= 2 * nb:
        return "en"
    return ""
