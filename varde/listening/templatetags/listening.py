"""Template helpers for untrusted mention text: escaped, with the matched words marked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def highlighted(text: str, spans: Iterable[Sequence[int]] = ()) -> SafeString:
    """``text`` escaped, with each span wrapped in ``<mark>``; overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s[0]), int(s[1])) for s in spans if len(s) == 2):
        if start < 0 or end > len(text) or start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        parts.append(str(escape(text[position:start])))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(str(escape(text[position:])))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
