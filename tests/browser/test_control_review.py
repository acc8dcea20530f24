"""A person holds a control review by keyboard: the numbers propose a lower plan for a channel
kept below it, the person accepts, finishes, and the plan reads the new figure."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.browser.helpers import both_widths, log_in
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.analytics.tests.test_control_review import OSLO, TODAY, _linkedin_kept_once_a_week

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_a_review_proposes_accepts_and_writes_the_plan(page, screenshot, transactional_db):
    shop = WorkspaceFactory(name="Fjordbakst", slug="shop", language="en")
    user = member(shop, Role.OWNER, email="kari@example.test", full_name="Kari Nordmann")
    plan_channel, _account = _linkedin_kept_once_a_week(shop)
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=OSLO), tick=True):
        log_in(page, user, shop)
        page.goto("/w/shop/analytics/review/")
        page.get_by_role("button", name="Start a review").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/analytics/review/*/")
        proposal = page.get_by_text("posts a week kept 1, planned 3")
        assert proposal.is_visible()
        both_widths(page, screenshot, "control-review")
        # No sideways scrolling on a phone.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("button", name="Accept", exact=True).first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Accepted", exact=True).first.is_visible()
        page.get_by_label("Who took part").fill("Kari, Ola")
        with page.expect_navigation():
            page.get_by_role("button", name="Finish the review and write it into the plan").click()
        assert page.get_by_text("adopted as version 1").first.is_visible()
    plan_channel.refresh_from_db()
    assert plan_channel.posts_per_week == 1
