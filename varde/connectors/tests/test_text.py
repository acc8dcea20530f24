"""Grapheme counting, link finding and fingerprints, with Norwegian text and emoji."""

import pytest

from varde.connectors.contracts import Limits, TextCounting
from varde.connectors.text import find_urls, fingerprint, grapheme_count, html_to_text, measure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("æøå ÆØÅ", 7),
        ("e\u0301", 1),  # e + combining acute accent
        ("👍🏽", 1),  # thumbs up + skin tone
        ("👨\u200d👩\u200d👧\u200d👦", 1),  # family: four people joined by ZWJ
        ("🏳\ufe0f\u200d🌈", 1),  # rainbow flag
        ("🇳🇴", 1),
        ("🇳🇴🇸🇪🇩🇰", 3),
        ("\r\n", 1),
        ("한국어", 3),
        ("\u1100\u1161\u11a8", 1),  # decomposed Hangul syllable
        ("a\u200db", 2),  # a ZWJ between letters joins nothing after it
        ("Blåbær 🫐!", 9),
        # Emoji ZWJ sequences, with and without skin tones
        ("👩\u200d💻", 1),  # woman technologist
        ("👩🏽\u200d💻", 1),  # the same with a skin tone
        ("🧑🏿\u200d🤝\u200d🧑🏻", 1),  # people holding hands, two skin tones
        ("❤️\u200d🔥", 1),  # heart on fire
        ("🏳️\u200d⚧️", 1),  # transgender flag
        ("👍🏻👍🏼👍🏽👍🏾👍🏿", 5),
        # Flags: pairs of regional indicators, and tag sequences for subdivisions
        ("🇸🇯🇳🇴", 2),  # two flags side by side
        ("🇳", 1),  # a lone regional indicator
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 1),  # England
        ("#️⃣1️⃣", 2),  # keycaps
        # Combining marks: Sámi and other letters typed in decomposed form
        ("A\u0301\u014b\u014ba\u0301", 4),  # Áŋŋá, decomposed
        ("C\u030ca\u0301v\u010d\u010das", 7),  # Čávččas, partly decomposed
        ("o\u0308\u0304", 1),  # two marks on one letter
        ("\u0915\u094d\u0937", 1),  # Devanagari conjunct kṣa (Unicode 15.1 rule)
        ("\u0301", 1),  # a mark with nothing to sit on still counts
    ],
)
def test_grapheme_count(text: str, expected: int) -> None:
    assert grapheme_count(text) == expected


@pytest.mark.parametrize(
    ("text", "weighted", "emoji_bytes"),
    [
        ("Áŋŋá", 4, 4),
        ("A\u0301\u014b\u014ba\u0301", 4, 6),  # X weighs NFC text; Threads counts characters
        ("👩🏽\u200d💻", 2, 15),  # one emoji sequence: 2 for X, its 15 UTF-8 bytes for Threads
        ("🇳🇴", 2, 8),
        ("1️⃣", 2, 7),
        ("a👍🏽b", 4, 10),
    ],
)
def test_networks_weigh_graphemes_their_own_way(text: str, weighted: int, emoji_bytes: int) -> None:
    assert measure(text, Limits(text_max=None, counting=TextCounting.WEIGHTED)) == weighted
    assert measure(text, Limits(text_max=None, counting=TextCounting.EMOJI_BYTES)) == emoji_bytes


def test_find_urls_drops_sentence_punctuation() -> None:
    text = "Les mer: https://varde.example/blogg/blåbær. Og (https://no.wikipedia.org/wiki/Varde_(by))!"
    assert [url for _, _, url in find_urls(text)] == [
        "https://varde.example/blogg/blåbær",
        "https://no.wikipedia.org/wiki/Varde_(by)",
    ]


def test_find_urls_offsets_are_characters() -> None:
    text = "Ærlig talt: https://x.no"
    [(start, end, _)] = find_urls(text)
    assert text[start:end] == "https://x.no"


def test_measure_counts_links_as_fixed_length() -> None:
    mastodon = Limits(text_max=500, link_length=23)
    text = "Se https://varde.example/en/veldig/lang/adresse/som/fortsetter?x=1 nå"
    assert measure(text, mastodon) == len("Se ") + 23 + len(" nå")


def test_measure_codepoints() -> None:
    limits = Limits(text_max=None, counting=TextCounting.CODEPOINTS)
    assert measure("👍🏽", limits) == 2


def test_fingerprint_ignores_whitespace_case_and_normalisation() -> None:
    assert fingerprint("Blåbær  er\n\ngodt") == fingerprint("blåbær er godt")
    assert fingerprint("bla\u030abær") == fingerprint("blåbær")  # NFD vs NFC
    assert fingerprint("Blåbær") != fingerprint("Bringebær")


def test_html_to_text_keeps_full_links_and_breaks() -> None:
    markup = (
        '<p>Hei<br>der <a href="https://x.no/a"><span class="invisible">https://</span>'
        "<span>x.no/a</span></a> &amp; mer</p><p>Neste</p>"
    )
    assert " ".join(html_to_text(markup).split()) == "Hei der https://x.no/a & mer Neste"
