"""The networks' guides shown inside Varde: the Markdown they use, and nothing unescaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from varde.lib.guide_markup import guide_html

GUIDES = Path(__file__).resolve().parent.parent / "docs" / "networks"


def test_headings_lists_tables_and_code():
    html = guide_html(
        "# Title\n\nA paragraph\nwrapped.\n\n## Step\n\n1. Go to https://example.com/apps and\n"
        "   log in.\n2. **Create app**.\n\n- one\n- two `x`\n\n| a | b |\n|---|---|\n"
        "| `c` | d |\n\n    VARDE_X=1\n"
    )
    assert "<h2>Title</h2>" in html
    assert "<p>A paragraph wrapped.</p>" in html
    assert "<h3>Step</h3>" in html
    assert (
        '<ol><li>Go to <a href="https://example.com/apps" rel="noreferrer">'
        "https://example.com/apps</a> and log in.</li><li><strong>Create app</strong>.</li></ol>"
    ) in html
    assert "<ul><li>one</li><li>two <code>x</code></li></ul>" in html
    assert '<th scope="col">a</th>' in html
    assert "<td><code>c</code></td><td>d</td>" in html
    assert "<pre><code>VARDE_X=1</code></pre>" in html


def test_everything_is_escaped_and_only_https_links_link():
    html = guide_html(
        "<script>alert(1)</script> [x](javascript:alert(1)) [y](other.md) `<b>` "
        '[z](https://e.example/"onmouseover=x)'
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "other.md" not in html
    assert "<code>&lt;b&gt;</code>" in html
    assert '"onmouseover' not in html


@pytest.mark.parametrize("name", ["facebook", "instagram", "threads", "linkedin", "x", "youtube"])
def test_every_network_guide_renders(name):
    html = guide_html((GUIDES / f"{name}.md").read_text(encoding="utf-8"))
    assert html.startswith("<h2>")
    assert "/channels/oauth/callback/" in html
    assert "**" not in html  # no bold left unread
