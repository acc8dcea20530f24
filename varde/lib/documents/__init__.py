"""Documents as PDF: one engine for every PDF Varde makes (the plan export now, reports next).

A document is a title and a list of blocks (headings, paragraphs, lists, label/value pairs, tables,
SVG images); ``render_pdf`` sets it on A4 with page numbers in the footer. The engine is typst,
from PyPI, compiled in this process: it shapes full Unicode text, embeds the fonts it uses and draws
SVG as vectors, and needs no system package that ``make run`` cannot install.

Text is data, never markup. Block text is often what a user typed (a plan, a report title), so the
document travels to the fixed layout in ``document.typ`` as JSON, and the layout places every
string as a value: typst prints it and never parses it, so ``#``, ``$``, ``*``, ``@`` or ``[`` are
just characters and no text can run typst code. There is therefore no escaping to get wrong.

Fonts come only from files that ship with the code, so a PDF looks the same on every machine and
never shows "?" or empty boxes for letters the server lacks: Libertinus Serif, which typst carries
inside its wheel (Latin with Norwegian and Sámi letters, Greek, Cyrillic), and Noto Emoji from
``fonts/`` (OFL, see ``fonts/README.md``). The machine's own fonts are ignored.

SVG must come from Varde itself (charts it draws), not from the internet.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar, Literal

import typst

_HERE = Path(__file__).resolve().parent
_LAYOUT = _HERE / "document.typ"
FONT_DIR = _HERE / "fonts"
# PDF 1.4 opens in every reader still in use, and nothing the layout draws needs more.
_PDF_STANDARD: Literal["1.4"] = "1.4"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 and 2 are section headings with a rule under them; 3 and below are smaller
    text: str
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Para:
    text: str  # a blank line starts a new paragraph; a single line break is kept
    kind: ClassVar[str] = "para"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Pairs:
    items: tuple[tuple[str, str], ...]  # (label, value), set as two columns
    kind: ClassVar[str] = "pairs"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Image:
    svg: str  # an SVG document that Varde drew (a chart), never one from outside
    caption: str = ""
    width: float = 1.0  # a share of the text width
    kind: ClassVar[str] = "image"


Block = Heading | Para | Bullets | Pairs | Table | Image


@dataclass(frozen=True)
class Document:
    title: str
    blocks: Sequence[Block]
    language: str = "en"  # for hyphenation and the PDF's language tag
    subtitle: str = ""
    footer: str = ""  # before the page number on every page; the title when empty
    brand: str = ""  # a line above the title (a workspace's name), in the accent colour
    accent: str = ""  # "#rrggbb": the brand line and the headings' rule; grey when empty
    notice: str = ""  # a boxed line under the title (e.g. that the numbers are sandbox data)


def _payload(document: Document) -> str:
    """The document as the JSON that ``document.typ`` reads from ``sys.inputs``."""
    return json.dumps(
        {
            "title": document.title,
            "subtitle": document.subtitle,
            "footer": document.footer or document.title,
            "language": document.language.split("-")[0].lower() or "en",
            "brand": document.brand,
            "accent": document.accent if _HEX_COLOUR.fullmatch(document.accent) else "",
            "notice": document.notice,
            "blocks": [{"kind": block.kind, **asdict(block)} for block in document.blocks],
        }
    )


def _compile(document: Document, output: Literal["pdf", "png"], ppi: float | None) -> list[bytes]:
    """Set ``document`` with the shared layout; one ``bytes`` for a PDF, one per page for PNG.
    ``root`` is the layout's own folder, so typst could read no other file even if asked."""
    result, warnings = typst.compile_with_warnings(
        str(_LAYOUT),
        root=str(_HERE),
        format=output,
        ppi=ppi,
        font_paths=[str(FONT_DIR)],
        ignore_system_fonts=True,
        sys_inputs={"document": _payload(document)},
        pdf_standards=_PDF_STANDARD,  # read only when the output is a PDF
    )
    for warning in warnings:
        logger.warning("typst: %s", warning.message)
    if isinstance(result, bytes):
        return [result]
    return list(result or [])


def render_pdf(document: Document) -> bytes:
    """``document`` as an A4 PDF with page numbers."""
    return _compile(document, "pdf", None)[0]


def render_png(document: Document, *, ppi: float = 72) -> list[bytes]:
    """``document``'s pages as PNG images, for previews and for checking the layout in tests."""
    return _compile(document, "png", ppi)
