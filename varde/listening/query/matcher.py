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

import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from ahocorasick_rs import MATCHKIND_STANDARD, AhoCorasick, Implementation

from varde.listening.query.anchors import anchors
from varde.listening.query.common_words import COMMON_WORDS, MIN_USEFUL_LITERAL
from varde.listening.query.evaluate import Document, DocumentView, holds, occurrences
from varde.listening.query.fast import FoldedPost, compile_test, needs_reference
from varde.listening.query.nodes import And, Near, Node, Or, Phrase, Term
from varde.listening.query.normalise import fold, fold_marking, nfc
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
        self._tests = tuple(compile_test(query.node) for query in self.queries)
        self._number_of = {query.query_id: number for number, query in enumerate(self.queries)}
        keys: dict[tuple[str, bool], int] = {}
        # Each alternative: the query it belongs to and the literal keys it needs, the first of
        # which is its trigger (see _trigger_first).
        alternatives: list[tuple[int, tuple[int, ...]]] = []
        unanchored = []
        for number, query in enumerate(self.queries):
            needed = anchors(query.node)
            if needed is None:
                unanchored.append(number)
                continue
            for alternative in needed:
                wanted = {keys.setdefault((a.literal, a.whole), len(keys)) for a in alternative}
                alternatives.append((number, tuple(wanted)))
        self._unanchored = frozenset(unanchored)
        # Only each alternative's trigger goes into the automaton: a query can only match a
        # post that holds one of its triggers, and a brand is rare where "service" is not.
        key_of = {key: literal_whole for literal_whole, key in keys.items()}
        queries_of: dict[str, set[int]] = {}
        whole_only: dict[str, bool] = {}
        for number, needs in _trigger_first(alternatives, keys):
            literal, whole = key_of[needs[0]]
            queries_of.setdefault(literal, set()).add(number)
            whole_only[literal] = whole_only.get(literal, True) and whole
        self.literals = tuple(queries_of)
        self._queries_of_literal = [frozenset(queries_of[literal]) for literal in self.literals]
        self._whole_only = [whole_only[literal] for literal in self.literals]
        self._automaton = (
            AhoCorasick(
                list(self.literals),
                matchkind=MATCHKIND_STANDARD,
                implementation=Implementation.DFA,
            )
            if self.literals
            else None
        )

    def match(self, document: Document) -> list[QueryId]:
        """The ids of the queries that match, in the order they were compiled."""
        return self.match_many([document])[0]

    def match_many(self, documents: Sequence[Document]) -> list[list[QueryId]]:
        """`match` for each document, one automaton pass for them all (the fast way in bulk)."""
        batch = _Batch(documents)
        found: list[list[QueryId]] = [[] for _ in documents]
        for index, numbers in self._candidates(batch).items():
            found[index] = self._evaluate(batch, index, numbers)
        return found

    def needs_evaluation(self, document: Document) -> bool:
        """Whether the pre-filter leaves any query to evaluate on this post (for benchmarks)."""
        return bool(self._candidates(_Batch([document])))

    def candidates(self, documents: Sequence[Document]) -> set[int]:
        """The positions of the posts that any query could match; the rest match none.

        The pre-filter reads the text alone, so a post's language and other fields need only
        be known for these (the pipeline detects languages for them only).
        """
        return set(self._candidates(_Batch(documents)))

    def explain(
        self, document: Document, matched: Sequence[QueryId] | None = None
    ) -> list[Explanation]:
        """`match` plus, for each matching query, where its words were found.

        `matched`, when the caller has just run `match` on this post, are the queries to
        explain: they are not decided again.
        """
        view = DocumentView(document, nfc(document.text))
        if matched is not None:
            return [
                Explanation(
                    query_id, tuple(_hits(self.queries[self._number_of[query_id]].node, view))
                )
                for query_id in matched
            ]
        numbers = self._candidates(_Batch([document])).get(0, set())
        return [
            Explanation(query.query_id, tuple(_hits(query.node, view)))
            for query in (self.queries[number] for number in sorted(numbers))
            if holds(query.node, view)
        ]

    def _candidates(self, batch: _Batch) -> dict[int, set[int]]:
        """For each post that needs it, the numbers of the queries worth evaluating on it.

        A trigger counts only where a word starts, and a whole word only where one also ends
        ("nike" is not found in "snike" or "nikesko"); the check runs only on the automaton's
        hits, which are rare because only triggers are in it.
        """
        found: dict[int, set[int]] = {}
        if self._unanchored:
            found = {index: set(self._unanchored) for index in range(len(batch.folded))}
        if self._automaton is None:
            return found
        text, starts = batch.text, batch.starts
        for number, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if start and _is_word_char(text[start - 1]):
                continue
            if self._whole_only[number] and end < len(text) and _is_word_char(text[end]):
                continue
            index = bisect_right(starts, start) - 1
            found.setdefault(index, set()).update(self._queries_of_literal[number])
        return found

    def _evaluate(self, batch: _Batch, index: int, numbers: set[int]) -> list[QueryId]:
        document = batch.documents[index]
        if index in batch.reference:
            view = DocumentView(document, nfc(document.text))
            return [
                self.queries[number].query_id
                for number in sorted(numbers)
                if holds(self.queries[number].node, view)
            ]
        post = FoldedPost(batch.folded[index], document)
        tests = self._tests
        return [self.queries[number].query_id for number in sorted(numbers) if tests[number](post)]


class _Batch:
    """Posts folded together: one casefold and one automaton pass over their joined texts.

    Folding is character by character, so folding the joined text and cutting it at the
    separators gives each post's folded text (checked by the property tests). Batches where
    joining cannot be used (a text holding the separator, text not in NFC) are folded one by
    one; a post with a combining mark is marked for the reference evaluation.
    """

    __slots__ = ("documents", "folded", "reference", "starts", "text")

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = documents
        texts = [document.text for document in documents]
        joined = _SEPARATOR.join(texts)
        self.reference: set[int] = set()
        if joined.count(_SEPARATOR) != len(texts) - 1 or not (
            joined.isascii() or unicodedata.is_normalized("NFC", joined)
        ):
            composed = [nfc(text) for text in texts]
            self.reference = {i for i, text in enumerate(composed) if needs_reference(text)}
            self.folded = [fold(text) for text in composed]
            self.text = _SEPARATOR.join(self.folded)
        else:
            if joined.isascii():
                self.text = joined.lower()
            else:
                self.text, marks = fold_marking(joined.casefold())
                if marks:
                    self.reference = {i for i, text in enumerate(texts) if needs_reference(text)}
            self.folded = self.text.split(_SEPARATOR) if texts else []
        self.starts = list(accumulate((len(text) + 1 for text in self.folded[:-1]), initial=0))


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


_SEPARATOR = "\x00"


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
