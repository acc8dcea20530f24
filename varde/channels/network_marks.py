"""Which mark stands for a network on Varde's pages, and its accessible name.

A network whose connector names a mark (``look.mark``) shows the vendored simple-icons glyph on
a tile of its brand colour (``static/channels/marks/``, written by
``tools/vendor_network_marks.py``). Every other one — a network simple-icons has no mark for
(LinkedIn), one that is not a brand (the newsletter, the webhook, the sandbox), a channel whose
connector this installation no longer has, or a plan's "other" — shows its initial on a neutral
tile: honest, and never a logo drawn by us.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from varde.connectors import registry

MARKS_DIR = Path(__file__).resolve().parent / "static" / "channels" / "marks"

# Tiles for an initial: white text on each keeps WCAG AA contrast for normal text (4.5:1, checked
# by tests/test_network_marks.py). Chosen from the key, so a network keeps its colour.
INITIAL_TONES = ("3D4A5C", "5B4B8A", "1F6F5C", "8A4B2E", "2F5D8A", "6B4E71")


@dataclass(frozen=True)
class NetworkMark:
    key: str
    label: str  # the accessible name: the network's name
    slug: str | None  # the vendored mark, None for an initial
    initial: str
    tone: int

    @property
    def css_class(self) -> str:
        return f"mark-{self.slug}" if self.slug else f"mark-initial mark-tone-{self.tone}"


@cache
def vendored_marks() -> dict[str, dict[str, str]]:
    """The marks that were vendored, by slug (read once per process)."""
    index = json.loads((MARKS_DIR / "marks.json").read_text(encoding="utf-8"))
    marks: dict[str, dict[str, str]] = index["marks"]
    return marks


def initial_of(label: str) -> str:
    letters = [char for char in label if char.isalnum()]
    return letters[0].upper() if letters else "?"


def tone_of(key: str) -> int:
    # Stable across processes (unlike hash()): the sum of the key's code points.
    return sum(map(ord, key)) % len(INITIAL_TONES)


def mark_for(connector_key: str, label: str = "") -> NetworkMark:
    """The mark of ``connector_key``; ``label`` names a key no connector answers to (a plan's
    "other" network)."""
    try:
        connector = registry.get(connector_key)
    except registry.UnknownConnectorError:
        name = label or connector_key
        return NetworkMark(connector_key, name, None, initial_of(name), tone_of(connector_key))
    slug = connector.look.mark
    if slug not in vendored_marks():
        slug = None
    return NetworkMark(
        connector_key, connector.label, slug, initial_of(connector.label), tone_of(connector_key)
    )
