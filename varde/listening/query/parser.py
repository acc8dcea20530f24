"""Text → syntax tree, or the syntax problems that stop it; never an exception.

Lark does the lexing and parsing; this module turns lark's tree into `nodes` and lark's errors
into `Problem`s with positions. Brackets are checked on lark's own token list first, because
the parser alone would report an unclosed "(" at the end of the text instead of at the bracket.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lark import Token as LarkToken
from lark import Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from varde.listening.query.grammar import PARSER
from varde.listening.query.limits import MAX_QUERY_LENGTH
from varde.listening.query.nodes import And, Field, Near, Node, Not, Or, Span
from varde.listening.query.problems import Code, Problem, problem
from varde.listening.query.terms import field_node, phrase_node, sigil_term, word_node

_OPERAND_TERMINALS = frozenset({"TERM", "PHRASE", "HASHTAG", "HANDLE", "FIELD", "LPAR"})
_PREFIX_OPERATORS = frozenset({"NOT", "MINUS"})


@dataclass(frozen=True, slots=True)
class Parsed:
    """The tree (None when there is none to give) and what the parser found on the way."""

    node: Node | None
    problems: tuple[Problem, ...]


def parse(text: str) -> Parsed:
    """Parse a query; problems stop at the first kind found (characters, brackets, syntax)."""
    if len(text) > MAX_QUERY_LENGTH:
        found = problem(
            Code.QUERY_TOO_LONG,
            (MAX_QUERY_LENGTH, len(text)),
            length=len(text),
            maximum=MAX_QUERY_LENGTH,
        )
        return Parsed(None, (found,))
    lexical = _lexical_problems(text)
    if lexical:
        return Parsed(None, tuple(lexical))
    try:
        tree = PARSER.parse(text)
    except UnexpectedInput as error:
        return Parsed(None, (_syntax_problem(text, error),))
    builder = _TreeBuilder()
    node = builder.transform(tree)
    return Parsed(node, tuple(builder.problems))


def _lexical_problems(text: str) -> list[Problem]:
    try:
        tokens = list(PARSER.lex(text))
    except UnexpectedCharacters as error:
        return [_character_problem(text, error.pos_in_stream or 0)]
    return _bracket_problems(tokens)


def _character_problem(text: str, position: int) -> Problem:
    char = text[position]
    if char == '"':
        return problem(Code.UNBALANCED_QUOTE, (position, len(text)))
    return problem(Code.UNEXPECTED_CHARACTER, (position, position + 1), char=char)


def _bracket_problems(tokens: list[LarkToken]) -> list[Problem]:
    """Every ")" without its "(" and every "(" never closed, each at its own position."""
    open_at: list[int] = []
    found = []
    for token in tokens:
        if token.type == "LPAR":
            open_at.append(_start(token))
        elif token.type == "RPAR" and open_at:
            open_at.pop()
        elif token.type == "RPAR":
            found.append(problem(Code.UNBALANCED_BRACKET, (_start(token), _start(token) + 1)))
    found.extend(problem(Code.UNBALANCED_BRACKET, (at, at + 1)) for at in open_at)
    return sorted(found, key=lambda item: item.start)


def _syntax_problem(text: str, error: UnexpectedInput) -> Problem:
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token = error.token
        span = (_start(token), _start(token) + len(str(token)))
        # NOT and "-" start an operand elsewhere, so where they are refused they are misplaced.
        if token.type not in _PREFIX_OPERATORS and _OPERAND_TERMINALS & set(error.expected):
            return problem(Code.MISSING_OPERAND, span, token=str(token))
        return problem(Code.MISPLACED_OPERATOR, span, token=str(token))
    end = len(text.rstrip())
    return problem(Code.MISSING_OPERAND, (end, end), token="")


def _start(token: LarkToken) -> int:
    return token.start_pos or 0


def _end(token: LarkToken) -> int:
    return token.end_pos or 0


def _token_span(token: LarkToken) -> Span:
    return (_start(token), _end(token))


class _TreeBuilder(Transformer[LarkToken, Node | None]):
    """Lark tree → nodes; collects the problems that only show while building (term shapes)."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []

    def start(self, children: list[Node | None]) -> Node | None:
        return children[0]

    def term(self, children: list[LarkToken]) -> Node:
        return word_node(str(children[0]), _token_span(children[0]), self.problems)

    def hashtag(self, children: list[LarkToken]) -> Node:
        return sigil_term(str(children[0]), _token_span(children[0]))

    handle = hashtag

    def phrase(self, children: list[LarkToken]) -> Node:
        return phrase_node(str(children[0]), _token_span(children[0]), self.problems)

    def field(self, children: list[LarkToken]) -> Field:
        return field_node(str(children[0]), _token_span(children[0]))

    def group(self, children: list[object]) -> Node:
        inner = children[1]
        assert isinstance(inner, Node)  # noqa: S101 - the grammar guarantees it
        span = (_start(_as_token(children[0])), _end(_as_token(children[2])))
        if isinstance(inner, And | Or):
            return replace(inner, span=span, bracketed=True)
        return replace(inner, span=span)

    def not_op(self, children: list[object]) -> Node:
        operand = _as_node(children[1])
        return Not(operand, (_start(_as_token(children[0])), operand.span[1]))

    def near_op(self, children: list[object]) -> Node:
        left, right = _as_node(children[0]), _as_node(children[2])
        operator = str(children[1])
        ordered = operator.endswith("f")
        distance = int(operator.removeprefix("NEAR/").removesuffix("f"))
        return Near(left, right, distance, ordered, (left.span[0], right.span[1]))

    def and_op(self, children: list[object]) -> Node:
        left, right = _as_node(children[0]), _as_node(children[-1])
        return And(_flatten(And, left, right), (left.span[0], right.span[1]))

    def or_op(self, children: list[object]) -> Node:
        left, right = _as_node(children[0]), _as_node(children[2])
        for side in (left, right):
            if isinstance(side, And) and not side.bracketed:
                self.problems.append(problem(Code.MIXED_AND_OR, side.span))
        return Or(_flatten(Or, left, right), (left.span[0], right.span[1]))


def _flatten(kind: type[And] | type[Or], left: Node, right: Node) -> tuple[Node, ...]:
    """a AND b AND c is one And of three, but a bracketed group stays a group of its own."""
    if isinstance(left, And | Or) and type(left) is kind and not left.bracketed:
        return (*left.operands, right)
    return (left, right)


def _as_node(child: object) -> Node:
    assert isinstance(child, Node)  # noqa: S101 - the grammar guarantees it
    return child


def _as_token(child: object) -> LarkToken:
    assert isinstance(child, LarkToken)  # noqa: S101 - the grammar guarantees it
    return child
