"""A report's period: a calendar month ("2026-11") or an ISO week ("2026-W48")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from varde.analytics.choices import ReportCadence

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11" or "2026-W48"
    cadence: str  # ReportCadence
    start: dt.date
    end: dt.date  # the last day, included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_period(text: str) -> Period:
    """``2026-11`` or ``2026-W48``; ``ValueError`` with a sentence for anything else."""
    text = text.strip()
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(_("There is no month %(month)s.") % {"month": month})
        return month_period(year, month)
    if match := _WEEK.fullmatch(text):
        year, week = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(
                _("%(year)s has no week %(week)s.") % {"year": year, "week": week}
            ) from None
        return week_period(monday)
    raise ValueError(_("Write the period as a month (2026-11) or a week (2026-W48)."))


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(
        f"{year:04d}-{month:02d}", ReportCadence.MONTHLY, start, following - dt.timedelta(1)
    )


def week_period(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _weekday = monday.isocalendar()
    return Period(f"{year:04d}-W{week:02d}", ReportCadence.WEEKLY, monday, monday + dt.timedelta(6))


def last_complete(cadence: str, today: dt.date) -> Period:
    """The last whole week or month before ``today``."""
    if cadence == ReportCadence.WEEKLY:
        return week_period(today - dt.timedelta(days=7))
    first = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(first.year, first.month)


def current(cadence: str, today: dt.date) -> Period:
    """The week or month ``today`` is in (a report of it so far)."""
    if cadence == ReportCadence.WEEKLY:
        return week_period(today)
    return month_period(today.year, today.month)


def recent_periods(today: dt.date) -> list[Period]:
    """The choices the reports page offers: this month and the five before it, this week and
    the seven before it."""
    months = [current(ReportCadence.MONTHLY, today)]
    for _turn in range(5):
        months.append(last_complete(ReportCadence.MONTHLY, months[-1].start))
    weeks = [week_period(today - dt.timedelta(weeks=n)) for n in range(8)]
    return months + weeks
