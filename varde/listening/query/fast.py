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
Test = Callable[["FoldedPost"], bool]
Finder = Callable[["FoldedPost"], Spans]

_RUN = re.compile(r"\w+")
_MARKS = re.compile("[\u0300-\u036f]")


def needs_reference(nfc_text: str) -> bool:
    """True when the post holds a combining mark, where folding can change the words."""
    return not nfc_text.isascii() and _MARKS.search(nfc_text) is not None


class FoldedPost:
    """One post's folded text, its handles, and the spans found so far (shared by queries)."""

    __slots__ = ("_handles", "cache", "count_text", "document", "text")

    def __init__(self, text: str, document: Document) -> None:
        self.text = text
        self.document = document
        self.cache: dict[tuple[TokenKind, str], Spans] = {}
        self._handles: Spans = []
        self.count_text = text
        if "@" in text:
            self._find_handles()

    def _find_handles(self) -> None:
        """Handle bodies as the tokeniser sees them; in `count_text` each becomes one run."""
        pieces, last = [], 0
        for found in TOKEN_PATTERN.finditer(self.text):
            if found.lastgroup == TokenKind.HANDLE:
                start, end = found.span(TokenKind.HANDLE.value)
                self._handles.append((start, end))
                pieces += [self.text[last:start], "h", " " * (end - start - 1)]
                last = end
        if self._handles:
            self.count_text = "".join([*pieces, self.text[last:]])

    def handle_at(self, position: int) -> Span | None:
        """The handle whose body holds this position, if any."""
        for span in self._handles:
            if span[0] <= position < span[1]:
                return span
        return None

    @property
    def handles(self) -> Spans:
        return self._handles

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
    text, found = post.text, []
    at = text.find(value) if value else -1
    while at != -1:
        end = at + len(value)
        if _starts_word(text, at) and _ends_word(text, end):
            handle = post.handle_at(at) if post.handles else None
            if handle is None or handle == (at, end):
                found.append((at, end))
        at = text.find(value, at + 1)
    return found


def _hashtag_spans(post: FoldedPost, value: str) -> Spans:
    text, found, needle = post.text, [], "#" + value
    at = text.find(needle) if value else -1
    while at != -1:
        end = at + len(needle)
        if _starts_word(text, at) and _ends_word(text, end):
            found.append((at + 1, end))
        at = text.find(needle, at + 1)
    return found


def _handle_spans(post: FoldedPost, value: str) -> Spans:
    return [span for span in post.handles if post.text[span[0] : span[1]] == value]


def _wildcard_spans(post: FoldedPost, term: Term) -> Spans:
    """Words of the kind whose whole value fits the wildcard pattern."""
    pattern = wildcard_pattern(term.value)
    if term.kind is TokenKind.HANDLE:
        return [span for span in post.handles if pattern.fullmatch(post.text, *span)]
    text, found = post.text, []
    cut = min(term.value.index(char) for char in WILDCARD_CHARS if char in term.value)
    sign = "#" if term.kind is TokenKind.HASHTAG else ""
    needle = sign + term.value[:cut]
    at = text.find(needle)
    while at != -1:
        start = at + len(sign)
        if _starts_word(text, at):
            span = _word_at(post, start)
            if span is not None and pattern.fullmatch(text, *span):
                found.append(span)
        at = text.find(needle, at + 1)
    return found


def _word_at(post: FoldedPost, start: int) -> Span | None:
    """The word that starts here: a run of word characters, or a whole handle body."""
    handle = post.handle_at(start) if post.handles else None
    if handle is not None:
        return handle if handle[0] == start else None
    found = _RUN.match(post.text, start)
    return None if found is None else found.span()


def _term_finder(term: Term) -> Finder:
    """The term's spans, computed once per post (queries share brand words) and cached."""
    key = (term.kind, term.value)
    if any(char in term.value for char in WILDCARD_CHARS):

        def search(post: FoldedPost) -> Spans:
            return _wildcard_spans(post, term)

    else:
        plain, value = _PLAIN[term.kind], term.value

        def search(post: FoldedPost) -> Spans:
            return plain(post, value)

    def cached(post: FoldedPost) -> Spans:
        spans = post.cache.get(key)
        if spans is None:
            spans = post.cache[key] = search(post)
        return spans

    return cached


_PLAIN: dict[TokenKind, Callable[[FoldedPost, str], Spans]] = {
    TokenKind.WORD: _word_spans,
    TokenKind.HASHTAG: _hashtag_spans,
    TokenKind.HANDLE: _handle_spans,
}


def _phrase_finder(phrase: Phrase) -> Finder:
    finders = [_term_finder(term) for term in phrase.terms]

    def find(post: FoldedPost) -> Spans:
        current = finders[0](post) if finders else []
        for finder in finders[1:]:
            if not current:
                return current
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
    """The query as one closure: post → does it match (the meaning of `evaluate.holds`)."""
    if isinstance(node, And):
        tests = [compile_test(operand) for operand in node.operands]
        return lambda post: all(test(post) for test in tests)
    if isinstance(node, Or):
        tests = [compile_test(operand) for operand in node.operands]
        return lambda post: any(test(post) for test in tests)
    if isinstance(node, Not):
        test = compile_test(node.operand)
        return lambda post: not test(post)
    if isinstance(node, Field):
        field = node
        return lambda post: field_holds(field, post.document)
    find = finder(node)
    return lambda post: bool(find(post))
