"""Many queries against a stream of posts, in one pass per post: `compile_queries(...).match(doc)`.

Evaluating every query on every post would cost (queries × posts). Instead every query's
anchors (anchors.py: literals it cannot match without) go into one Aho-Corasick automaton
(ahocorasick-rs). Per post: fold the text once, run the automaton once, and evaluate the
boolean/NEAR/field logic (evaluate.py) only for the queries whose anchors occurred, plus the
few that have no anchor at all (the validator warns about those). Most posts hit no anchor and
cost one fold and one automaton scan; the text is cut into words only when a candidate exists.

A query with errors is not compiled: it is listed in `Matcher.rejected` with its problems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ahocorasick_rs import MATCHKIND_STANDARD, AhoCorasick

from varde.listening.query.anchors import anchors
from varde.listening.query.common_words import COMMON_WORDS, MIN_USEFUL_LITERAL
from varde.listening.query.evaluate import Document, DocumentView, holds, occurrences
from varde.listening.query.nodes import And, Near, Node, Or, Phrase, Term
from varde.listening.query.normalise import fold, nfc
from varde.listening.query.validator import check

if TYPE_CHECKING:
    from varde.listening.query.problems import Problem

QueryId = Hashable


@dataclass(frozen=True, slots=True)
class Hit:
    """One place where a query's word or phrase matched: the query's span and the post's span.

    `query_start`/`query_end` index the query text; `start`/`end` index the post's text (its
    NFC form, the text itself for nearly every post), so the UI can underline both.
    """

    query_start: int
    query_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a post matched a query: every positive word or phrase of the query found in it."""

    query_id: QueryId
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    query_id: QueryId
    node: Node


class Matcher:
    """Compiled queries and their shared automaton; immutable once built, safe to share."""

    def __init__(
        self,
        queries: list[CompiledQuery],
        rejected: dict[QueryId, tuple[Problem, ...]],
    ) -> None:
        self.queries = tuple(queries)
        self.rejected = rejected
        keys: dict[tuple[str, bool], int] = {}
        # Each alternative: the query it belongs to and the literal keys it needs, the first of
        # which is its trigger (see candidates).
        self._alternatives: list[tuple[int, tuple[int, ...]]] = []
        unanchored = []
        for number, query in enumerate(self.queries):
            needed = anchors(query.node)
            if needed is None:
                unanchored.append(number)
                continue
            for alternative in needed:
                wanted = {keys.setdefault((a.literal, a.whole), len(keys)) for a in alternative}
                self._alternatives.append((number, tuple(wanted)))
        self._alternatives = _trigger_first(self._alternatives, keys)
        self._unanchored = frozenset(unanchored)
        self.literals = tuple(dict.fromkeys(literal for literal, _ in keys))
        literal_number = {literal: number for number, literal in enumerate(self.literals)}
        # For each automaton pattern: its key as a word prefix and as a whole word (or -1).
        self._keys_of_literal = [[-1, -1] for _ in self.literals]
        for (literal, whole), key in keys.items():
            self._keys_of_literal[literal_number[literal]][int(whole)] = key
        self._alternatives_of_key: list[list[int]] = [[] for _ in keys]
        for alternative_number, (_, needs) in enumerate(self._alternatives):
            self._alternatives_of_key[needs[0]].append(alternative_number)
        self._automaton = (
            AhoCorasick(list(self.literals), matchkind=MATCHKIND_STANDARD)
            if self.literals
            else None
        )

    def candidates(self, folded_text: str) -> set[int]:
        """Numbers of the queries worth evaluating on a post with this folded text.

        An alternative is looked at only when its trigger literal was seen, so a common word
        that many queries AND with their brand costs nothing until the brand itself occurs.
        """
        found = set(self._unanchored)
        if self._automaton is None:
            return found
        seen = self._seen_keys(folded_text)
        touched = {number for key in seen for number in self._alternatives_of_key[key]}
        for alternative_number in touched:
            query_number, wanted = self._alternatives[alternative_number]
            if query_number not in found and all(key in seen for key in wanted):
                found.add(query_number)
        return found

    def _seen_keys(self, folded_text: str) -> set[int]:
        """Literal keys found where a word starts (and, for whole words, where one ends)."""
        assert self._automaton is not None  # noqa: S101 - checked by the caller
        seen: set[int] = set()
        length = len(folded_text)
        for number, start, end in self._automaton.find_matches_as_indexes(
            folded_text, overlapping=True
        ):
            if start and _is_word_char(folded_text[start - 1]):
                continue
            prefix_key, whole_key = self._keys_of_literal[number]
            if prefix_key >= 0:
                seen.add(prefix_key)
            if whole_key >= 0 and (end == length or not _is_word_char(folded_text[end])):
                seen.add(whole_key)
        return seen

    def match(self, document: Document) -> list[QueryId]:
        """The ids of the queries that match, in the order they were compiled."""
        text = nfc(document.text)
        numbers = self.candidates(fold(text))
        if not numbers:
            return []
        view = DocumentView(document, text)
        return [
            self.queries[number].query_id
            for number in sorted(numbers)
            if holds(self.queries[number].node, view)
        ]

    def explain(self, document: Document) -> list[Explanation]:
        """`match` plus, for each matching query, where its words were found."""
        text = nfc(document.text)
        numbers = self.candidates(fold(text))
        view = DocumentView(document, text)
        return [
            Explanation(query.query_id, tuple(_hits(query.node, view)))
            for query in (self.queries[number] for number in sorted(numbers))
            if holds(query.node, view)
        ]


