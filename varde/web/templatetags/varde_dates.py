"""Short dates as each language writes them: "7. des 2026" in bokmål, "7 Dec 2026" in English.

Django's ``M`` capitalises the month ("7 Des" in bokmål), and its format names cover no
short day-and-month form, so the templates use these filters instead of spelling a format.
Like ``date``, they show an aware datetime in the current time zone unless a ``timezone``
filter already chose one.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import dateformat, translation

register = template.Library()

# Per filter: (bokmål, English). ``b`` is the lower-case month abbreviation.
_FORMATS = {
    "day_month": ("j. b", "j M"),
    "day_month_year": ("j. b Y", "j M Y"),
    "day_month_year_long": ("j. F Y", "j F Y"),
    "weekday_day_month": ("D j. b", "D j M"),
    "day_month_year_time": ("j. b Y H:i", "j M Y H:i"),
    "moment": ("D j. b Y H:i", "D j M Y H:i"),
}


def _format(value: dt.date | dt.datetime | None, name: str) -> str:
    if value is None or value == "":
        return ""
    bokmal, english = _FORMATS[name]
    language = translation.get_language() or ""
    return dateformat.format(value, bokmal if language.startswith("nb") else english)


def _filter(name: str) -> None:
    def apply(value: dt.date | dt.datetime | None) -> str:
        return _format(value, name)

    apply.__name__ = name
    register.filter(name, apply, expects_localtime=True)


for _name in _FORMATS:
    _filter(_name)
