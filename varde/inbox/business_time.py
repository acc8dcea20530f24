"""Time counted in business hours, for the inbox's response clocks (issue 13, item 4).

A workspace answers on some weekdays between an opening and a closing time, in its own time
zone, and not on Norway's public holidays (from the maintained ``holidays`` package) unless it
says it works them. ``business_seconds`` counts the part of a span that falls inside those
hours; ``add_business_seconds`` finds when a span of business time ends. Both walk day by day,
so a weekend or Easter in the middle costs a few loop turns, and both stop after a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

MAX_DAYS = 366
COUNTRY = "NO"


@dataclass(frozen=True)
class BusinessHours:
    weekdays: frozenset[int]  # 0 = Monday
    opens: dt.time
    closes: dt.time
    zone: ZoneInfo
    skip_public_holidays: bool = True

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The open hours of ``day`` as aware datetimes, or None on a closed day."""
        if day.weekday() not in self.weekdays or self.closes <= self.opens:
            return None
        if self.skip_public_holidays and day in _public_holidays(day.year):
            return None
        return (
            dt.datetime.combine(day, self.opens, tzinfo=self.zone),
            dt.datetime.combine(day, self.closes, tzinfo=self.zone),
        )


@lru_cache(maxsize=16)
def _public_holidays(year: int, language: str = "en_US") -> holidays.HolidayBase:
    # Sundays are left to the weekdays: the package can list every Sunday as a holiday too.
    return holidays.country_holidays(COUNTRY, years=year, include_sundays=False, language=language)


def holiday_name(day: dt.date) -> str | None:
    """The public holiday's name in the active language (bokmål or English), or None."""
    from django.utils.translation import get_language

    language = "no" if (get_language() or "").startswith("nb") else "en_US"
    return _public_holidays(day.year, language).get(day)


def business_seconds(start: dt.datetime, end: dt.datetime, hours: BusinessHours) -> float:
    """Seconds of ``[start, end)`` that fall within business hours."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(hours.zone).date()
    last = end.astimezone(hours.zone).date()
    for _turn in range(MAX_DAYS):
        if day > last:
            break
        window = hours.window(day)
        if window is not None:
            overlap = min(end, window[1]) - max(start, window[0])
            total += max(0.0, overlap.total_seconds())
        day += dt.timedelta(days=1)
    return total


def add_business_seconds(
    start: dt.datetime, seconds: float, hours: BusinessHours
) -> dt.datetime | None:
    """The moment when ``seconds`` of business time have passed after ``start``; None when
    the hours have no open day within a year."""
    left = seconds
    day = start.astimezone(hours.zone).date()
    for _turn in range(MAX_DAYS):
        window = hours.window(day)
        if window is not None:
            begin = max(start, window[0])
            available = (window[1] - begin).total_seconds()
            if available > 0:
                if left <= available:
                    return begin + dt.timedelta(seconds=left)
                left -= available
        day += dt.timedelta(days=1)
    return None


def subtract_business_seconds(
    end: dt.datetime, seconds: float, hours: BusinessHours
) -> dt.datetime | None:
    """The latest moment ``start`` with at least ``seconds`` of business time in
    ``[start, end)``: every clock that started at or before it has run that long. None when the
    hours have no open day within a year before ``end``.

    ``business_seconds(start, end)`` only grows as ``start`` moves back, so "waited at least
    this long" is "started at or before this moment", a plain comparison the database can do.
    """
    if seconds <= 0:
        return end
    left = seconds
    day = end.astimezone(hours.zone).date()
    for _turn in range(MAX_DAYS):
        window = hours.window(day)
        if window is not None:
            finish = min(end, window[1])
            available = (finish - window[0]).total_seconds()
            if available > 0:
                if left <= available:
                    return finish - dt.timedelta(seconds=left)
                left -= available
        day -= dt.timedelta(days=1)
    return None
