"""The owner of this Varde sets up Facebook from the connect page: Settings → Networks, the
Meta app's id and secret, and the Facebook card then offers to connect — looked at on a laptop
(1,366 px) and a phone (390 px). A member who does not own this Varde is told who can."""

from __future__ import annotations

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import NetworkApp
from varde.lib.crypto import decrypt_secret

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
APP_SECRET = "3f9c2b7e5a1d4c8e9b0a6f2d7c4e1a95"  # the shape of a Meta app secret


@pytest.fixture
def installation(transactional_db, settings):
    settings.VARDE_OAUTH_APPS = {
        app: {"client_id": "", "client_secret": ""}
        for app in ("x", "linkedin", "google", "meta", "threads")
    }
    settings.BASE_URL = "https://varde.example"
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    host = member(workspace, Role.OWNER, email="host@example.test", full_name="Hanne")
    host.is_superuser = host.is_staff = True
    host.save(update_fields=["is_superuser", "is_staff"])
    admin = member(workspace, Role.ADMIN, email="admin@example.test", full_name="Ali")
    return workspace, host, admin


def log_in(page, user, workspace):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"**/w/{workspace.slug}/")


def both_widths(page, screenshot, name):
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(f"{name}-{label}")
    page.set_viewport_size({"width": 1366, "height": 900})


def facebook_card(page):
    return page.locator("section.card", has=page.get_by_role("heading", name="Facebook Page"))


def test_the_owner_sets_up_facebook_and_the_card_offers_to_connect(page, installation, screenshot):
    workspace, host, _admin = installation
    log_in(page, host, workspace)
    page.goto(f"/w/{workspace.slug}/channels/connect/")
    card = facebook_card(page)
    assert "Not set up yet." in card.inner_text()
    card.get_by_role("link", name="Set it up in Settings").click()
    page.wait_for_url("**/settings/networks/#app-meta")

    meta = page.locator("#app-meta")
    assert "Not set up yet." in meta.inner_text()
    callback = meta.get_by_label("Redirect (callback) URL: copy it into the app")
    assert callback.input_value() == "https://varde.example/channels/oauth/callback/"
    meta.get_by_label("App id").fill("1234567890123456")
    meta.get_by_label("App secret").fill(APP_SECRET)
    both_widths(page, screenshot, "network-apps-filled")
    meta.get_by_role("button", name="Save").click()
    page.wait_for_url("**/settings/networks/#app-meta")

    assert "People in every workspace can now connect Facebook Page and Instagram" in (
        page.locator(".messages").inner_text()
    )
    meta = page.locator("#app-meta")
    assert "Set up here." in meta.inner_text()
    assert "it ends in …1a95" in meta.inner_text()
    assert meta.get_by_label("App secret").input_value() == ""  # never sent back
    assert APP_SECRET not in page.content()
    both_widths(page, screenshot, "network-apps-saved")
    saved = NetworkApp.objects.get(app="meta")
    assert APP_SECRET not in saved.client_secret_encrypted
    assert decrypt_secret(saved.client_secret_encrypted) == APP_SECRET

    meta.get_by_role("link", name="How to set up Facebook Page").click()
    assert "pages_manage_posts" in page.locator("[data-guide]").inner_text()
    both_widths(page, screenshot, "network-apps-guide")

    page.goto(f"/w/{workspace.slug}/channels/connect/")
    card = facebook_card(page)
    assert "Not set up" not in card.inner_text()
    assert card.get_by_role("link", name="Connect Facebook Page").is_visible()
    both_widths(page, screenshot, "network-apps-connect-after")


def test_a_member_who_does_not_own_this_varde_is_told_who_can(page, installation, screenshot):
    workspace, _host, admin = installation
    log_in(page, admin, workspace)
    page.goto(f"/w/{workspace.slug}/channels/connect/")
    card = facebook_card(page)
    assert "The owner of this Varde sets it up in Settings." in card.inner_text()
    both_widths(page, screenshot, "network-apps-connect-not-owner")
    card.get_by_role("link", name="How to set up Facebook Page").click()
    notice = page.locator(".notice")
    assert "The owner of this Varde must set it up in Settings first" in notice.inner_text()
    assert "VARDE_" not in page.content()
    assert "operator" not in page.content()
    both_widths(page, screenshot, "network-apps-connect-page-not-owner")
    response = page.goto(f"/w/{workspace.slug}/settings/networks/")
    assert response is not None
    assert response.status == 403
