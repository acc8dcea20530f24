"""Small display helpers for the strategy pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.dates import WEEKDAYS_ABBR

from varde.lib.localformat import plain_number as written_number
from varde.strategy.selectors import network_name as _network_name

register = template.Library()


@register.filter
def weekdays(days: list[int] | None) -> str:
    return ", ".join(str(WEEKDAYS_ABBR[int(d)]) for d in sorted(days or []) if 0 <= int(d) <= 6)


@register.filter
def plain_number(value: Decimal | int | None) -> str:
    """1.0 -> "1", 2.50 -> "2,5" in bokmål ("2.5" in English): numbers as people write them."""
    return written_number(value)


@register.filter
def network_name(code: str | None) -> str:
    """ "instagram" → "Instagram": a network as people write it."""
    return _network_name(code) if code else ""
