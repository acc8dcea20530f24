"""Show one of Varde's own documentation pages (``docs/networks/<network>.md``) inside Varde.

Only the plain Markdown those guides use: headings, paragraphs, numbered and bulleted lists
(with wrapped lines), indented code, pipe tables, `code`, **bold**, [links](…) and bare https
addresses. Everything else shows as text. Every piece of text is escaped before it is wrapped
in a tag, and only https links become links (a relative link to another file keeps its words),
so the result is safe to show even though it is built as HTML here. Not for text from users or
networks: for that, templates escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_ITEM = re.compile(r"^(?P<marker>-|\d+\.)\s+(?P<text>.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?P<url>https://[^\s<>()`]*[^\s<>()`.,;:])"
)
CODE_INDENT = "    "


def _link(href: str, label: str) -> str:
    if not href.startswith("https://"):
        return label
    return f'<a href="{escape(href)}" rel="noreferrer">{label}</a>'


def _inline_piece(found: re.Match[str]) -> str:
    if found["code"] is not None:
        return f"<code>{escape(found['code'])}</code>"
    if found["label"] is not None:
        return _link(found["href"], inline(found["label"]))
    if found["bold"] is not None:
        return f"<strong>{inline(found['bold'])}</strong>"
    return _link(found["url"], escape(found["url"]))


def inline(text: str) -> str:
    """One line's words, escaped, with code, bold and links marked up."""
    out, position = [], 0
    for found in _INLINE.finditer(text):
        out.append(escape(text[position : found.start()]))
        out.append(_inline_piece(found))
        position = found.end()
    out.append(escape(text[position:]))
    return "".join(out)


def _is_block_start(line: str) -> bool:
    stripped = line.lstrip()
    return bool(
        _HEADING.match(line) or _ITEM.match(stripped) or stripped.startswith("|")
    ) or line.startswith(CODE_INDENT)


def _heading(lines: list[str], start: int) -> tuple[str, int]:
    found = _HEADING.match(lines[start])
    if found is None:
        return _paragraph(lines, start)
    # The page's own title is the h1: the guide's headings start one level below it.
    level = min(len(found[1]) + 1, 6)
    return f"<h{level}>{inline(found[2])}</h{level}>", start + 1


def _code(lines: list[str], start: int) -> tuple[str, int]:
    taken, end = [], start
    while end < len(lines) and (lines[end].startswith(CODE_INDENT) or not lines[end].strip()):
        taken.append(lines[end][len(CODE_INDENT) :])
        end += 1
    while taken and not taken[-1].strip():
        taken.pop()
    return f"<pre><code>{escape(chr(10).join(taken))}</code></pre>", end


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str], start: int) -> tuple[str, int]:
    end = start
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    rows = [_cells(line) for line in lines[start:end] if not _TABLE_RULE.match(line.strip())]
    head = "".join(f'<th scope="col">{inline(cell)}</th>' for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{inline(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:]
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>', end


def _next_item(lines: list[str], end: int, ordered: bool) -> int | None:
    """Where the list goes on after a blank line (a loose list), or None where it ends."""
    following = end
    while following < len(lines) and not lines[following].strip():
        following += 1
    found = _ITEM.match(lines[following]) if following < len(lines) else None
    if found is None or found["marker"][0].isdigit() != ordered:
        return None
    return following


def _list(lines: list[str], start: int) -> tuple[str, int]:
    first = _ITEM.match(lines[start])
    if first is None:
        return _paragraph(lines, start)
    ordered = first["marker"][0].isdigit()
    items: list[list[str]] = []
    end = start
    while end < len(lines):
        found = _ITEM.match(lines[end])
        if found is not None and found["marker"][0].isdigit() == ordered:
            items.append([found["text"]])
        elif lines[end].strip() and lines[end].startswith(" ") and items:
            items[-1].append(lines[end].strip())  # a wrapped line of the item
        elif not lines[end].strip() and (after := _next_item(lines, end, ordered)) is not None:
            end = after
            continue
        else:
            break
        end += 1
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li>{inline(' '.join(item))}</li>" for item in items)
    return f"<{tag}>{body}</{tag}>", end


def _paragraph(lines: list[str], start: int) -> tuple[str, int]:
    taken, end = [lines[start].strip()], start + 1
    while end < len(lines) and lines[end].strip() and not _is_block_start(lines[end]):
        taken.append(lines[end].strip())
        end += 1
    return f"<p>{inline(' '.join(taken))}</p>", end


def _reader_for(line: str) -> Callable[[list[str], int], tuple[str, int]]:
    if _HEADING.match(line):
        return _heading
    if line.startswith(CODE_INDENT):
        return _code
    if line.lstrip().startswith("|"):
        return _table
    if _ITEM.match(line):
        return _list
    return _paragraph


def guide_html(markdown: str) -> SafeString:
    """The guide as HTML: every word escaped here, so it may be shown as is."""
    lines = markdown.splitlines()
    blocks, position = [], 0
    while position < len(lines):
        if not lines[position].strip():
            position += 1
            continue
        block, position = _reader_for(lines[position])(lines, position)
        blocks.append(block)
    return mark_safe("\n".join(blocks))  # noqa: S308 - built from escaped pieces above
