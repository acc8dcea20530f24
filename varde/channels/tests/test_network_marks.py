"""Every network Varde offers has a mark: the vendored simple-icons glyph, or its initial."""

from __future__ import annotations

import json
import re

import pytest
from django.template import Context, Template

from varde.channels import network_marks
from varde.channels.network_marks import INITIAL_TONES, MARKS_DIR, mark_for
from varde.connectors import registry
from varde.connectors.look import PreviewShape
from varde.connectors.registry import BUILTIN

# Every key Varde can offer: the built-in connectors and the sandbox (registered by its app).
OFFERED = [*BUILTIN, "sandbox"]
# Not brands, or a brand simple-icons has no mark for (LinkedIn asked to be removed).
WITHOUT_MARK = {"newsletter", "webhook", "sandbox", "linkedin"}
WHITE = "FFFFFF"


def _index() -> dict:
    return json.loads((MARKS_DIR / "marks.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", OFFERED)
def test_every_offered_network_has_a_mark_or_its_initial(key):
    mark = mark_for(key)
    label = registry.get(key).label
    assert mark.label == label
    if key in WITHOUT_MARK:
        assert mark.slug is None
        assert mark.initial == label[0].upper()
        assert "mark-initial" in mark.css_class
    else:
        assert mark.slug == registry.get(key).look.mark
        assert (MARKS_DIR / f"{mark.slug}.svg").is_file()
        assert mark.slug in _index()["marks"]
        assert f".mark-{mark.slug} " in (MARKS_DIR / "marks.css").read_text()


def test_only_the_marks_varde_needs_are_vendored_with_the_licence():
    named = {registry.get(key).look.mark for key in OFFERED} - {None}
    svgs = {path.stem for path in MARKS_DIR.glob("*.svg")}
    assert svgs == named == set(_index()["marks"])
    licence = (MARKS_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert licence.startswith("# CC0 1.0 Universal")
    assert {mark["license"] for mark in _index()["marks"].values()} == {"CC0-1.0"}


def test_an_unknown_network_gets_a_neutral_initial_named_by_its_label():
    mark = mark_for("other", "Other")
    assert (mark.slug, mark.initial, mark.label) == (None, "O", "Other")
    assert mark_for("gone").initial == "G"
    assert mark_for("", "").initial == "?"


def test_a_vendored_mark_missing_on_disk_falls_back_to_the_initial(monkeypatch):
    monkeypatch.setattr(network_marks, "vendored_marks", dict)
    assert mark_for("bluesky").slug is None
    assert mark_for("bluesky").initial == "B"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_glyphs_stand_out_from_their_tiles_and_initials_are_readable():
    for slug, mark in _index()["marks"].items():
        svg = (MARKS_DIR / f"{slug}.svg").read_text()
        assert f'fill="#{mark["glyph"]}"' in svg
        assert _contrast(mark["glyph"], mark["hex"]) >= 3.0, slug  # WCAG 1.4.11, graphics
    for tone in INITIAL_TONES:
        assert _contrast(WHITE, tone) >= 4.5, tone  # WCAG 1.4.3, text
    css = (MARKS_DIR.parent / "network.css").read_text()
    for number, tone in enumerate(INITIAL_TONES):
        assert f".mark-tone-{number} {{ background-color: #{tone}; }}" in css


def _render(source: str, **context) -> str:
    return Template("{% load network_marks %}" + source).render(Context(context))


def test_the_mark_has_an_accessible_name_unless_the_text_beside_it_says_it():
    named = _render("{% network_mark 'bluesky' %}")
    assert 'role="img" aria-label="Bluesky"' in named
    assert "mark-bluesky" in named
    quiet = _render("{% network_mark 'bluesky' decorative=True %}")
    assert 'aria-hidden="true"' in quiet
    assert "aria-label" not in quiet


def test_labels_and_initials_are_escaped():
    html = _render("{% network_mark key label %}", key="<x>", label='<script>"')
    assert "<script>" not in html
    assert 'aria-label="&lt;script&gt;&quot;"' in html
    avatar = _render("{% channel_avatar label 'x' %}", label="<b>Øst")
    assert "<b>" not in avatar
    assert re.search(r'aria-hidden="true">B</span>', avatar)  # the first letter, not "<"


def test_every_network_declares_how_its_post_looks():
    for key in OFFERED:
        look = registry.get(key).look
        assert str(look.description), key
        assert look.shape in set(PreviewShape)


@pytest.mark.django_db
def test_connect_page_shows_each_network_with_its_mark_and_description(client_as, owner):
    html = client_as(owner).get("/w/acme/channels/connect/").content.decode()
    for choice in re.findall(r'<section class="card network-card"[^>]*>.*?</section>', html, re.S):
        assert "network-mark" in choice
    assert 'class="network-mark mark-instagram network-mark-xl" aria-hidden="true"' in html
    assert "mark-initial" in html  # LinkedIn, the newsletter, the webhook, the sandbox
    assert "Photos, carousels and reels on your Instagram professional account." in html
