"""What reads differently in the plan since the adopted version, in words rather than a diff.

Both the adopted version and the plan now are Markdown documents (``export.plan_markdown``).
A line diff of them is exact but reads like code ("-| Instagram | 3 | Monday, Wednesday |").
This compares them section by section and says it as a marketer would: a table row that
changed is named by its first cell, with each changed column as "Posts per week: 4 (was 3)";
a "**Label:** value" line becomes "Label: new (was old)"; anything else is "Added: …" or
"Removed: …" as plain text, without Markdown marks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.accounts.audit_sentences import change_line
from varde.strategy import selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

# Both copies start with the title and the date they were written; those are not changes.
_PREAMBLE_LINES = 3
_LABELLED = re.compile(r"^\*\*(?P<label>[^*]+?):\*\*\s*(?P<value>.*)$")
_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


@dataclass(frozen=True)
class Line:
    """One line of the document with what it belongs to: its section and, for a table row,
    the table's column names."""

    text: str
    section: str
    columns: tuple[str, ...] = ()

    @property
    def cells(self) -> list[str]:
        return [_plain(cell) for cell in self.text.strip().strip("|").split("|")]

    @property
    def is_row(self) -> bool:
        return bool(self.columns) and self.text.startswith("|")


@dataclass(frozen=True)
class Change:
    kind: str  # "changed", "added" or "removed"
    what: str
    fields: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    changes: list[Change] = field(default_factory=list)


def _plain(text: str) -> str:
    """Markdown marks off: "**Mission:** _x_" → "Mission: x"."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text.strip())
    text = re.sub(r"(?<![\w])_(.+?)_(?![\w])", r"\1", text)
    return re.sub(r"^([-*>]|\d+\.)\s+", "", text).strip()


def _annotated(markdown: str) -> list[Line]:
    lines = markdown.splitlines()[_PREAMBLE_LINES:]
    annotated: list[Line] = []
    section = ""
    columns: tuple[str, ...] = ()
    for index, text in enumerate(lines):
        if text.startswith("#"):
            section, columns = text.lstrip("#").strip(), ()
            continue
        if not text.strip() or _SEPARATOR.match(text):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if text.startswith("|") and _SEPARATOR.match(following):
            columns = tuple(Line(text, section).cells)
            continue
        if not text.startswith("|"):
            columns = ()
        annotated.append(Line(text, section, columns))
    return annotated


def _changed_lines(then: list[Line], now: list[Line]) -> tuple[list[Line], list[Line]]:
    matcher = difflib.SequenceMatcher(
        a=[(line.section, line.text) for line in then],
        b=[(line.section, line.text) for line in now],
        autojunk=False,
    )
    removed: list[Line] = []
    added: list[Line] = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(then[a_start:a_end])
            added.extend(now[b_start:b_end])
    return removed, added


def _key(line: Line) -> tuple[str, str] | None:
    """What identifies a line across versions: a row's first cell, or a line's label."""
    if line.is_row:
        return (line.section, line.cells[0])
    labelled = _LABELLED.match(line.text.strip())
    return (line.section, labelled["label"]) if labelled else None


def _row_change(before: Line, after: Line) -> Change:
    old, new = before.cells, after.cells
    lines = [
        change_line(column, old[i] or _("none"), new[i] or _("none"))
        for i, column in enumerate(after.columns)
        if i < len(old) and i < len(new) and old[i] != new[i]
    ]
    return Change("changed", new[0], lines)


def _labelled_change(before: Line, after: Line) -> Change:
    old = _LABELLED.match(before.text.strip())
    new = _LABELLED.match(after.text.strip())
    if old is None or new is None:  # both matched in _key; this keeps the type checker sure
        return Change("changed", _text(after))
    label = new["label"]
    value = change_line(label, _plain(old["value"]) or _("none"), _plain(new["value"]) or _("none"))
    return Change("changed", value)


def _text(line: Line) -> str:
    if line.is_row:
        return " · ".join(cell for cell in line.cells if cell)
    return _plain(line.text)


def _changes(removed: list[Line], added: list[Line]) -> list[tuple[str, Change]]:
    """Pair what was removed with what was added in its place; the rest stands alone."""
    removed_by_key = {key: line for line in removed if (key := _key(line)) is not None}
    paired: set[tuple[str, str]] = set()
    found: list[tuple[str, Change]] = []
    for line in added:
        key = _key(line)
        before = removed_by_key.get(key) if key else None
        if key is not None and before is not None and key not in paired:
            paired.add(key)
            change = _row_change(before, line) if line.is_row else _labelled_change(before, line)
            found.append((line.section, change))
        else:
            found.append((line.section, Change("added", _text(line))))
    found.extend(
        (line.section, Change("removed", _text(line)))
        for line in removed
        if _key(line) not in paired
    )
    return found


def differences(then_markdown: str, now_markdown: str) -> list[Section]:
    """The readable differences between two copies of the plan, by section, in plan order."""
    removed, added = _changed_lines(_annotated(then_markdown), _annotated(now_markdown))
    sections: dict[str, Section] = {}
    for heading, change in _changes(removed, added):
        sections.setdefault(heading, Section(heading)).changes.append(change)
    order = {line.section: index for index, line in enumerate(_annotated(now_markdown))}
    return sorted(sections.values(), key=lambda s: order.get(s.heading, len(order)))


def differences_since_adopted(workspace: Workspace) -> list[Section] | None:
    """None when no version is adopted yet."""
    from varde.strategy.export import plan_markdown

    adopted = selectors.adopted_version(workspace)
    if adopted is None:
        return None
    return differences(adopted.markdown, plan_markdown(workspace=workspace))
