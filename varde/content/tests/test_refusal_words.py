"""Every refusal code a connector gives has words in both languages (issue 10, item 4)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

import varde.connectors
from varde.connectors.errors import Rejected
from varde.content.problem_words import error_text
from varde.content.refusal_words import REFUSAL_WORDS

CONNECTORS = Path(varde.connectors.__file__).parent


def codes_raised() -> dict[str, str]:
    """Each literal ``code="..."`` given to ``Rejected(...)`` in the connectors, with where."""
    found: dict[str, str] = {}
    for path in CONNECTORS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Rejected"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    found[keyword.value.value] = f"{path.relative_to(CONNECTORS)}:{node.lineno}"
    return found


def test_the_scan_finds_the_known_codes():
    assert {"unsafe_url", "limits", "smtp_no_tls", "too_many_hidden"} <= set(codes_raised())


def test_every_code_a_connector_raises_has_words():
    missing = {code: where for code, where in codes_raised().items() if code not in REFUSAL_WORDS}
    assert missing == {}, f"add words to content/refusal_words.py for {missing}"


def test_the_words_are_in_bokmal_with_the_networks_own_text_kept():
    error = Rejected("the thread has 50 hidden replies", code="too_many_hidden")
    with translation.override("nb"):
        said = error_text(error, network="Bluesky")
    assert said.startswith("Bluesky skjuler")
    assert said.endswith("(Bluesky svarte: the thread has 50 hidden replies)")


def test_every_sentence_is_translated():
    untranslated = []
    with translation.override("nb"):
        for code, words in REFUSAL_WORDS.items():
            with translation.override("en"):
                english = words("Bluesky")
            if words("Bluesky") == english:
                untranslated.append(code)
    assert untranslated == []
