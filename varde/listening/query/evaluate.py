"""Deciding whether one query matches one document, and where — the reference semantics.

The matcher calls this only for the few queries whose anchors occurred in a post; the property
tests call it for every query, and the two must agree. Word positions are token indexes from
`normalise.tokenise`, so "NEAR/3" counts words, never characters.

- A plain word matches a word token with the same folded value, and the body of a #tag or
  @handle ("aurora" matches "#Aurora"); `#aurora` matches only the hashtag, `@ola` only the
  handle.
- `*` stands for any number of letters or digits (none included), `?` for one or none.
- A phrase matches its words on consecutive positions.
- `a NEAR/n b`: an occurrence of each, on different words, with at most n words between them;
  NEAR/nf also needs a before b. A NEAR occurrence covers both sides, so NEARs can be chained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.nodes import And, Field, FieldName, Near, Node, Not, Or, Phrase, Term
from varde.listening.query.normalise import Token, TokenKind, fold, nfc, tokenise

Occurrence = tuple[int, int]  # first and last token index, inclusive
_NORWEGIAN = frozenset({"no", "nb", "nn", "nob", "nno", "nor"})


@dataclass(frozen=True, slots=True)
class Document:
    """A post as the matcher sees it; metadata empty when the source does not know it."""

    text: str
    lang: str = ""
    author: str = ""
    site: str = ""
    source: str = ""


class DocumentView:
    """A document cut into tokens and indexed by value, built once and shared by every query."""

    __slots__ = ("document", "indexes", "tokens")

    def __init__(self, document: Document, text: str | None = None) -> None:
        self.document = document
        self.tokens: list[Token] = tokenise(nfc(document.text) if text is None else text)
        self.indexes: dict[TokenKind, dict[str, list[int]]] = {kind: {} for kind in TokenKind}
        for position, token in enumerate(self.tokens):
            # A plain word also finds the body of a tag or handle, hence the WORD index for all.
            self.indexes[TokenKind.WORD].setdefault(token.value, []).append(position)
            if token.kind is not TokenKind.WORD:
                self.indexes[token.kind].setdefault(token.value, []).append(position)


def holds(node: Node, view: DocumentView) -> bool:
    if isinstance(node, And):
        return all(holds(operand, view) for operand in node.operands)
    if isinstance(node, Or):
        return any(holds(operand, view) for operand in node.operands)
    if isinstance(node, Not):
        return not holds(node.operand, view)
    if isinstance(node, Field):
        return field_holds(node, view.document)
    return bool(occurrences(node, view))


def occurrences(node: Node, view: DocumentView) -> list[Occurrence]:
    """Where a word, phrase, NEAR or OR of those stands; empty for what has no place."""
    if isinstance(node, Term):
        return [(position, position) for position in term_positions(node, view)]
    if isinstance(node, Phrase):
        return _phrase_occurrences(node, view)
    if isinstance(node, Near):
        return _near_occurrences(node, view)
    if isinstance(node, Or):
        return sorted({found for operand in node.operands for found in occurrences(operand, view)})
    return []


def term_positions(term: Term, view: DocumentView) -> list[int]:
    index = view.indexes[term.kind]
    if not any(char in term.value for char in WILDCARD_CHARS):
        return index.get(term.value, [])
    pattern = wildcard_pattern(term.value)
    return sorted(
        position
        for value, positions in index.items()
        if pattern.fullmatch(value)
        for position in positions
    )


@lru_cache(maxsize=4096)
def wildcard_pattern(value: str) -> re.Pattern[str]:
    """`*` → any run of letters or digits, `?` → one or none; everything else literal."""
    parts = {"*": r"[^\W_]*", "?": r"[^\W_]?"}
    return re.compile("".join(parts.get(char, re.escape(char)) for char in value))


def _phrase_occurrences(phrase: Phrase, view: DocumentView) -> list[Occurrence]:
    if not phrase.terms:
        return []
    first, rest = phrase.terms[0], phrase.terms[1:]
    tokens = view.tokens
    found = []
    for start in term_positions(first, view):
        end = start + len(rest)
        if end < len(tokens) and all(
            _token_matches(term, tokens[start + offset])
            for offset, term in enumerate(rest, start=1)
        ):
            found.append((start, end))
    return found


def _token_matches(term: Term, token: Token) -> bool:
    if term.kind is not TokenKind.WORD and token.kind is not term.kind:
        return False
    return token.value == term.value


def _near_occurrences(near: Near, view: DocumentView) -> list[Occurrence]:
    lefts = occurrences(near.left, view)
    if not lefts:
        return []
    rights = occurrences(near.right, view)
    found = {
        (min(left[0], right[0]), max(left[1], right[1]))
        for left in lefts
        for right in rights
        if _within(left, right, near.distance, ordered=near.ordered)
    }
    return sorted(found)


def _within(left: Occurrence, right: Occurrence, distance: int, *, ordered: bool) -> bool:
    """At most `distance` words between the two, which must not share a word."""
    if left[1] < right[0]:
        return right[0] - left[1] - 1 <= distance
    if not ordered and right[1] < left[0]:
        return left[0] - right[1] - 1 <= distance
    return False


def field_holds(node: Field, document: Document) -> bool:
    wanted = fold(nfc(node.value))
    if node.name == FieldName.LANG:
        return _language_matches(wanted, document.lang)
    if node.name == FieldName.AUTHOR:
        return wanted.lstrip("@") == fold(nfc(document.author)).lstrip("@")
    if node.name == FieldName.SITE:
        host, wanted = _host(document.site), _host(wanted)
        return bool(host) and (host == wanted or host.endswith("." + wanted))
    if node.name == FieldName.SOURCE:
        return wanted == fold(document.source)
    return False


def _language_matches(wanted: str, language: str) -> bool:
    """Compare primary subtags; every Norwegian code (no, nb, nn) counts as one language."""
    primary = language.replace("_", "-").split("-")[0].lower()
    if wanted in _NORWEGIAN:
        return primary in _NORWEGIAN
    return bool(primary) and primary == wanted


def _host(site: str) -> str:
    """A site may be given as a host or a URL; compare hosts without www. or a final dot."""
    host = urlsplit(site).hostname if "//" in site else site
    return (host or "").lower().rstrip(".").removeprefix("www.")
