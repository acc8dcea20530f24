"""Telling bokmål from English in short posts (varde/lib/language.py)."""

from __future__ import annotations

import pytest

from varde.lib.language import guess_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nå er våren her, og vi har nye sykler til deg i butikken.", "nb"),
        ("Spring is here and we have new bikes for you in the shop.", "en"),
        ("Vi har fått inn nye sykler til butikken, og de er «the best bike of the year».", "nb"),
        ("#bergen #sykkel", ""),
        ("", ""),
        ("I like it", ""),
    ],
)
def test_guess_language(text, expected):
    assert guess_language(text) == expected
