"""Dates read the same way in both languages: day first, 24-hour clock."""

from __future__ import annotations

from datetime import datetime

from django.template import Context, Template
from django.utils import translation


def render(value: datetime) -> str:
    return Template("{{ value }}").render(Context({"value": value}))


def test_english_dates_are_day_first_with_a_24_hour_clock():
    moment = datetime(2026, 12, 11, 15, 45)  # noqa: DTZ001 - a plain value to format
    with translation.override("en"):
        assert render(moment) == "11 Dec 2026, 15:45"
    with translation.override("nb"):
        assert "15:45" in render(moment)
