"""A small PDF writer for the plan document, with no dependency outside the standard library.

It sets text in the PDF standard fonts Helvetica and Helvetica-Bold (every PDF reader has them, so
nothing is embedded) with the WinAnsi encoding, which covers Norwegian letters (æ ø å) and the
usual punctuation; a character outside it is written as "?". Lines are wrapped with the fonts'
published character widths. Good enough for a readable plan; it is not a typesetter (no
hyphenation, tables are set as one block per row).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from varde.strategy.export import Document

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 60.0, 60.0
TEXT_W = PAGE_W - 2 * MARGIN_X

_ASCII = (
    # 32..126, Helvetica then Helvetica-Bold, from the Adobe font metrics.
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 "
    "833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 "
    "556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 "
    "334 260 334 584",
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 "
    "833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 "
    "611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 "
    "389 280 389 584",
)
_EXTRA = {  # (regular, bold) for the non-ASCII characters Norwegian text uses most
    "æ": (889, 889),
    "ø": (611, 611),
    "å": (556, 556),
    "Æ": (1000, 1000),
    "Ø": (778, 778),
    "Å": (667, 722),
    "é": (556, 556),
    "ö": (556, 611),
    "ä": (556, 556),
    "ü": (556, 611),
    "“": (333, 500),
    "”": (333, 500),
    "‘": (222, 278),
    "’": (222, 278),
    "–": (556, 556),
    "—": (1000, 1000),
    "•": (350, 350),
    "…": (1000, 1000),
    "«": (556, 556),
    "»": (556, 556),
    "§": (556, 556),
    "€": (556, 556),
}
_WIDTHS = [{chr(32 + i): int(w) for i, w in enumerate(table.split())} for table in _ASCII]


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    table = _WIDTHS[1 if bold else 0]
    units = sum(table.get(ch) or _EXTRA.get(ch, (556, 611))[1 if bold else 0] for ch in text)
    return units * size / 1000


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
            # A single word longer than the line is cut, so nothing runs off the page.
            while text_width(current, size, bold=bold) > width and len(current) > 1:
                cut = len(current)
                while cut > 1 and text_width(current[:cut], size, bold=bold) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252", errors="replace")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return "(" + escaped.decode("latin-1") + ")"


@dataclass
class _Writer:
    footer: str
    pages: list[list[str]] = field(default_factory=list)
    y: float = 0.0

    def new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_H - MARGIN_TOP

    def need(self, height: float) -> None:
        if not self.pages or self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def line(
        self, text: str, size: float, *, x: float = MARGIN_X, bold: bool = False, grey: bool = False
    ) -> None:
        leading = size * 1.35
        self.need(leading)
        self.y -= leading
        colour = "0.36 0.42 0.44 rg" if grey else "0.11 0.14 0.16 rg"
        font = "F2" if bold else "F1"
        self.pages[-1].append(
            f"BT {colour} /{font} {size:.1f} Tf {x:.2f} {self.y:.2f} Td {_pdf_string(text)} Tj ET"
        )

    def text(
        self, text: str, size: float, *, indent: float = 0.0, bold: bool = False, grey: bool = False
    ) -> None:
        for part in wrap(text, size, TEXT_W - indent, bold=bold):
            self.line(part, size, x=MARGIN_X + indent, bold=bold, grey=grey)

    def gap(self, points: float) -> None:
        self.y -= points

    def rule(self) -> None:
        self.pages[-1].append(
            f"0.85 0.88 0.89 RG 0.8 w {MARGIN_X:.2f} {self.y - 4:.2f} m "
            f"{PAGE_W - MARGIN_X:.2f} {self.y - 4:.2f} l S"
        )
        self.gap(8)


def _layout(doc: Document) -> _Writer:  # noqa: PLR0912 - one branch per block kind
    from varde.strategy.export import Bullets, Heading, Pairs, Para

    writer = _Writer(footer=doc.title)
    writer.new_page()
    writer.text(doc.title, 20, bold=True)
    writer.text(doc.subtitle, 10, grey=True)
    writer.gap(10)
    for block in doc.blocks:
        if isinstance(block, Heading):
            size = 15.0 if block.level <= 2 else 12.0
            writer.need(size * 4)  # keep a heading with the text that follows it
            writer.gap(14 if block.level <= 2 else 8)
            writer.text(block.text, size, bold=True)
            if block.level <= 2:
                writer.rule()
        elif isinstance(block, Para):
            writer.text(block.text, 10.5)
            writer.gap(4)
        elif isinstance(block, Bullets):
            for item in block.items:
                lines = wrap(item, 10.5, TEXT_W - 14)
                for number, part in enumerate(lines):
                    writer.line(part, 10.5, x=MARGIN_X + 14)
                    if number == 0:
                        writer.pages[-1].append(
                            f"BT /F1 10.5 Tf {MARGIN_X + 3:.2f} {writer.y:.2f} Td (\225) Tj ET"
                        )
            writer.gap(4)
        elif isinstance(block, Pairs):
            for key, value in block.items:
                writer.need(30)
                writer.text(key, 10, bold=True)
                writer.text(value, 10.5, indent=12)
                writer.gap(3)
        else:
            for row in block.rows:
                writer.need(30)
                writer.text(row[0] or "–", 10.5, bold=True)
                for header, cell in zip(block.headers[1:], row[1:], strict=False):
                    if cell:
                        writer.text(f"{header}: {cell}", 10, indent=12)
                writer.gap(5)
    return writer


def document_pdf(doc: Document) -> bytes:
    writer = _layout(doc)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree's number is known
    pages_id = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    page_ids = []
    total = len(writer.pages)
    for number, page_ops in enumerate(writer.pages, start=1):
        footer = f"{writer.footer} · {number}/{total}"
        ops = [
            *page_ops,
            f"BT 0.36 0.42 0.44 rg /F1 8.5 Tf {MARGIN_X:.2f} 34 Td {_pdf_string(footer)} Tj ET",
        ]
        stream = zlib.compress("\n".join(ops).encode("latin-1"))
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        page_ids.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                    f"/Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >> >> "
                    f"/Contents {content} 0 R >>"
                ).encode()
            )
        )
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {total} >>".encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    title = "<FEFF" + doc.title.encode("utf-16-be").hex().upper() + ">"
    info = add(f"<< /Title {title} /Producer (Varde) >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
