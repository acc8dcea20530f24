import io

import pypdf
import pytest
from PIL import Image

from varde.demo.plan import demo_plan_seed
from varde.lib import documents
from varde.strategy import export, services
from varde.strategy.guidance import PHASES
from varde.strategy.pdf import engine_document as _engine_document

SAMI = "Áŋŋá Čávččas 🚲 Ærlig"


@pytest.fixture
def demo(workspace, owner):
    demo_plan_seed(workspace=workspace, actor=owner, language="nb")
    return workspace


@pytest.mark.parametrize("language", ["nb", "en"])
def test_markdown_has_all_seven_phases_in_the_language(demo, language):
    md = export.plan_markdown(workspace=demo, language=language)
    for phase in PHASES:
        assert phase.title.get(language) in md
    assert "Bryggen Sykkel" in md
    assert "Ingrid Hauge" in md
    assert md.startswith("# ")


def test_html_is_escaped_and_standalone(workspace, owner):
    services.plan_update(
        workspace=workspace, actor=owner, fields={"mission": "<script>alert(1)</script>"}
    )
    html = export.render_html(export.plan_document(workspace))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.lstrip().startswith("<!doctype html>")


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _bold_runs(pdf: bytes) -> int:
    """How many runs of text are set in a bold face."""
    runs = 0

    def visit(text, _cm, _tm, font, _size):
        nonlocal runs
        if text.strip() and font and "Bold" in str(font.get("/BaseFont", "")):
            runs += 1

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_pdf_is_a_pdf_with_the_norwegian_text(demo):
    pdf = export.render_pdf(export.plan_document(demo, language="nb"))
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = _pdf_text(pdf)
    assert "Situasjonsanalyse" in text
    assert "Nygård" in text
    assert _bold_runs(pdf) > 10


def test_pdf_has_sami_letters_and_emoji_as_typed(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": SAMI})
    text = _pdf_text(export.render_pdf(export.plan_document(workspace)))
    assert SAMI in text
    assert "?" not in text


def test_pdf_prints_plan_text_as_typed_and_never_runs_it(workspace, owner):
    hostile = '#pagebreak() #panic("ran") *b* _i_ $x$ @a <b> [c] \\ `d`'
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": hostile})
    pdf = export.render_pdf(export.plan_document(workspace))
    assert hostile in _pdf_text(pdf)


def test_pdf_wraps_long_words(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "x" * 400})
    document = _engine_document(export.plan_document(workspace))
    page = Image.open(io.BytesIO(documents.render_png(document, ppi=72)[0])).convert("L")
    # Nothing is drawn in the right margin (2 cm, 57 pixels at 72 ppi).
    assert page.crop((page.width - 50, 0, page.width, page.height)).getextrema() == (255, 255)


def test_empty_plan_exports(workspace):
    md = export.plan_markdown(workspace=workspace)
    assert "Not filled in yet." in md


def test_cli_export_writes_a_file(demo, tmp_path, capsys):
    import argparse

    from varde.strategy.cli import add_subcommands

    parser = argparse.ArgumentParser()
    add_subcommands(parser.add_subparsers(dest="command"))
    target = tmp_path / "plan.pdf"
    args = parser.parse_args(
        ["strategy", "export", "--workspace", demo.slug, "--format", "pdf", "--output", str(target)]
    )
    assert args.func(args) == 0
    assert target.read_bytes().startswith(b"%PDF")
    args = parser.parse_args(["strategy", "export", "--workspace", "missing"])
    assert args.func(args) == 2
