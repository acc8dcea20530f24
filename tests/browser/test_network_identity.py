"""Each network's mark on the connect page, and previews that look like each network's post —
looked at on a laptop (1,366 px) and a phone (390 px)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import ConnectedAccount
from varde.composer.services import post_save_draft
from varde.content.services import Draft, media_add

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
LONG_TEXT = (
    "Service week at Bryggen Sykkel! Bring your bike for a free check, a coffee and a chat "
    "about the summer's rides along the fjord. We open at eight every morning, and the "
    "workshop stays open late on Thursday. https://bryggen.example/service"
)


@pytest.fixture
def shop(transactional_db):
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    boss = member(workspace, Role.OWNER, email="ingrid@example.test", full_name="Ingrid")
    return workspace, boss


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


def jpeg(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def previews_in_full(page, screenshot, name):
    """The checks panel scrolls on its own on a laptop; each width shows every preview."""
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.locator(".composer-side").evaluate("el => { el.style.maxHeight = 'none'; }")
        page.locator(".composer-side").screenshot(path=str(screenshot(f"{name}-{label}")))
    page.set_viewport_size({"width": 1366, "height": 900})


def mark_image(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).backgroundImage")


def test_connect_page_shows_each_networks_mark(page, shop, screenshot):
    workspace, boss = shop
    log_in(page, boss, workspace)
    page.goto(f"/w/{workspace.slug}/channels/connect/")
    cards = page.locator(".network-card")
    assert cards.count() >= 10
    for index in range(cards.count()):
        assert cards.nth(index).locator(".network-mark").is_visible()
    # The vendored mark is drawn (the SVG loads from Varde itself) on the brand's tile ...
    assert "channels/marks/instagram.svg" in mark_image(page, ".mark-instagram")
    svg = page.request.get(re.search(r'url\("?([^")]+)', mark_image(page, ".mark-x")).group(1))
    assert svg.ok
    assert "<svg" in svg.text()
    # ... and a network without one shows its initial, never a drawn logo.
    linkedin = page.locator(".network-card", has_text="LinkedIn").locator(".network-mark")
    assert linkedin.inner_text() == "L"
    assert mark_image(page, ".network-card .mark-initial") == "none"
    assert page.get_by_role("heading", name="Instagram").is_visible()
    both_widths(page, screenshot, "identity-connect")


def test_composer_previews_look_like_each_networks_post(page, shop, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    workspace, boss = shop
    channels = [
        ConnectedAccount.objects.create(
            workspace=workspace, connector_key=key, label=label, handle=handle
        )
        for key, label, handle in [
            ("instagram", "Bryggen Sykkel", "bryggensykkel"),
            ("x", "Bryggen Sykkel", "@bryggen"),
            ("linkedin", "Bryggen Sykkel AS", ""),
            ("facebook", "Bryggen Sykkel", ""),
        ]
    ]
    post = post_save_draft(
        workspace=workspace,
        actor=boss,
        draft=Draft(text=LONG_TEXT, channels=channels[1:]),
    ).post
    log_in(page, boss, workspace)
    page.goto(f"/w/{workspace.slug}/posts/{post.pk}/edit/")
    checks = page.locator("#channel-checks")
    x_preview = checks.locator(".np-network-x")
    x_preview.wait_for()
    # X: the whole text, and a card for the link (no images yet).
    assert x_preview.locator(".np-more").count() == 0
    assert x_preview.locator(".np-card-domain").inner_text() == "bryggen.example"
    assert x_preview.get_by_role("img", name="X").is_visible()
    # LinkedIn folds at about 210 characters: "…see more".
    linkedin = checks.locator(".np-network-linkedin")
    assert linkedin.locator(".np-more").inner_text() == "…see more"
    assert linkedin.locator(".np-avatar").inner_text() == "B"
    previews_in_full(page, screenshot, "identity-previews-links")

    # With two images and Instagram chosen: a media grid, Instagram's caption folds at ~125.
    for colour in [(200, 120, 40), (40, 110, 160)]:
        media_add(post=post, actor=boss, upload=jpeg(colour))
    page.reload()
    page.get_by_role("checkbox", name=re.compile("^Bryggen Sykkel · Instagram")).check()
    instagram = checks.locator(".np-network-instagram")
    instagram.wait_for()
    assert instagram.locator(".np-more").inner_text() == "… more"
    assert instagram.locator(".np-media img").count() == 1  # a carousel: one at a time
    assert "1 of 2" in instagram.locator(".np-carousel").inner_text()
    assert checks.locator(".np-network-x .np-media img").count() == 2  # a grid
    assert checks.locator(".np-network-x .np-card").count() == 0  # images, so no card
    both_widths(page, screenshot, "identity-composer")
    previews_in_full(page, screenshot, "identity-previews-media")
