"""The document engine: every character as typed, user text never run as typst, A4 with page
numbers, SVG embedded, only the fonts the code ships."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image as PILImage

from varde.lib import documents

SAMI = "Áŋŋá Čávččas 🚲 Ærlig"
# Northern, Lule, Southern and Skolt Sámi letters, Norwegian, and text from abroad.
LETTERS = "ÁáČčĐđŊŋŠšŦŧŽž ÄäÖöÏï Ǯǯ Ʒʒ Ǧǧ Ǩǩ Õõ æøåÆØÅ Łódź İstanbul Ελλάδα Москва"
EMOJI = "🚲 👩‍👩‍👧 👍🏽 🇳🇴 ❤️"


def _pdf(*blocks: documents.Block, title: str = "Plan") -> pypdf.PdfReader:
    document = documents.Document(title=title, blocks=blocks, language="nb")
    return pypdf.PdfReader(io.BytesIO(documents.render_pdf(document)))


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _font_names(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            # A subset's name is a random tag, a plus sign and the font's PostScript name.
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_every_letter_and_emoji_is_printed_as_typed():
    reader = _pdf(documents.Heading(2, SAMI), documents.Para(LETTERS), documents.Para(EMOJI))
    text = _text(reader)
    assert SAMI in text
    assert LETTERS in text
    for emoji in EMOJI.split():
        assert emoji in text
    assert "?" not in text


def test_only_the_fonts_that_ship_with_the_code_are_used():
    names = _font_names(_pdf(documents.Para(SAMI), documents.Heading(2, "Bold")))
    assert {name.split("-")[0] for name in names} == {"LibertinusSerif", "NotoEmoji"}
    assert any("Bold" in name for name in names)


HOSTILE = [
    '#panic("ran")',
    "#pagebreak() #pagebreak()",
    "#set page(fill: red) #set text(size: 40pt)",
    '#import "@preview/cetz:0.3.0": *',
    '#read("/etc/passwd")',
    "*bold* _em_ `raw` $x^2$ @label <label> [link] \\ ~ -- ---",
    "= Not a heading",
    "- not a list",
    "+ not a number",
    "/* not a comment */ // nor this",
    "\\u{41} \"quoted\" 'single' http://example.com/a_b*c#d",
    "]) } #{ #[ ${ <!-- -->",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_user_text_prints_literally_and_never_runs(hostile):
    reader = _pdf(
        documents.Heading(2, hostile),
        documents.Para(hostile),
        documents.Bullets((hostile,)),
        documents.Pairs(((hostile, hostile),)),
        documents.Table((hostile,), ((hostile,),)),
        title=hostile,
    )
    assert len(reader.pages) == 1
    # title, heading, paragraph, bullet, pair label and value, table header and cell, footer;
    # a narrow column may break a line anywhere, so the text is compared without white space.
    assert _squeezed(_text(reader)).count(_squeezed(hostile)) == 9


def test_a4_pages_numbered_in_the_footer():
    reader = _pdf(*(documents.Para(f"Avsnitt {n}. " + "Tekst " * 80) for n in range(40)))
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
        assert f"Plan · {number}/{pages}" in page.extract_text()


def test_svg_is_embedded():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect width="200" height="100" fill="#0088cc"/></svg>'
    )
    document = documents.Document(
        title="Chart", blocks=[documents.Image(svg, caption="Reach 🚲", width=0.5)]
    )
    page = PILImage.open(io.BytesIO(documents.render_png(document)[0])).convert("RGB")
    assert (0, 136, 204) in {colour for _count, colour in page.getcolors(1 << 20) or []}
    assert "Reach 🚲" in _text(pypdf.PdfReader(io.BytesIO(documents.render_pdf(document))))


def test_a_word_longer_than_a_line_stays_on_the_page():
    long_word = "x" * 400 + " " + "https://example.com/" + "a/" * 80
    document = documents.Document(
        title="Lang",
        blocks=[documents.Para(long_word), documents.Table(("A", "B"), ((long_word, "b"),))],
    )
    page = PILImage.open(io.BytesIO(documents.render_png(document, ppi=72)[0])).convert("L")
    # The right margin is 2 cm (57 pt, one pixel per point at 72 ppi); nothing is drawn there.
    right_margin = page.crop((page.width - 50, 0, page.width, page.height))
    assert right_margin.getextrema() == (255, 255)
    # Broken across lines, but no character lost or added (no zero-width spaces).
    text = _squeezed(_text(pypdf.PdfReader(io.BytesIO(documents.render_pdf(document)))))
    assert _squeezed(long_word) in text
