"""Every validator problem code: one row each, with where it points and what it carries.

`test_every_code_has_a_row` fails when a code is added without a row here, so no problem the
UI can show goes untested.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from varde.lib.i18n_check import PO, parse_po
from varde.listening.query import Code, Severity, check, validate
from varde.listening.query.limits import MAX_QUERY_LENGTH
from varde.listening.query.messages import MESSAGES, problem_message

LONG = "nike " * (MAX_QUERY_LENGTH // 5) + "x"

# code: (query, the text the problem underlines, params it must carry)
ROWS: dict[Code, tuple[str, str, dict[str, object]]] = {
    Code.EMPTY_QUERY: ("  ", "  ", {}),
    Code.QUERY_TOO_LONG: (LONG, "x", {"length": len(LONG), "maximum": MAX_QUERY_LENGTH}),
    Code.UNEXPECTED_CHARACTER: ("nike, adidas", ",", {"char": ","}),
    Code.UNBALANCED_QUOTE: ('nike "varde as', '"varde as', {}),
    Code.UNBALANCED_BRACKET: ("(nike OR adidas", "(", {}),
    Code.MISSING_OPERAND: ("nike AND OR adidas", "OR", {"token": "OR"}),
    Code.MISPLACED_OPERATOR: ("nike NEAR/2 NOT adidas", "NOT", {"token": "NOT"}),
    Code.EMPTY_PHRASE: ('nike ""', '""', {}),
    Code.WILDCARD_TOO_SHORT: ("nike OR ka*", "ka*", {"minimum": 3}),
    Code.WILDCARD_IN_PHRASE: ('"kaff* fra" nike', '"kaff* fra"', {}),
    Code.TOO_MANY_WILDCARDS: (
        "kaff* OR brus* OR tekan* OR melk* OR vann* OR juic*",
        "kaff* OR brus* OR tekan* OR melk* OR vann* OR juic*",
        {"count": 6, "maximum": 5},
    ),
    Code.NEAR_TOO_WIDE: (
        "nike NEAR/11 adidas",
        "nike NEAR/11 adidas",
        {"distance": 11, "maximum": 10},
    ),
    Code.NEAR_OPERAND: ("(nike AND sko) NEAR/3 adidas", "(nike AND sko)", {}),
    Code.UNKNOWN_FIELD: ("nike country:no", "country:no", {"field": "country"}),
    Code.EMPTY_FIELD_VALUE: ("nike lang:", "lang:", {"field": "lang"}),
    Code.NOT_ONLY_QUERY: ("NOT nike -adidas", "NOT nike -adidas", {}),
    Code.NOT_ONLY_GROUP: ("nike OR (NOT adidas)", "(NOT adidas)", {}),
    Code.TOO_COMMON_TERM: ("nike OR the", "the", {"term": "the"}),
    Code.NO_TEXT_TERMS: ("lang:no OR nike", "lang:no OR nike", {}),
    Code.LOWERCASE_OPERATOR: ("nike or adidas", "or", {"word": "or", "operator": "OR"}),
    Code.MIXED_AND_OR: ("nike OR adidas sko", "adidas sko", {}),
}


def test_every_code_has_a_row():
    assert set(ROWS) == set(Code)


@pytest.mark.parametrize("code", list(ROWS), ids=[code.value for code in ROWS])
def test_problem(code):
    text, underlined, params = ROWS[code]
    found = [item for item in validate(text) if item.code is code]
    assert len(found) == 1, validate(text)
    assert text[found[0].start : found[0].end] == underlined
    assert params.items() <= found[0].params.items()


@pytest.mark.parametrize("code", list(ROWS), ids=[code.value for code in ROWS])
def test_errors_block_and_warnings_do_not(code):
    checked = check(ROWS[code][0])
    if code.value in {"too_common_term", "no_text_terms", "lowercase_operator", "mixed_and_or"}:
        assert checked.problems[0].severity is Severity.WARNING
        assert checked.ok
    else:
        assert not checked.ok


@pytest.mark.parametrize(
    "text",
    [
        "nike",
        '"Varde AS" OR (varde NEAR/3 (sosiale OR social))',
        "(kaff* OR te) AND fjellet -lang:en",
        "#aurora OR @varde.bsky.social",
        "brus NEAR/10f pant",
        "lang:no AND (nike OR adidas)",
        "organi?ation site:vg.no author:@ola source:bluesky",
    ],
)
def test_good_queries_have_no_problems(text):
    assert validate(text) == []


def test_a_near_side_may_be_an_or_group_or_another_near():
    assert validate("(nike OR adidas) NEAR/3 (sko OR jakke) NEAR/2 kjøpt") == []


def test_problems_come_in_text_order():
    found = validate("ka* OR nike NEAR/20 adidas OR ab?")
    assert [item.start for item in found] == sorted(item.start for item in found)


def test_the_validator_never_raises_on_odd_input():
    for text in ['"', "((", "))", "NEAR/3", "-", "--a", "#", "@", ":", "a:", "\x00", "*", "?"]:
        assert isinstance(validate(text), list)


class TestMessages:
    def test_every_code_has_a_message(self):
        assert set(MESSAGES) == set(Code)

    @pytest.mark.parametrize("code", list(ROWS), ids=[code.value for code in ROWS])
    def test_message_fills_its_numbers_in_english(self, code):
        text = ROWS[code][0]
        found = next(item for item in validate(text) if item.code is code)
        with translation.override("en"):
            message = problem_message(found)
        assert "%(" not in message
        for name in _placeholders(MESSAGES[code]):
            assert str(found.params[name]) in message

    def test_every_message_has_a_bokmal_translation_with_the_same_placeholders(self):
        catalogue = {entry["msgid"]: entry for entry in parse_po(PO)}
        for code, english in MESSAGES.items():
            entry = catalogue.get(english)
            assert entry is not None, f"{code}: not in django.po"
            bokmal = str(entry["msgstr"])
            assert bokmal, f"{code}: empty translation"
            assert "fuzzy" not in str(entry.get("flags", ""))
            params = dict.fromkeys(ROWS[code][2], 1) | {"known": "x", "char": ","}
            assert _placeholders(bokmal) == _placeholders(english)
            assert bokmal % params


def _placeholders(message: str) -> set[str]:
    import re

    return set(re.findall(r"%\((\w+)\)s", message))
