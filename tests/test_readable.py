"""Values written for people, in bokmål and English (varde/lib/readable.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from varde.lib import readable

INSTANT = dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "7. des. 2026 kl. 14.05"), ("en", "7 Dec 2026, 14:05")],
)
def test_a_moment_in_the_workspace_zone(language, expected):
    with translation.override(language):
        assert readable.moment(INSTANT, "Europe/Oslo") == expected


def test_a_naive_moment_is_already_wall_clock_time():
    with translation.override("en"):
        wall_clock = dt.datetime(2026, 12, 7, 9, 0)  # noqa: DTZ001 - naive on purpose
        assert readable.moment(wall_clock, "Europe/Oslo") == "7 Dec 2026, 09:00"


@pytest.mark.parametrize(
    ("language", "raw", "expected"),
    [
        ("nb", [0, 2], "mandag og onsdag"),
        ("en", [0, 2], "Monday and Wednesday"),
        ("en", [4, 0, 2], "Monday, Wednesday and Friday"),
        ("nb", "3.5", "3,5"),
        ("en", "3.5", "3.5"),
        ("nb", None, "ingen"),
        ("en", [], "none"),
        ("en", True, "yes"),
        ("nb", False, "nei"),
        ("en", "2026-12-07T13:05:00+00:00", "7 Dec 2026, 14:05"),
        ("nb", "2026-12-07", "7. des. 2026"),
    ],
)
def test_stored_values_in_words(language, raw, expected):
    with translation.override(language):
        shown = readable.weekdays(raw) if isinstance(raw, list) and raw else None
        assert (shown or readable.value(raw, "Europe/Oslo")) == expected


def test_long_text_is_shortened_with_an_ellipsis():
    assert readable.value("x" * 300, "UTC", limit=10) == "xxxxxxxxx…"
