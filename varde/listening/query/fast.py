"""The matcher's evaluator: queries compiled to closures that read a post's folded text directly.

`evaluate.holds` is the reference: it cuts the post into `Token`s and indexes them, which costs
far more than deciding a query. This module decides the same thing on the folded text itself:

- A post whose NFC text holds no combining mark (U+0300–U+036F) is cut into the same words
  whether it is folded first or word by word: folding keeps every character's kind (word
  character or not) and never makes or removes `#`, `@`, `.` or `-`; `tests/test_query_fast.py`
  checks that for every code point. So its folded text is searched with `str.find` and the
  words are the runs of word characters, except that a handle (`@ola.bsky.social`) is one word.
  A post with a combining mark goes through `evaluate.holds` (`needs_reference`).
- An occurrence is a (start, end) character span of the folded text, from the first word's
  first character to the last word's end; the number of words between two occurrences is the
  number of word runs between them in `count_text`, where each handle counts as one run.

The Hypothesis property in tests/test_query_properties.py checks that `Matcher.match`, which
uses this module, agrees with `evaluate.holds` on generated queries and posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from varde.listening.query.evaluate import Document, field_holds, wildcard_pattern
from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from varde.listening.query.normalise import TOKEN_PATTERN, TokenKind

Span = tuple[int, int]
Spans = list[Span]
Test = Callable[["FoldedPost"], object]  # truthy: the query matches
Finder = Callable[["FoldedPost"], Spans]

_RUN = re.compile(r"\w+")
_MARKS = re.compile("[\u0300-\u036f]")


def needs_reference(nfc_text: str) -> bool:
    """True when the post holds a combining mark, where folding can change the words."""
    return not nfc_text.isascii() and _MARKS.search(nfc_text) is not None


class FoldedPost:
    """One post's folded text, its handles, and the spans found so far (shared by queries).

    Handles are looked for only when a query needs them (most posts have none): a word can
    only be inside a handle when it follows "@", "." or "-" and the text holds an "@".
    """

    __slots__ = ("_count_text", "_handles", "cache", "document", "text")

    def __init__(self, text: str, document: Document) -> None:
        self.text = text
        self.document = document
        self.cache: dict[str, Spans] = {}
        self._handles: Spans | None = None if "@" in text else []
        self._count_text: str | None = None if "@" in text else text

    @property
    def handles(self) -> Spans:
        """Handle bodies as the tokeniser sees them."""
        if self._handles is None:
            self._handles = [
                found.span(TokenKind.HANDLE.value)
                for found in TOKEN_PATTERN.finditer(self.text)
                if found.lastgroup == TokenKind.HANDLE
            ]
        return self._handles

    @property
    def count_text(self) -> str:
        """The text with each handle body made one run of word characters, to count words."""
        if self._count_text is None:
            pieces, last = [], 0
            for start, end in self.handles:
                pieces += [self.text[last:start], "h", " " * (end - start - 1)]
                last = end
            self._count_text = "".join([*pieces, self.text[last:]])
        return self._count_text

    def handle_at(self, position: int) -> Span | None:
        """The handle whose body holds this word start, if any (cheap when there is none)."""
        if not position or self.text[position - 1] not in "@.-" or self._handles == []:
            return None
        for span in self.handles:
            if span[0] <= position < span[1]:
                return span
        return None

    def words_between(self, end: int, start: int) -> int:
        return len(_RUN.findall(self.count_text, end, start))

    def next_word(self, position: int) -> int:
        """Where the first word at or after this position starts (-1: none)."""
        found = _RUN.search(self.count_text, position)
        return -1 if found is None else found.start()


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _starts_word(text: str, position: int) -> bool:
    return position == 0 or not _is_word_char(text[position - 1])


def _ends_word(text: str, end: int) -> bool:
    return end == len(text) or not _is_word_char(text[end])


def _word_spans(post: FoldedPost, value: str) -> Spans:
    """Words (and hashtag or handle bodies) equal to `value`."""
    text = post.text
    at = text.find(value) if value else -1
    if at == -1:
        return []
    found, size, length = [], len(text), len(value)
    while at != -1:
        end = at + length
        before = text[at - 1] if at else " "
        after = text[end] if end < size else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            handle = post.handle_at(at)
            if handle is None or handle == (at, end):
                found.append((at, end))
        at = text.find(value, at + 1)
    return found


def _hashtag_spans(post: FoldedPost, value: str) -> Spans:
    text, needle = post.text, "#" + value
    at = text.find(needle) if value else -1
    if at == -1:
        return []
    found, size, length = [], len(text), len(needle)
    while at != -1:
        end = at + length
        before = text[at - 1] if at else " "
        after = text[end] if end < size else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            found.append((at + 1, end))
        at = text.find(needle, at + 1)
    return found


def _handle_spans(post: FoldedPost, value: str) -> Spans:
    return [span for span in post.handles if post.text[span[0] : span[1]] == value]


def _wildcard_finder(term: Term) -> Callable[[FoldedPost], Spans]:
    """Words of the term's kind whose whole value fits the wildcard pattern."""
    pattern = wildcard_pattern(term.value)
    if term.kind is TokenKind.HANDLE:
        return lambda post: [span for span in post.handles if pattern.fullmatch(post.text, *span)]
    cut = min(term.value.index(char) for char in WILDCARD_CHARS if char in term.value)
    sign = "#" if term.kind is TokenKind.HASHTAG else ""
    needle = sign + term.value[:cut]

    def find(post: FoldedPost) -> Spans:
        text, found = post.text, []
        at = text.find(needle)
        while at != -1:
            if _starts_word(text, at):
                span = _word_at(post, at + len(sign))
                if span is not None and pattern.fullmatch(text, *span):
                    found.append(span)
            at = text.find(needle, at + 1)
        return found

    return find


