"""Short dates read as each language writes them."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

WHEN = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load varde_dates %}" + source).render(Context(context))


def test_bokmal_writes_a_lower_case_month_after_a_dotted_day():
    with timezone.override(ZoneInfo("Europe/Oslo")):
        assert render("{{ d|day_month }}", "nb", d=WHEN) == "7. des"
        assert render("{{ d|weekday_day_month }}", "nb", d=WHEN) == "man 7. des"
        assert render("{{ d|moment }}", "nb", d=WHEN) == "man 7. des 2026 09:30"  # Oslo time
        assert render("{{ d|day_month_year_long }}", "nb", d=WHEN.date()) == "7. desember 2026"


def test_english_writes_the_day_first_with_a_short_month():
    with timezone.override(ZoneInfo("Europe/Oslo")):
        assert render("{{ d|day_month_year }}", "en", d=WHEN) == "7 Dec 2026"
        assert render("{{ d|moment }}", "en", d=WHEN) == "Mon 7 Dec 2026 09:30"


def test_a_chosen_time_zone_is_kept_and_nothing_shows_for_no_date():
    source = "{% load tz %}{{ d|timezone:'America/New_York'|day_month_year_time }}"
    assert render(source, "en", d=WHEN) == "7 Dec 2026 03:30"
    assert render("{{ d|day_month }}", "en", d=None) == ""
