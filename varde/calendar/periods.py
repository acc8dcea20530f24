"""The stretch of days a calendar view shows, in the workspace's wall clock.

Days are local dates; the database is asked with UTC instants computed from local midnights, so
a week that contains a DST change is still exactly Monday 00:00 to the next Monday 00:00 local
(167 or 169 hours long), and a post at 23:30 local on Sunday lands on Sunday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from varde.lib.timeutil import local_to_utc

VIEWS = ("month", "week", "list")


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week that holds ``day`` (weeks start on Monday in Norway)."""
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def local_midnight_utc(day: dt.date, zone: str) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time(0, 0)), zone)


@dataclass(frozen=True)
class Period:
    view: str  # one of VIEWS
    anchor: dt.date  # the date the person asked for
    first_day: dt.date
    last_day: dt.date  # inclusive
    zone: str

    @property
    def start_utc(self) -> dt.datetime:
        return local_midnight_utc(self.first_day, self.zone)

    @property
    def end_utc(self) -> dt.datetime:
        return local_midnight_utc(self.last_day + dt.timedelta(days=1), self.zone)

    @property
    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=n) for n in range(count)]

    @property
    def weeks(self) -> list[list[dt.date]]:
        days = self.days
        return [days[i : i + 7] for i in range(0, len(days), 7)]

    @property
    def previous_anchor(self) -> dt.date:
        if self.view == "week":
            return self.anchor - dt.timedelta(days=7)
        return add_months(self.anchor, -1)

    @property
    def next_anchor(self) -> dt.date:
        if self.view == "week":
            return self.anchor + dt.timedelta(days=7)
        return add_months(self.anchor, 1)


def period_for(view: str, anchor: dt.date, zone: str) -> Period:
    """Month: whole weeks around the month. Week: Monday to Sunday. List: the month's days."""
    if view == "week":
        first = week_start(anchor)
        return Period(view, anchor, first, first + dt.timedelta(days=6), zone)
    start = month_start(anchor)
    end = add_months(start, 1) - dt.timedelta(days=1)
    if view == "list":
        return Period(view, anchor, start, end, zone)
    first = week_start(start)
    last = week_start(end) + dt.timedelta(days=6)
    return Period("month", anchor, first, last, zone)