def _word_at(post: FoldedPost, start: int) -> Span | None:
    """The word that starts here: a run of word characters, or a whole handle body."""
    handle = post.handle_at(start)
    if handle is not None:
        return handle if handle[0] == start else None
    found = _RUN.match(post.text, start)
    return None if found is None else found.span()


def _term_finder(term: Term) -> Finder:
    """The term's spans, computed once per post (queries share brand words) and cached."""
    key = f"{term.kind.value}:{term.value}"
    if any(char in term.value for char in WILDCARD_CHARS):
        search = _wildcard_finder(term)
    else:
        plain, value = _PLAIN[term.kind], term.value

        def search(post: FoldedPost) -> Spans:
            return plain(post, value)

    def cached(post: FoldedPost) -> Spans:
        cache = post.cache
        if key in cache:
            return cache[key]
        spans = cache[key] = search(post)
        return spans

    return cached


_PLAIN: dict[TokenKind, Callable[[FoldedPost, str], Spans]] = {
    TokenKind.WORD: _word_spans,
    TokenKind.HASHTAG: _hashtag_spans,
    TokenKind.HANDLE: _handle_spans,
}


def _phrase_finder(phrase: Phrase) -> Finder:
    """The first word's spans, then for each the words that follow, checked in place."""
    if not phrase.terms:
        return _nowhere
    first, rest = _term_finder(phrase.terms[0]), phrase.terms[1:]
    if any(_has_wildcard(term) for term in rest):  # the validator refuses it; be safe anyway
        return _chained_phrase_finder(phrase)

    def find(post: FoldedPost) -> Spans:
        found = []
        for start, first_end in first(post):
            end = first_end
            for term in rest:
                end = _term_at(post, term, post.next_word(end))
                if end < 0:
                    break
            else:
                found.append((start, end))
        return found

    return find


def _has_wildcard(term: Term) -> bool:
    return any(char in term.value for char in WILDCARD_CHARS)


def _term_at(post: FoldedPost, term: Term, start: int) -> int:
    """Where the word starting at `start` ends if it is this term (no wildcards), else -1."""
    if start < 0:
        return -1
    text, value = post.text, term.value
    handle = post.handle_at(start)
    if handle is not None:
        matches = term.kind is not TokenKind.HASHTAG and text[handle[0] : handle[1]] == value
        return handle[1] if matches and handle[0] == start else -1
    end = start + len(value)
    if (
        term.kind is TokenKind.HANDLE
        or not text.startswith(value, start)
        or not _ends_word(text, end)
    ):
        return -1
    if term.kind is TokenKind.HASHTAG and not (
        start and text[start - 1] == "#" and _starts_word(text, start - 1)
    ):
        return -1
    return end


