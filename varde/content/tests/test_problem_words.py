"""Every limit problem connectors/checks.py can report has words, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from varde.connectors import checks
from varde.connectors.errors import Rejected
from varde.content.problem_words import error_text, problem_codes, problem_text


def test_every_problem_code_in_checks_has_words():
    source = Path(checks.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'Problem\(\s*"([a-z_]+)"', source))
    assert raised
    assert raised <= problem_codes()


def test_a_problem_reads_in_the_users_language():
    problem = checks.Problem("text_too_long", {"part": "post", "count": 312, "limit": 300})
    with translation.override("en"):
        assert problem_text(problem, network="Bluesky") == (
            "Post is 312 characters; Bluesky allows 300."
        )
    with translation.override("nb"):
        assert "312" in problem_text(problem, network="Bluesky")
        assert problem_text(problem, network="Bluesky") != (
            "Post is 312 characters; Bluesky allows 300."
        )


def test_a_refusal_keeps_the_networks_own_text():
    error = Rejected("Links to that site are not allowed.", code="bad_link")
    with translation.override("nb"):
        text = error_text(error, network="Sandbox")
    assert text.endswith("Links to that site are not allowed.)")
    assert "Sandbox" in text
