"""Dates, time zones and "how long ago" as each language writes them, for the templates.

"7. des 2026" and "mandag 7. desember" in bokmål, "7 Dec 2026" and "Monday 7 December" in
English: Django's ``M`` capitalises the month ("7 Des" in bokmål), and a format spelled in a
template ("l j F") leaves out bokmål's full stop after the day, so the templates use these filters
instead of spelling a format. The formats themselves live in ``varde.lib.localformat``, shared
with the Python code that writes dates into messages. Like ``date``, the filters show an aware
datetime in the current time zone unless a ``timezone`` filter already chose one.
"""

from __future__ import annotations

import datetime as dt

from django import template

from varde.lib.localformat import DATE_FORMATS, format_date, time_ago, zone_place_name

register = template.Library()


def _filter(name: str) -> None:
    def apply(value: dt.date | dt.datetime | None) -> str:
        return format_date(value, name)

    apply.__name__ = name
    register.filter(name, apply, expects_localtime=True)


for _name in DATE_FORMATS:
    _filter(_name)


@register.filter
def ago(value: dt.datetime | None) -> str:
    """ "for 5 minutter siden", or "nå nettopp" under a minute (never "0 minutter")."""
    return time_ago(value)


@register.filter
def zone_name(value: str) -> str:
    """ "norsk tid" / "Oslo time" for Europe/Oslo: a place, not a tz database id."""
    return zone_place_name(value)
