"""Building term, phrase and field nodes from the lexemes the grammar matched.

Query words go through the same `normalise.tokenise` as documents, so a query word that the
text would cut in two ("e-post", "vg.no") becomes a phrase of those words and matches exactly
what a post containing it would be cut into.
"""

from __future__ import annotations

from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.nodes import Field, Node, Phrase, Span, Term
from varde.listening.query.normalise import TokenKind, fold, nfc, tokenise
from varde.listening.query.problems import Code, Problem, problem

_OPERATOR_WORDS = frozenset({"and", "or", "not"})
_SIGIL_KIND = {"#": TokenKind.HASHTAG, "@": TokenKind.HANDLE}


def _has_wildcard(text: str) -> bool:
    return any(char in text for char in WILDCARD_CHARS)


def word_node(raw: str, span: Span, problems: list[Problem]) -> Node:
    """A bare word: one Term, or a Phrase when the text's rules cut it into several words."""
    if raw.lower() in _OPERATOR_WORDS and raw != raw.upper():
        problems.append(problem(Code.LOWERCASE_OPERATOR, span, word=raw, operator=raw.upper()))
    if _has_wildcard(raw):
        if len(tokenise(nfc(_strip_wildcards(raw)))) > 1:
            problems.append(problem(Code.WILDCARD_IN_PHRASE, span))
        else:
            return Term(fold(nfc(raw)), TokenKind.WORD, span)
    words = _terms(raw, span)
    if len(words) == 1:
        return words[0]
    return Phrase(words, span)


def sigil_term(raw: str, span: Span) -> Term:
    """#tag or @handle: the grammar already guarantees the shape, wildcards included."""
    return Term(fold(nfc(raw[1:])), _SIGIL_KIND[raw[0]], span)


def phrase_node(raw: str, span: Span, problems: list[Problem]) -> Phrase:
    content = raw[1:-1]
    if _has_wildcard(content):
        problems.append(problem(Code.WILDCARD_IN_PHRASE, span))
    return Phrase(_terms(content, span), span)


def field_node(raw: str, span: Span) -> Field:
    name, _, value = raw.partition(":")
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    return Field(name.lower(), value.strip(), span)


def _terms(text: str, span: Span) -> tuple[Term, ...]:
    return tuple(Term(token.value, token.kind, span) for token in tokenise(nfc(text)))


def _strip_wildcards(text: str) -> str:
    return "".join(char for char in text if char not in WILDCARD_CHARS)
