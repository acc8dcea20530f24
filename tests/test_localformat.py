"""Numbers, dates, time zones and relative times read as each language writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

from varde.lib.localformat import LocalNumber, plain_number, time_ago, zone_label, zone_place_name
from varde.strategy.export import _hours

MONDAY = dt.date(2026, 12, 7)
NOW = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language), timezone.override(ZoneInfo("Europe/Oslo")):
        return Template("{% load varde_dates %}" + source).render(Context(context))


def test_a_decimal_has_a_comma_in_bokmal_and_a_point_in_english():
    with translation.override("nb"):
        assert plain_number(Decimal("3.50")) == "3,5"
        assert plain_number(Decimal("4.0")) == "4"
        assert plain_number(2.46, 1) == "2,5"
        assert str(LocalNumber(2.46, 1)) == "2,5"
        assert _hours(Decimal("3.5")) == "3,5 timer"
    with translation.override("en"):
        assert plain_number(Decimal("3.50")) == "3.5"
        assert _hours(Decimal("3.5")) == "3.5 hours"


def test_a_lazy_number_is_written_in_the_language_active_when_it_is_read():
    value = LocalNumber(Decimal("1.25"), 1)
    with translation.override("en"):
        assert "%s an hour" % value == "1.2 an hour"  # noqa: UP031 - how Message renders
    with translation.override("nb"):
        assert "%s i timen" % value == "1,2 i timen"  # noqa: UP031


def test_a_spelled_out_date_has_the_full_stop_after_the_day_in_bokmal():
    assert render("{{ d|weekday_day_month_long }}", "nb", d=MONDAY) == "mandag 7. desember"
    assert render("{{ d|weekday_day_month_long }}", "en", d=MONDAY) == "Monday 7 December"
    moment = dt.datetime(2026, 12, 7, 14, 30, tzinfo=ZoneInfo("Europe/Oslo"))
    assert render("{{ d|weekday_day_month_long_time }}", "nb", d=moment) == (
        "mandag 7. desember 14:30"
    )
    assert render("{{ d|day_month_year_long_time }}", "nb", d=moment) == "7. desember 2026 14:30"


def test_a_time_zone_is_a_place_not_a_database_id():
    with translation.override("nb"):
        assert zone_place_name("Europe/Oslo") == "norsk tid"
        assert zone_place_name("America/New_York") == "New York-tid"
        assert zone_label("Europe/Oslo", MONDAY) == "norsk tid (UTC+01:00)"
        assert zone_label("Europe/Oslo", dt.date(2026, 7, 1)) == "norsk tid (UTC+02:00)"
    with translation.override("en"):
        assert zone_place_name("Europe/Oslo") == "Oslo time"
        assert zone_place_name("UTC") == "UTC"
    assert render("{{ z|zone_name }}", "nb", z="Europe/Oslo") == "norsk tid"


def test_under_a_minute_ago_is_just_now_never_zero_minutes():
    with translation.override("nb"):
        assert time_ago(NOW - dt.timedelta(seconds=20), NOW) == "nå nettopp"
        # timesince keeps the number and its unit together with a no-break space
        assert time_ago(NOW - dt.timedelta(minutes=5), NOW) == "for 5\xa0minutter siden"
    with translation.override("en"):
        assert time_ago(NOW - dt.timedelta(seconds=59), NOW) == "just now"
        assert time_ago(NOW - dt.timedelta(minutes=1), NOW) == "1\xa0minute ago"
        assert time_ago(None, NOW) == ""
