"""A person in a browser: log in, switch workspace, switch language, log out."""

from __future__ import annotations

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    WorkspaceFactory,
    member,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def two_workspaces(transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    cafe = WorkspaceFactory(name="Fløyen Kaffebar", slug="cafe", language="en")
    user = member(shop, Role.OWNER, email="kari@example.test", full_name="Kari Nordmann")
    MembershipFactory(user=user, workspace=cafe, role=Role.EDITOR)
    return user, shop, cafe


def test_log_in_switch_workspace_and_language_then_log_out(page, two_workspaces, screenshot):
    user, _shop, cafe = two_workspaces
    page.goto("/accounts/login/")
    # Keyboard only: type, tab, press Enter.
    page.get_by_label("E-mail").fill(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/shop/")
    assert page.get_by_role("heading", name="Bryggen Sykkel").is_visible()
    screenshot("workspace-home")

    page.get_by_label("Switch workspace").click()
    page.get_by_role("link", name="Fløyen Kaffebar").click()
    page.wait_for_url("**/w/cafe/")
    assert page.get_by_role("heading", name="Fløyen Kaffebar").is_visible()

    page.get_by_role("button", name="Norsk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"
    main_nav = page.get_by_role("navigation", name="Hovedmeny")
    assert main_nav.get_by_role("link", name="Innstillinger").is_visible()
    screenshot("workspace-home-nb")

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/accounts/login/")
    page.goto(f"/w/{cafe.slug}/")
    page.wait_for_url("**/accounts/login/**")


def test_every_shell_page_is_reachable_by_keyboard(page, two_workspaces):
    user, _shop, _cafe = two_workspaces
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/w/shop/")
    # The first Tab reaches the skip link, and following it moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
