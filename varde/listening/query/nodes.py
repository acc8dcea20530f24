"""The query's syntax tree: small frozen dataclasses the validator and the matcher walk.

Values are stored folded (see `normalise`), so evaluation compares like with like. `span` is
the (start, end) character range in the query text, for error positions and "why" highlights;
it is left out of equality so that trees compare by meaning in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from varde.listening.query.limits import WILDCARD_CHARS
from varde.listening.query.normalise import TokenKind

Span = tuple[int, int]
NO_SPAN: Span = (0, 0)


@dataclass(frozen=True, slots=True)
class Term:
    """One word, hashtag or handle; `value` is folded, without the sign, and may hold * or ?."""

    value: str
    kind: TokenKind = TokenKind.WORD
    span: Span = field(default=NO_SPAN, compare=False)

    @property
    def wildcards(self) -> int:
        return sum(self.value.count(char) for char in WILDCARD_CHARS)


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must stand next to each other, in this order ("quoted", or e-post)."""

    terms: tuple[Term, ...]
    span: Span = field(default=NO_SPAN, compare=False)


class FieldName(StrEnum):
    LANG = "lang"
    AUTHOR = "author"
    SITE = "site"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class Field:
    """A condition on the document's metadata, not its text (lang:no, site:vg.no)."""

    name: str  # a FieldName when valid; kept as typed so the validator can name the unknown one
    value: str
    span: Span = field(default=NO_SPAN, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    span: Span = field(default=NO_SPAN, compare=False)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]
    span: Span = field(default=NO_SPAN, compare=False)
    bracketed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]
    span: Span = field(default=NO_SPAN, compare=False)
    bracketed: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides within `distance` words of each other (words between them, at most).

    `ordered` (NEAR/nf) also requires the left side to come first.
    """

    left: Node
    right: Node
    distance: int
    ordered: bool = False
    span: Span = field(default=NO_SPAN, compare=False)


Node = Term | Phrase | Field | Not | And | Or | Near
TextNode = Term | Phrase
