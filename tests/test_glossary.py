"""The bokmål texts keep to docs/glossary.md: one name per thing, "du", and no English left in.

The glossary is the source: its tables list, per term, the bokmål name and the words that must
not stand in for it, and the English product words a translation must not keep. These tests read
those tables and every bokmål text Varde shows (the catalogue's translations and the bokmål half
of the strategy guidance), so a new synonym fails here rather than in a marketer's eyes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from varde.channels.presentation import network_label
from varde.demo.plan import demo_plan_seed
from varde.lib.i18n_check import PO, parse_po
from varde.strategy import export, guidance
from varde.strategy.models import ChannelRole

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
TERMS_HEADER = ("English", "bokmål", "not in bokmål")
ENGLISH_WORDS_HEADER = ("English word", "bokmål")

# msgids whose translation may say "dere"/"deres" (to a group, not the reader). Empty: the reader
# is always "du"; add an entry only with the reason beside it.
MAY_SAY_DERE: dict[str, str] = {}

# Quoted text is a citation (a value to type, a name as written elsewhere), not Varde's wording.
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _table(header: tuple[str, ...]) -> list[list[str]]:
    """The rows of the glossary table whose header row is ``header``."""
    rows: list[list[str]] = []
    inside = False
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            inside = False
        elif tuple(cells) == header:
            inside = True
        elif inside and not set(line) <= set("|- "):
            rows.append(cells)
    return rows


def forbidden_synonyms() -> dict[str, str]:
    """Each forbidden word, with the bokmål name to use instead."""
    found: dict[str, str] = {}
    for _english, bokmal, forbidden in _table(TERMS_HEADER):
        for word in filter(None, (w.strip() for w in forbidden.split(","))):
            found[word] = bokmal
    return found


def english_words() -> dict[str, str]:
    return {row[0]: row[1] for row in _table(ENGLISH_WORDS_HEADER)}


def _guidance_texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """The bokmål half of every ``Bilingual`` in the guidance module, however deeply nested."""
    if isinstance(value, guidance.Bilingual):
        yield where, value.nb
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _guidance_texts(item, f"{where}[{index}]")
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _guidance_texts(getattr(value, name), f"{where}.{name}")


def bokmal_texts() -> list[tuple[str, str]]:
    """(where, text) for every translation in the catalogue and every bokmål guidance text."""
    texts = [
        (f"msgid {entry['msgid']!r}", str(value))
        for entry in parse_po(PO)
        for key, value in entry.items()
        if key.startswith("msgstr")
    ]
    for name in ("PHASES", "TECHNOGRAPHICS", "CHANNEL_ROLE_HELP", "MIX_HELP"):
        texts += _guidance_texts(getattr(guidance, name), f"guidance.{name}")
    return texts


def uses(word: str, text: str) -> bool:
    """Whether ``word`` stands in ``text`` as a whole word, any case, outside quotation marks."""
    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
    return re.search(pattern, QUOTED.sub(" ", text), re.IGNORECASE) is not None


def test_the_glossary_names_the_synonyms_marketers_tripped_over():
    synonyms = forbidden_synonyms()
    for word in ("innholdspilar", "delt fra andre", "nøkkelbudskap", "retningslinjesjekk"):
        assert word in synonyms
    assert synonyms["policykontrollen"] == "regelsjekken"
    assert synonyms["skyteulykke"] == "masseskyting"
    assert {"Technographics", "Sandbox", "newsletter", "Facebook Page"} <= set(english_words())


def test_the_check_reads_whole_words_in_any_case_and_skips_quotations():
    assert uses("pilar", "Ingen Pilar her")
    assert not uses("pilar", "Ingen pilarer")  # another word; listed on its own if wrong
    assert not uses("søyle", "Ingen innholdssøyle")
    assert not uses("curated", "Skriv «curated» eller kuratert")
    assert uses("delt fra andre", "Innhold delt fra andre")


def test_no_bokmal_text_uses_a_forbidden_synonym():
    synonyms = forbidden_synonyms()
    wrong = [
        f"{where}: «{word}» (say «{instead}»): {text}"
        for where, text in bokmal_texts()
        for word, instead in synonyms.items()
        if uses(word, text)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_translation_keeps_an_english_product_word():
    words = english_words()
    wrong = [
        f"{where}: «{word}» left in English (say «{instead}»): {text}"
        for where, text in bokmal_texts()
        for word, instead in words.items()
        if uses(word, text)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_reader_is_du_never_dere():
    wrong = [
        f"{where}: {text}"
        for where, text in bokmal_texts()
        if (uses("dere", text) or uses("deres", text))
        and where.removeprefix("msgid ").strip("'\"") not in MAY_SAY_DERE
    ]
    assert not wrong, "\n".join(wrong)


def test_every_translation_keeps_the_placeholders_of_its_english():
    """A lost or misspelt %(name)s shows raw, or crashes the page, only in bokmål."""
    wrong = []
    for entry in parse_po(PO):
        english = set(PLACEHOLDER.findall(str(entry["msgid"]) + str(entry.get("msgid_plural", ""))))
        for key, value in entry.items():
            found = set(PLACEHOLDER.findall(str(value)))
            # A plural form may leave out the count ("one post"); a plain one keeps them all.
            lost_or_new = found != english if key == "msgstr" else not found <= english
            if key.startswith("msgstr") and lost_or_new:
                wrong.append(f"{entry['msgid']!r} → {value!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 punkt å rette"), (3, "3 punkter å rette")],
)
def test_a_count_reads_as_a_number_of_things(count, expected):
    with translation.override("nb"):
        text = translation.ngettext("%(counter)s to fix", "%(counter)s to fix", count)
    assert text % {"counter": count} == expected


def test_a_finished_phase_is_in_order_not_in_sequence():
    with translation.override("nb"):
        assert translation.gettext("In order") == "I orden"


@pytest.mark.parametrize(
    ("network", "bokmal"),
    [
        ("facebook", "Facebook-side"),
        ("newsletter", "Nyhetsbrev på e-post"),
        ("sandbox", "Sandkasse"),
    ],
)
def test_a_network_is_named_in_the_readers_language(network, bokmal):
    """Connectors name themselves in English; every screen shows the name through gettext."""
    with translation.override("nb"):
        assert network_label(network) == bokmal
    with translation.override("en"):
        assert network_label(network) != bokmal


@pytest.mark.django_db
def test_the_bokmal_plan_export_keeps_to_the_glossary(workspace, owner):
    """The exported plan (Markdown, HTML and PDF share one document) is read by a client."""
    demo_plan_seed(workspace=workspace, actor=owner, language="nb")
    text = export.plan_markdown(workspace=workspace, language="nb")
    assert "Teknografi" in text
    wrong = [w for w in [*english_words(), *forbidden_synonyms()] if uses(w, text)]
    assert not wrong, wrong
    assert not re.search(r"\d\.\d+ timer", text)  # "7,3 timer", never "7.3 timer"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_channel_role_legend_names_the_roles_as_the_dropdown_does(language):
    """The help beside the dropdown explains each role by the name the dropdown shows."""
    with translation.override(language):
        legend = guidance.CHANNEL_ROLE_HELP.get(language)
        for role in ChannelRole:
            name = str(role.label).split(":", 1)[0]
            assert f"{name}:" in legend, (name, legend)
