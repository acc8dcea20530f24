"""``web_link``: a link from a network or a person shown only when it is http(s).

Connectors and listening sources drop other schemes before they store a URL, but rows stored
before those checks, or written by a path that forgets them, would still put a ``javascript:``
address into an ``href``, where escaping does not help. Templates pass every such URL through
this filter as a second wall; the XSS corpus test (tests/security/) finds an ``href`` that
does not.
"""

from __future__ import annotations

from django import template

from varde.connectors.contracts import web_link as checked_web_link

register = template.Library()


@register.filter
def web_link(value: object) -> str:
    """The address when it is http(s) with a host, else ""."""
    return checked_web_link(value if isinstance(value, str) else None)
