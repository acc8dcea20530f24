import re
import zlib

import pytest

from varde.strategy import export, services
from varde.strategy.content import PHASES


@pytest.fixture
def demo(workspace, owner):
    services.strategy_seed_demo(workspace=workspace, actor=owner, language="nb")
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


def test_pdf_is_a_pdf_with_the_norwegian_text(demo):
    pdf = export.render_pdf(export.plan_document(demo, language="nb"))
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = b""
    for match in re.finditer(rb"/Length (\d+) /Filter /FlateDecode >>\nstream\n", pdf):
        start = match.end()
        text += zlib.decompress(pdf[start : start + int(match.group(1))])
    assert "Situasjonsanalyse".encode("cp1252") in text
    assert "Nygård".encode("cp1252") in text  # å survives the WinAnsi encoding
    assert text.count(b"/F2") > 10


def test_pdf_wraps_long_words():
    from varde.strategy.pdf import TEXT_W, text_width, wrap

    lines = wrap("x" * 400 + " short words here", 10.5, TEXT_W)
    assert all(text_width(line, 10.5) <= TEXT_W for line in lines)


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