def _chained_phrase_finder(phrase: Phrase) -> Finder:
    finders = [_term_finder(term) for term in phrase.terms]

    def find(post: FoldedPost) -> Spans:
        current = finders[0](post)
        for finder in finders[1:]:
            following = dict(finder(post))
            current = [
                (start, following[after])
                for start, end in current
                if (after := post.next_word(end)) in following
            ]
        return current

    return find


def _near_finder(near: Near) -> Finder:
    left, right = finder(near.left), finder(near.right)
    distance, ordered = near.distance, near.ordered

    def find(post: FoldedPost) -> Spans:
        lefts = left(post)
        if not lefts:
            return lefts
        rights = right(post)
        found = set()
        for one in lefts:
            for other in rights:
                if _within(post, one, other, distance) or (
                    not ordered and _within(post, other, one, distance)
                ):
                    found.add((min(one[0], other[0]), max(one[1], other[1])))
        return sorted(found)

    return find


def _within(post: FoldedPost, first: Span, second: Span, distance: int) -> bool:
    """`first` wholly before `second`, with at most `distance` words between them."""
    return first[1] <= second[0] and post.words_between(first[1], second[0]) <= distance


def _or_finder(node: Or) -> Finder:
    finders = [finder(operand) for operand in node.operands]

    def find(post: FoldedPost) -> Spans:
        return sorted({span for one in finders for span in one(post)})

    return find


def finder(node: Node) -> Finder:
    """Where a word, phrase, NEAR or OR of those stands; nothing for the rest (as `occurrences`)."""
    if isinstance(node, Term):
        return _term_finder(node)
    if isinstance(node, Phrase):
        return _phrase_finder(node)
    if isinstance(node, Near):
        return _near_finder(node)
    if isinstance(node, Or):
        return _or_finder(node)
    return _nowhere


def _nowhere(post: FoldedPost) -> Spans:
    return []


def compile_test(node: Node) -> Test:
    """The query as closures: post → truthy when it matches (the meaning of `evaluate.holds`).

    Every AND and OR is one loop over its operands, cheapest first (they have no side effects,
    so the order does not change the result); a word, phrase or NEAR is its finder, whose list
    of spans is truthy when it occurs. Closures of one shape share their code, which stays
    warm across thousands of queries.
    """
    if isinstance(node, And | Or):
        tests = tuple(compile_test(operand) for operand in sorted(node.operands, key=_cost))
        return _all_of(tests) if isinstance(node, And) else _any_of(tests)
    if isinstance(node, Not):
        inner = compile_test(node.operand)
        return lambda post: not inner(post)
    if isinstance(node, Field):
        field = node
        return lambda post: field_holds(field, post.document)
    return finder(node)


# Plain loops, not all()/any() over a generator: this is the hot path, and a generator costs a
# frame per call.
def _all_of(tests: tuple[Test, ...]) -> Test:
    def test(post: FoldedPost) -> bool:
        for one in tests:  # noqa: SIM110 - see above
            if not one(post):
                return False
        return True

    return test


def _any_of(tests: tuple[Test, ...]) -> Test:
    def test(post: FoldedPost) -> bool:
        for one in tests:  # noqa: SIM110 - see above
            if one(post):
                return True
        return False

    return test


def _cost(node: Node) -> int:
    """A rough cost, to try cheap operands first (AND, OR and NOT have no side effects)."""
    if isinstance(node, Term):
        return 2 if _has_wildcard(node) else 1
    if isinstance(node, Field):
        return 1
    if isinstance(node, Not):
        return _cost(node.operand)
    if isinstance(node, Phrase):
        return 3
    if isinstance(node, Near):
        return 4 + _cost(node.left) + _cost(node.right)
    return sum(map(_cost, node.operands))
