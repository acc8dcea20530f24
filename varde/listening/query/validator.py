"""Everything wrong or risky about a query, as the user types: `check(text)`.

The parser reports what stops the text from being read at all; this module adds what a read
query can still get wrong — caps on costly constructs (limits.py), shapes NEAR cannot measure,
unknown fields, and queries that would match nearly every post. Each finding is a `Problem`
with a code and a position; `messages.problem_message` words it for the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from varde.listening.query.anchors import anchors
from varde.listening.query.limits import (
    MAX_NEAR_DISTANCE,
    MAX_WILDCARDS,
    MIN_WILDCARD_PREFIX,
    WILDCARD_CHARS,
)
from varde.listening.query.nodes import And, Field, FieldName, Near, Node, Not, Or, Phrase, Term
from varde.listening.query.parser import parse
from varde.listening.query.problems import Code, Problem, has_errors, problem

_FIELD_NAMES = ", ".join(name.value + ":" for name in FieldName)


@dataclass(frozen=True, slots=True)
class Checked:
    """A query's tree (None if it could not be read) and every problem, in text order."""

    text: str
    node: Node | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when it can be saved and run (warnings allowed)."""
        return self.node is not None and not has_errors(self.problems)


def check(text: str) -> Checked:
    if not text.strip():
        return Checked(text, None, (problem(Code.EMPTY_QUERY, (0, len(text))),))
    parsed = parse(text)
    found = list(parsed.problems)
    if parsed.node is not None:
        found.extend(_tree_problems(parsed.node, text))
    return Checked(text, parsed.node, tuple(sorted(found, key=lambda item: item.start)))


def validate(text: str) -> list[Problem]:
    """The problems alone, for callers that do not need the tree."""
    return list(check(text).problems)


def _tree_problems(root: Node, text: str) -> list[Problem]:
    found: list[Problem] = []
    for node in walk(root):
        found.extend(_node_problems(node))
    found.extend(_wildcard_count_problems(root, text))
    found.extend(_letterless_terms(root, text))
    if not any(item.code is Code.NOT_ONLY_GROUP for item in found):
        found.extend(_breadth_problems(root))
    return found


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, Not):
        yield from walk(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from walk(operand)
    elif isinstance(node, Near):
        yield from walk(node.left)
        yield from walk(node.right)


def _node_problems(node: Node) -> list[Problem]:
    if isinstance(node, Term):
        return _term_problems(node)
    if isinstance(node, Phrase) and not node.terms:
        return [problem(Code.EMPTY_PHRASE, node.span)]
    if isinstance(node, Field):
        return _field_problems(node)
    if isinstance(node, Near):
        return _near_problems(node)
    if isinstance(node, Or):
        return [
            problem(Code.NOT_ONLY_GROUP, operand.span)
            for operand in node.operands
            if is_negative(operand)
        ]
    return []


def _letterless_terms(root: Node, text: str) -> list[Problem]:
    """A word that folds to nothing (only combining marks, say) can match nothing, and gives
    the pre-filter an empty word to look for, which it cannot (found by tests/security)."""
    terms = [node for node in walk(root) if isinstance(node, Term)]
    terms += [term for node in walk(root) if isinstance(node, Phrase) for term in node.terms]
    return [
        problem(Code.UNEXPECTED_CHARACTER, term.span, char=text[term.span[0] : term.span[1]])
        for term in terms
        if not term.value
    ]


def _term_problems(term: Term) -> list[Problem]:
    positions = [term.value.index(char) for char in WILDCARD_CHARS if char in term.value]
    if positions and min(positions) < MIN_WILDCARD_PREFIX:
        return [problem(Code.WILDCARD_TOO_SHORT, term.span, minimum=MIN_WILDCARD_PREFIX)]
    return []


def _field_problems(node: Field) -> list[Problem]:
    if node.name not in set(FieldName):
        return [problem(Code.UNKNOWN_FIELD, node.span, field=node.name, known=_FIELD_NAMES)]
    if not node.value:
        return [problem(Code.EMPTY_FIELD_VALUE, node.span, field=node.name)]
    return []


def _near_problems(node: Near) -> list[Problem]:
    found = [
        problem(Code.NEAR_OPERAND, side.span)
        for side in (node.left, node.right)
        if not is_proximity_operand(side)
    ]
    if node.distance > MAX_NEAR_DISTANCE:
        found.append(
            problem(
                Code.NEAR_TOO_WIDE, node.span, distance=node.distance, maximum=MAX_NEAR_DISTANCE
            )
        )
    return found


def is_proximity_operand(node: Node) -> bool:
    """What NEAR can measure: words, phrases, other NEARs, and OR groups of those."""
    if isinstance(node, Term | Phrase | Near):
        return True
    if isinstance(node, Or):
        return all(is_proximity_operand(operand) for operand in node.operands)
    return False


def is_negative(node: Node) -> bool:
    """True when the node only excludes: NOT x, or an AND of nothing but NOTs."""
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(is_negative(operand) for operand in node.operands)
    return False


def _wildcard_count_problems(root: Node, text: str) -> list[Problem]:
    count = sum(node.wildcards for node in walk(root) if isinstance(node, Term))
    if count > MAX_WILDCARDS:
        return [
            problem(Code.TOO_MANY_WILDCARDS, (0, len(text)), count=count, maximum=MAX_WILDCARDS)
        ]
    return []


def _breadth_problems(root: Node) -> list[Problem]:
    """Queries that would match almost every post: only NOTs, no words needed, common words.

    Skipped when an OR already has a NOT-only side: that error says the same thing, better.
    """
    if is_negative(root):
        return [problem(Code.NOT_ONLY_QUERY, root.span)]
    needed = anchors(root)
    if needed is None:
        return [problem(Code.NO_TEXT_TERMS, root.span)]
    weak = {
        anchor.term.span: anchor
        for alternative in needed
        if all(anchor.common for anchor in alternative)
        for anchor in alternative
    }
    return [
        problem(Code.TOO_COMMON_TERM, span, term=anchor.literal)
        for span, anchor in sorted(weak.items())
    ]
