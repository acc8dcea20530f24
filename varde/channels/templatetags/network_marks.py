"""``{% network_mark key %}``: a network's mark wherever a channel or network is named.

The mark is a ``<span>`` whose tile and glyph come from the stylesheet (the vendored SVG as a
background), so a page with many posts (the calendar) pays a few bytes per mark and no extra
request per network. It is named for screen readers by the network's name (``role="img"``),
unless the text next to it already says it (``decorative=True``).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from varde.channels.network_marks import initial_of, mark_for, tone_of

register = template.Library()
SIZES = frozenset({"lg", "xl"})


@register.simple_tag
def network_mark(key: str, label: str = "", size: str = "", decorative: bool = False) -> SafeString:
    """``size``: "" (inline with text), "lg" (headings) or "xl" (the connect page's cards)."""
    return _network_mark(str(key), str(label), size if size in SIZES else "", bool(decorative))


# The same few marks are drawn thousands of times on a busy calendar: each is built once.
@lru_cache(maxsize=256)
def _network_mark(key: str, label: str, size: str, decorative: bool) -> SafeString:
    mark = mark_for(key, label)
    size_class = f" network-mark-{size}" if size else ""
    name = (
        mark_safe('aria-hidden="true"')  # a constant: no text of anyone's
        if decorative
        else format_html('role="img" aria-label="{}" title="{}"', mark.label, mark.label)
    )
    initial = "" if mark.slug else format_html('<span aria-hidden="true">{}</span>', mark.initial)
    return format_html(
        '<span class="network-mark {}{}" {}>{}</span>', mark.css_class, size_class, name, initial
    )


@register.simple_tag
def channel_avatar(label: str, key: str) -> SafeString:
    """The channel's initial in a round tile, where the network shows the account's picture.

    Varde keeps no copy of the account's picture (its pages load nothing from other hosts), so
    the initial stands in; it is decorative, the name is written next to it."""
    return format_html(
        '<span class="np-avatar mark-tone-{}" aria-hidden="true">{}</span>',
        tone_of(str(key) + str(label)),
        initial_of(str(label)),
    )