def _trigger_first(
    alternatives: list[tuple[int, tuple[int, ...]]], keys: dict[tuple[str, bool], int]
) -> list[tuple[int, tuple[int, ...]]]:
    """Put first in each alternative the literal most likely to be rare in posts.

    Posts are not known at compile time, so rarity is guessed from the queries: a literal
    that many alternatives share ("service", "pris") is a topic word, one that few share is a
    brand. Common words go last; ties go to the longer literal.
    """
    shared = Counter(key for _, wanted in alternatives for key in wanted)
    literal_of = {key: literal for (literal, _), key in keys.items()}

    def rarity(key: int) -> tuple[bool, int, int]:
        literal = literal_of[key].lstrip("#@")
        common = literal in COMMON_WORDS or len(literal) < MIN_USEFUL_LITERAL
        return (common, shared[key], -len(literal))

    return [(number, tuple(sorted(wanted, key=rarity))) for number, wanted in alternatives]


def _is_word_char(char: str) -> bool:
    """The same word characters as `normalise.TOKEN_PATTERN` (what re's \\w means, and marks)."""
    return char.isalnum() or char == "_" or "\u0300" <= char <= "\u036f"


def compile_queries(queries: Iterable[tuple[QueryId, str]]) -> Matcher:
    """Check and compile (id, query text) pairs; ids must be unique."""
    compiled = []
    rejected: dict[QueryId, tuple[Problem, ...]] = {}
    seen: set[QueryId] = set()
    for query_id, text in queries:
        if query_id in seen:
            raise ValueError(f"duplicate query id {query_id!r}")
        seen.add(query_id)
        checked = check(text)
        if checked.ok and checked.node is not None:
            compiled.append(CompiledQuery(query_id, checked.node))
        else:
            rejected[query_id] = checked.problems
    return Matcher(compiled, rejected)


def _hits(node: Node, view: DocumentView) -> list[Hit]:
    """Every positive word or phrase of the query that occurs in the post, in post order."""
    found: set[Hit] = set()
    for leaf in _positive_leaves(node):
        for first, last in occurrences(leaf, view):
            start, end = view.tokens[first].start, view.tokens[last].end
            found.add(Hit(leaf.span[0], leaf.span[1], start, end))
    return sorted(found, key=lambda hit: (hit.start, hit.query_start))


def _positive_leaves(node: Node) -> list[Term | Phrase]:
    """Words and phrases not under a NOT: what a match can be explained by."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for operand in node.operands for leaf in _positive_leaves(operand)]
    if isinstance(node, Near):
        return _positive_leaves(node.left) + _positive_leaves(node.right)
    return []
