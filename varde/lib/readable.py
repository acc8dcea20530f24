"""Values written for people: local times, dates, weekdays, yes/no, lists in words.

The audit log and the plan's history store values as the machine had them (ISO times in UTC,
weekday numbers, ``True``, ``None``, lists). These helpers turn each into what a marketer would
write, in the active language: "7. des. 2026 kl. 14.05" in bokmål, "7 Dec 2026, 14:05" in
English, "Monday and Wednesday", "yes", "none". No domain knowledge lives here; an app that
knows what a value means (a role, a network) formats it itself and may use these for the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import dateformat, formats, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

# Per language: (bokmål, English), as ``django.utils.dateformat`` writes them. ``N`` is the
# abbreviated month with its full stop where bokmål writes one ("des.", "mai").
_MOMENT = (r"j. N Y \k\l. H.i", "j M Y, H:i")
_DATE = ("j. N Y", "j M Y")
_TIME = ("H.i", "H:i")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _is_bokmal() -> bool:
    return (translation.get_language() or "").startswith("nb")


def _pick(pair: tuple[str, str]) -> str:
    return pair[0] if _is_bokmal() else pair[1]


def _zone(zone_name: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def moment(instant: dt.datetime, zone_name: str) -> str:
    """An instant as the clock on the wall showed it in the workspace's time zone. A naive
    value is already a wall-clock time (the calendar stores moves that way) and is shown as is."""
    if instant.tzinfo is not None:
        instant = instant.astimezone(_zone(zone_name))
    return dateformat.format(instant, _pick(_MOMENT))


def day(value: dt.date) -> str:
    return dateformat.format(value, _pick(_DATE))


def clock(value: dt.time) -> str:
    return dateformat.time_format(value, _pick(_TIME))


def weekday(number: int) -> str:
    """Monday = 0, as Python and the plan count them."""
    return str(WEEKDAYS[number % 7])


def weekdays(numbers: Iterable[Any]) -> str:
    return in_words([weekday(int(n)) for n in sorted(numbers, key=int)])


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def in_words(items: Iterable[str]) -> str:
    """["a", "b", "c"] → "a, b and c" (bokmål: "a, b og c"); an empty list → "none"."""
    parts = [str(item) for item in items if str(item)]
    if not parts:
        return _("none")
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def number(value: Any) -> str:
    """3.5 → "3,5" in bokmål; text that is not a number comes back as it was."""
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(parsed.normalize() if parsed == parsed.to_integral() else parsed)


def parse_instant(text: str) -> dt.datetime | None:
    """An ISO date-and-time as stored in a log ("2026-12-07T13:05:00+00:00"), else None."""
    if not isinstance(text, str) or len(text) < 16 or "T" not in text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_day(text: str) -> dt.date | None:
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def value(raw: Any, zone_name: str, *, limit: int = 120) -> str:
    """Any stored value, written for people: no ``None``, ``True``, brackets or ISO times."""
    if raw is None or raw in ("", [], {}):
        return _("none")
    if isinstance(raw, bool):
        return yes_no(raw)
    if isinstance(raw, int | float | Decimal):
        return number(raw)
    if isinstance(raw, list | tuple):
        return in_words(value(item, zone_name, limit=limit) for item in raw)
    if isinstance(raw, dict):
        return "; ".join(
            f"{key}: {value(item, zone_name, limit=limit)}" for key, item in raw.items()
        )
    return _text(str(raw), zone_name, limit)


def _text(text: str, zone_name: str, limit: int) -> str:
    instant = parse_instant(text)
    if instant is not None:
        return moment(instant, zone_name)
    date = parse_day(text)
    if date is not None:
        return day(date)
    if _NUMBER.fullmatch(text):
        return number(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
