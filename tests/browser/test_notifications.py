"""A person in a browser: the bell, the list, and choosing how each kind of notification comes."""

from __future__ import annotations

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.notifications.choices import Reach
from varde.notifications.models import NotificationPreference
from varde.notifications.services import notify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/shop/")


def test_the_bell_leads_to_the_list_and_the_choices_are_saved(page, screenshot, transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    user = member(shop, Role.EDITOR, email="kari@example.test", full_name="Kari Nordmann")
    notify(users=[user], workspace=shop, kind="review.approved", text="Your post is approved")
    _log_in(page, user)

    page.get_by_role("link", name="1 new notification").click()
    page.wait_for_url("**/w/shop/notifications/")
    assert page.get_by_text("Your post is approved").is_visible()
    page.get_by_role("link", name="Choose how you are told").click()
    page.wait_for_url("**/notifications/choices/")
    page.get_by_label("Your post is approved").select_option(Reach.EMAIL.value)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"notification-choices-{width}")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your notification choices are saved.").is_visible()
    chosen = NotificationPreference.objects.get(user=user, kind="review.approved")
    assert chosen.reach == Reach.EMAIL
