"""The plan document as PDF, set by the shared document engine (``varde.lib.documents``).

The plan's blocks (``export``) are the engine's blocks under other class names; this module only
hands them over, so the plan's PDF looks like every other document Varde makes.
"""

from __future__ import annotations

from varde.lib import documents
from varde.strategy.export import Block, Bullets, Document, Heading, Pairs, Para


def _block(block: Block) -> documents.Block:
    if isinstance(block, Heading):
        return documents.Heading(block.level, block.text)
    if isinstance(block, Para):
        return documents.Para(block.text)
    if isinstance(block, Bullets):
        return documents.Bullets(block.items)
    if isinstance(block, Pairs):
        return documents.Pairs(block.items)
    return documents.Table(block.headers, block.rows)


def engine_document(doc: Document) -> documents.Document:
    """The plan as the document engine's document (for the PDF, and for page images)."""
    return documents.Document(
        title=doc.title,
        subtitle=doc.subtitle,
        language=doc.language,
        blocks=[_block(block) for block in doc.blocks],
    )


def document_pdf(doc: Document) -> bytes:
    """The plan as an A4 PDF: every character as typed, page numbers after the title."""
    return documents.render_pdf(engine_document(doc))
