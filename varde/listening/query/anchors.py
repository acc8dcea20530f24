"""The literals a query cannot match without: what the matcher's automaton looks for.

`anchors(node)` returns alternatives, each a set of literals, such that whenever the query
matches a document, every literal of at least one alternative occurs in the document's folded
text (a necessary condition, never a sufficient one). The matcher evaluates a query only when
an alternative is complete, so thousands of queries share one pass over each post. `None`
means "no such set": the query can match without any word of its own (only NOT or fields
decide), and the matcher has to evaluate it for every post.

Rules: a word is one literal (a wildcard word: its letters before the first wildcard, as a
prefix); a #tag or @handle is itself with its sign; a phrase needs all its words; OR needs one
operand, so its alternatives are the union of theirs; AND and NEAR need every positive operand,
so their alternatives combine one alternative of each (while that stays under
`MAX_ALTERNATIVES`; past it the most selective operand alone is kept); NOT and fields give none.

A literal is found only at the start of a word, and a whole word (not a wildcard prefix) only
when it also ends one, so "nike" is not found in "snike" or "nikesko".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from varde.listening.query.common_words import COMMON_WORDS, MIN_USEFUL_LITERAL
from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from varde.listening.query.normalise import TokenKind

MAX_ALTERNATIVES = 16
_SIGN = {TokenKind.WORD: "", TokenKind.HASHTAG: "#", TokenKind.HANDLE: "@"}


@dataclass(frozen=True, slots=True)
class Anchor:
    """A folded literal; `whole` when it must be a whole word, not only a word's beginning."""

    literal: str
    whole: bool
    term: Term = field(compare=False)

    @property
    def common(self) -> bool:
        """A literal found in most posts: a very common word, or one or two letters."""
        bare = self.literal.lstrip("#@")
        return bare in COMMON_WORDS or len(bare) < MIN_USEFUL_LITERAL


Alternative = frozenset[Anchor]
Anchors = frozenset[Alternative]


def anchors(node: Node) -> Anchors | None:
    if isinstance(node, Term):
        return frozenset({frozenset({term_anchor(node)})})
    if isinstance(node, Phrase):
        return _phrase_anchors(node)
    if isinstance(node, Or):
        return _union(node.operands)
    if isinstance(node, And):
        return _combine(node.operands)
    if isinstance(node, Near):
        return _combine((node.left, node.right))
    assert isinstance(node, Not | Field)  # noqa: S101 - exhaustive over Node
    return None


def term_anchor(term: Term) -> Anchor:
    """The sign, then the folded letters up to the first wildcard."""
    value = term.value
    cut = min((value.index(char) for char in WILDCARD_CHARS if char in value), default=len(value))
    return Anchor(_SIGN[term.kind] + value[:cut], cut == len(value), term)


def _phrase_anchors(phrase: Phrase) -> Anchors | None:
    if not phrase.terms:
        return None
    return frozenset({frozenset(term_anchor(term) for term in phrase.terms)})


def _union(operands: tuple[Node, ...]) -> Anchors | None:
    found: set[Alternative] = set()
    for operand in operands:
        part = anchors(operand)
        if part is None:
            return None
        found |= part
    return frozenset(found)


def _combine(operands: tuple[Node, ...]) -> Anchors | None:
    combined: Anchors | None = None
    for part in map(anchors, operands):
        if part is None:
            continue
        if combined is None:
            combined = part
        elif len(combined) * len(part) <= MAX_ALTERNATIVES:
            combined = frozenset(left | right for left, right in product(combined, part))
        else:
            combined = max(combined, part, key=_selectivity)
    return combined


def _selectivity(option: Anchors) -> tuple[int, int, int]:
    """Prefer alternatives of rare literals, then longer ones, then fewer alternatives."""
    weakest = min(option, key=_strength)
    return (*_strength(weakest), -len(option))


def _strength(alternative: Alternative) -> tuple[int, int]:
    rare = [anchor for anchor in alternative if not anchor.common]
    return (len(rare), sum(len(anchor.literal) for anchor in alternative))
