"""What the validator can say about a query: codes, severities and where in the text.

Problems are data (a code plus numbers), not sentences, so the UI can place them and
`messages.problem_message` can word them in the user's language at the last moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the query cannot be saved or run
    WARNING = "warning"  # it runs, but probably not as meant, or at a cost


class Code(StrEnum):
    EMPTY_QUERY = "empty_query"
    QUERY_TOO_LONG = "query_too_long"
    UNEXPECTED_CHARACTER = "unexpected_character"
    UNBALANCED_QUOTE = "unbalanced_quote"
    UNBALANCED_BRACKET = "unbalanced_bracket"
    MISSING_OPERAND = "missing_operand"
    MISPLACED_OPERATOR = "misplaced_operator"
    EMPTY_PHRASE = "empty_phrase"
    WILDCARD_TOO_SHORT = "wildcard_too_short"
    WILDCARD_IN_PHRASE = "wildcard_in_phrase"
    TOO_MANY_WILDCARDS = "too_many_wildcards"
    NEAR_TOO_WIDE = "near_too_wide"
    NEAR_OPERAND = "near_operand"
    UNKNOWN_FIELD = "unknown_field"
    EMPTY_FIELD_VALUE = "empty_field_value"
    NOT_ONLY_QUERY = "not_only_query"
    NOT_ONLY_GROUP = "not_only_group"
    TOO_COMMON_TERM = "too_common_term"
    NO_TEXT_TERMS = "no_text_terms"
    LOWERCASE_OPERATOR = "lowercase_operator"
    MIXED_AND_OR = "mixed_and_or"


SEVERITY: dict[Code, Severity] = {
    Code.EMPTY_QUERY: Severity.ERROR,
    Code.QUERY_TOO_LONG: Severity.ERROR,
    Code.UNEXPECTED_CHARACTER: Severity.ERROR,
    Code.UNBALANCED_QUOTE: Severity.ERROR,
    Code.UNBALANCED_BRACKET: Severity.ERROR,
    Code.MISSING_OPERAND: Severity.ERROR,
    Code.MISPLACED_OPERATOR: Severity.ERROR,
    Code.EMPTY_PHRASE: Severity.ERROR,
    Code.WILDCARD_TOO_SHORT: Severity.ERROR,
    Code.WILDCARD_IN_PHRASE: Severity.ERROR,
    Code.TOO_MANY_WILDCARDS: Severity.ERROR,
    Code.NEAR_TOO_WIDE: Severity.ERROR,
    Code.NEAR_OPERAND: Severity.ERROR,
    Code.UNKNOWN_FIELD: Severity.ERROR,
    Code.EMPTY_FIELD_VALUE: Severity.ERROR,
    Code.NOT_ONLY_QUERY: Severity.ERROR,
    Code.NOT_ONLY_GROUP: Severity.ERROR,
    Code.TOO_COMMON_TERM: Severity.WARNING,
    Code.NO_TEXT_TERMS: Severity.WARNING,
    Code.LOWERCASE_OPERATOR: Severity.WARNING,
    Code.MIXED_AND_OR: Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: `start`/`end` are character offsets in the query for the UI to underline."""

    code: Code
    start: int
    end: int
    params: dict[str, str | int] = field(default_factory=dict, hash=False)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.code]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def problem(code: Code, span: tuple[int, int], **params: str | int) -> Problem:
    return Problem(code, span[0], span[1], dict(params))


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(found.is_error for found in problems)
