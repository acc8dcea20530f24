"""A person reads the best times for a channel, with the numbers behind them, at both widths."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.analytics.tests.test_best_time import OSLO, _history
from varde.sandbox.services import sandbox_channel_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_the_best_times_show_with_the_posts_behind_them(page, screenshot, transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    user = member(shop, Role.EDITOR, email="kari@example.test", full_name="Kari Nordmann")
    channel = sandbox_channel_create(workspace=shop, label="Sandbox", actor=user)
    with time_machine.travel(dt.datetime(2026, 3, 30, 12, tzinfo=OSLO), tick=True):
        _history(channel, weeks=8)
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/shop/")
    page.goto("/w/shop/analytics/")
    page.get_by_role("link", name="Best time to post").click()
    page.wait_for_url("**/analytics/best-time/")
    assert page.get_by_text("Tuesday 09:00–12:00 — 1.3× the usual, from 8 posts").is_visible()
    assert page.get_by_role("table").get_by_text("8 posts").first.is_visible()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"best-time-{width}")
        # The table scrolls inside its box on a phone; the page itself does not.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
