"""Numbers, dates, time zones and "how long ago" as the reader's language writes them.

Bokmål writes "3,5 timer", "mandag 7. desember" and "norsk tid"; English writes "3.5 hours",
"Monday 7 December" and "Oslo time". Python's ``str()``, a hand-written date format such as
``"l j F"`` and the tz database id ("Europe/Oslo") each get one of these wrong in one language, so
every place that shows a number with decimals, a spelled-out date, a time zone or a relative time
goes through here (the templates through ``varde.web.templatetags.varde_dates``). The language is
the active one (``translation.override`` for e-mail and exports), read when the text is made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import dateformat, formats, timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

# Per name: (bokmål, English). ``b`` is the lower-case month abbreviation; bokmål puts a full stop
# after the day ("7. des", "mandag 7. desember"), English does not ("7 Dec", "Monday 7 December").
DATE_FORMATS: dict[str, tuple[str, str]] = {
    "day_month": ("j. b", "j M"),
    "day_month_year": ("j. b Y", "j M Y"),
    "day_month_year_long": ("j. F Y", "j F Y"),
    "day_month_year_long_time": ("j. F Y H:i", "j F Y H:i"),
    "weekday_day_month": ("D j. b", "D j M"),
    "weekday_day_month_long": ("l j. F", "l j F"),
    "weekday_day_month_long_time": ("l j. F H:i", "l j F H:i"),
    "weekday_day_month_year_long_time": ("l j. F Y, H:i", "l j F Y, H:i"),
    "day_month_year_time": ("j. b Y H:i", "j M Y H:i"),
    "moment": ("D j. b Y H:i", "D j M Y H:i"),
}

# Zones whose clock is the one a Norwegian calls "norsk tid".
_NORWEGIAN_ZONES = {"Europe/Oslo", "Arctic/Longyearbyen", "Atlantic/Jan_Mayen"}


def _is_bokmal() -> bool:
    return (translation.get_language() or "").startswith("nb")


def format_date(value: dt.date | dt.datetime | None, name: str) -> str:
    """``value`` in the format ``name`` of DATE_FORMATS, in the active language; "" for none.

    An aware datetime is written in its own time zone: convert it to the reader's zone first
    (``utc_to_local``); the template filters get it converted by Django, like ``date``.
    """
    if value is None or value == "":
        return ""
    bokmal, english = DATE_FORMATS[name]
    return dateformat.format(value, bokmal if _is_bokmal() else english)


def plain_number(value: Decimal | float | int | None, decimals: int | None = None) -> str:
    """A number as people write it: "3,5" in bokmål, "3.5" in English, "4" rather than "4.0".

    ``decimals`` rounds first (1 gives "2,5"); trailing zeros are dropped either way. No
    thousands separator, so a figure in a sentence never reads as two numbers.
    """
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
    number = number.normalize()
    if number == number.to_integral_value():
        return str(int(number))
    return formats.number_format(number, use_l10n=True)


class LocalNumber:
    """A number written in the language that is active when it is turned into text.

    For values of a message made now and read later in someone else's language (a notification
    rendered per recipient): ``"%s" % LocalNumber(2.5, 1)`` gives "2,5" under bokmål.
    """

    def __init__(self, value: Decimal | float | int, decimals: int | None = None) -> None:
        self.value = value
        self.decimals = decimals

    def __str__(self) -> str:
        return plain_number(self.value, self.decimals)

    def __repr__(self) -> str:
        return f"LocalNumber({self.value!r}, {self.decimals!r})"


def zone_place_name(zone: str) -> str:
    """A time zone as a reader names it: "norsk tid" / "Oslo time", not "Europe/Oslo".

    Other zones take their city ("New York-tid" / "New York time"); UTC stays "UTC".
    """
    if not zone or zone.upper() in {"UTC", "ETC/UTC", "GMT"}:
        return "UTC"
    if zone in _NORWEGIAN_ZONES:
        return _("Oslo time")
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def zone_label(zone: str, day: dt.date) -> str:
    """The place name with the UTC offset on ``day``, e.g. "norsk tid (UTC+01:00)".

    The offset says what the name cannot: whether summer time is on that day.
    """
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC).astimezone(ZoneInfo(zone or "UTC"))
    offset = noon.strftime("%z")
    return f"{zone_place_name(zone)} (UTC{offset[:3]}:{offset[3:]})"


def time_ago(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago ``moment`` was: "for 5 minutter siden" / "5 minutes ago".

    Under a minute it is "nå nettopp" / "just now": Django's ``timesince`` would say
    "0 minutter", which nobody says.
    """
    if moment is None:
        return ""
    now = now or timezone.now()
    if (now - moment).total_seconds() < 60:
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(moment, now)}
