"""The literals a query cannot match without: what the matcher's automaton looks for.

`anchors(node)` returns a set of literals such that whenever the query matches a document, at
least one of them occurs in the document's folded text (a necessary condition, never a
sufficient one). The matcher only evaluates a query when one of its anchors was seen, so this
is what lets thousands of queries share one pass over each post. `None` means "no such set":
the query can match without any word of its own (only NOT or fields decide), and the matcher
has to evaluate it for every document.

Rules: a word anchors on itself (a wildcard word on its letters before the first wildcard), a
#tag or @handle on itself with its sign, a phrase on its longest word; AND and NEAR need every
positive operand, so any one of them will do and the most selective is picked; OR needs one
operand, so the union; NOT and fields give none.
"""

from __future__ import annotations

from dataclasses import dataclass

from varde.listening.query.common_words import COMMON_WORDS
from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from varde.listening.query.normalise import TokenKind

_SIGN = {TokenKind.WORD: "", TokenKind.HASHTAG: "#", TokenKind.HANDLE: "@"}


@dataclass(frozen=True, slots=True)
class Anchor:
    literal: str
    term: Term


Anchors = frozenset[Anchor]


def anchors(node: Node) -> Anchors | None:
    if isinstance(node, Term):
        return frozenset({Anchor(term_literal(node), node)})
    if isinstance(node, Phrase):
        return _phrase_anchors(node)
    if isinstance(node, Or):
        return _union(node.operands)
    if isinstance(node, And):
        return _best(node.operands)
    if isinstance(node, Near):
        return _best((node.left, node.right))
    assert isinstance(node, Not | Field)  # noqa: S101 - exhaustive over Node
    return None


def term_literal(term: Term) -> str:
    """The folded text a term's match must contain: the sign, then letters up to a wildcard."""
    value = term.value
    cut = min((value.index(char) for char in WILDCARD_CHARS if char in value), default=len(value))
    return _SIGN[term.kind] + value[:cut]


def _phrase_anchors(phrase: Phrase) -> Anchors | None:
    if not phrase.terms:
        return None
    longest = max(phrase.terms, key=lambda term: len(term_literal(term)))
    return frozenset({Anchor(term_literal(longest), longest)})


def _union(operands: tuple[Node, ...]) -> Anchors | None:
    found: set[Anchor] = set()
    for operand in operands:
        part = anchors(operand)
        if part is None:
            return None
        found |= part
    return frozenset(found)


def _best(operands: tuple[Node, ...]) -> Anchors | None:
    options = [part for part in map(anchors, operands) if part is not None]
    return max(options, key=_selectivity, default=None)


def _selectivity(option: Anchors) -> tuple[int, int, int]:
    """Prefer no common word, then the longest shortest literal, then the fewest literals."""
    literals = [anchor.literal.lstrip("#@") for anchor in option]
    no_common = int(not any(literal in COMMON_WORDS for literal in literals))
    return (no_common, min(len(literal) for literal in literals), -len(literals))
