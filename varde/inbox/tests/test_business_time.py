"""Response clocks count business hours, and Norway's public holidays are days off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from varde.inbox.business_time import (
    BusinessHours,
    add_business_seconds,
    business_seconds,
    holiday_name,
)
from varde.inbox.sla import ClockState, clock_of, duration_words

OSLO = ZoneInfo("Europe/Oslo")
HOURS = BusinessHours(frozenset(range(5)), dt.time(8), dt.time(16), OSLO)
HOUR = 3600


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=OSLO)


def test_a_weekend_does_not_count():
    # Friday 15:00 to Monday 09:00: one hour on Friday, one on Monday.
    assert business_seconds(at("2026-11-27", 15), at("2026-11-30", 9), HOURS) == 2 * HOUR


def test_easter_does_not_count():
    # Maundy Thursday, Good Friday and Easter Monday 2026 are public holidays in Norway.
    assert business_seconds(at("2026-04-01", 15), at("2026-04-07", 9), HOURS) == 2 * HOUR


def test_a_team_that_works_holidays_counts_them():
    open_on_holidays = BusinessHours(
        frozenset(range(5)), dt.time(8), dt.time(16), OSLO, skip_public_holidays=False
    )
    seconds = business_seconds(at("2026-04-01", 15), at("2026-04-07", 9), open_on_holidays)
    assert seconds == (1 + 8 + 8 + 8 + 1) * HOUR


def test_the_night_does_not_count_and_utc_times_are_fine():
    start = at("2026-12-07", 15).astimezone(dt.UTC)
    assert business_seconds(start, at("2026-12-08", 8, 30), HOURS) == 1.5 * HOUR


def test_when_the_target_runs_out():
    assert add_business_seconds(at("2026-11-27", 15), 2 * HOUR, HOURS) == at("2026-11-30", 9)
    # Written on Saturday: the clock starts on Monday at opening time.
    assert add_business_seconds(at("2026-11-28", 11), HOUR, HOURS) == at("2026-11-30", 9)


def test_closed_every_day_has_no_end():
    never = BusinessHours(frozenset(), dt.time(8), dt.time(16), OSLO)
    assert add_business_seconds(at("2026-11-27", 15), HOUR, never) is None


def test_the_clock_states():
    since = at("2026-12-07", 9)
    on_time = clock_of(since, now=at("2026-12-07", 10), target_s=4 * HOUR, hours=HOURS)
    at_risk = clock_of(since, now=at("2026-12-07", 12), target_s=4 * HOUR, hours=HOURS)
    overdue = clock_of(since, now=at("2026-12-07", 14, 5), target_s=4 * HOUR, hours=HOURS)
    assert (on_time.state, at_risk.state, overdue.state) == (
        ClockState.ON_TIME,
        ClockState.AT_RISK,
        ClockState.OVERDUE,
    )
    assert on_time.due_at == at("2026-12-07", 13)
    with translation.override("en"):
        assert on_time.words == "Answer within 3 h"
        assert at_risk.words == "At risk: 1 h left"
        assert overdue.words == "Overdue by 1 h 5 min"


def test_durations_in_words():
    with translation.override("en"):
        assert duration_words(35 * 60) == "35 min"
        assert duration_words(20) == "1 min"


def test_holiday_names_follow_the_language():
    with translation.override("nb"):
        assert holiday_name(dt.date(2026, 5, 17)) == "Grunnlovsdag"
    with translation.override("en"):
        assert holiday_name(dt.date(2026, 5, 17)) == "Constitution Day"
