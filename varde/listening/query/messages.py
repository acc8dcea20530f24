"""Problems worded for people, in the active language (English source, bokmål catalogue).

The table marks each sentence with `gettext_noop` so makemessages finds it, and translates it
only when asked, so the language is the user's at that moment, not the one active at import.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from varde.listening.query.problems import Code, Problem

MESSAGES: dict[Code, str] = {
    Code.EMPTY_QUERY: gettext_noop("Write at least one word to look for."),
    Code.QUERY_TOO_LONG: gettext_noop(
        "The query is %(length)s characters long; the most is %(maximum)s."
    ),
    Code.UNEXPECTED_CHARACTER: gettext_noop(
        "The character “%(char)s” is not part of the query language; remove it "
        "(punctuation in posts counts as a space)."
    ),
    Code.UNBALANCED_QUOTE: gettext_noop('This quotation mark is never closed; add the closing ".'),
    Code.UNBALANCED_BRACKET: gettext_noop("This bracket has no partner; every ( needs a )."),
    Code.MISSING_OPERAND: gettext_noop(
        "A word is missing here: an operator must stand between two words, phrases or groups."
    ),
    Code.MISPLACED_OPERATOR: gettext_noop("“%(token)s” cannot stand here."),
    Code.EMPTY_PHRASE: gettext_noop(
        "The quotation marks are empty; put the words to look for between them."
    ),
    Code.WILDCARD_TOO_SHORT: gettext_noop(
        "A wildcard needs at least %(minimum)s letters before it."
    ),
    Code.WILDCARD_IN_PHRASE: gettext_noop(
        "Wildcards (* and ?) cannot be used in phrases or in words joined by hyphens, dots or "
        "apostrophes."
    ),
    Code.TOO_MANY_WILDCARDS: gettext_noop(
        "The query has %(count)s wildcards; the most is %(maximum)s."
    ),
    Code.NEAR_TOO_WIDE: gettext_noop(
        "NEAR/%(distance)s is too wide; the most is NEAR/%(maximum)s."
    ),
    Code.NEAR_OPERAND: gettext_noop(
        "NEAR can only join words, phrases, hashtags, handles, or brackets with OR between them."
    ),
    Code.UNKNOWN_FIELD: gettext_noop("Unknown field “%(field)s:”. The fields are %(known)s."),
    Code.EMPTY_FIELD_VALUE: gettext_noop("Write a value after “%(field)s:”."),
    Code.NOT_ONLY_QUERY: gettext_noop(
        "The query only says what to leave out, so it would match almost every post. Add words "
        "to look for."
    ),
    Code.NOT_ONLY_GROUP: gettext_noop(
        "This part only says what to leave out; joined with OR it would match almost every post."
    ),
    Code.TOO_COMMON_TERM: gettext_noop(
        "“%(term)s” is so common that this query would match a large share of all posts. "
        "Combine it with AND or use a phrase."
    ),
    Code.NO_TEXT_TERMS: gettext_noop(
        "This query can match posts that contain none of its words (only fields or NOT "
        "decide), so it would match very many posts."
    ),
    Code.LOWERCASE_OPERATOR: gettext_noop(
        "“%(word)s” is read as a word to look for. Write %(operator)s in capitals if you meant "
        "the operator."
    ),
    Code.MIXED_AND_OR: gettext_noop(
        "AND is read before OR here; add brackets to make the meaning clear."
    ),
}


def problem_message(found: Problem) -> str:
    """The problem as a sentence in the active language, its numbers filled in."""
    return _(MESSAGES[found.code]) % found.params
