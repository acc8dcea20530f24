"""A new hashtag in the composer: a warning with what listening saw, not a wall (issue 11, item 11).

Listening has one recent mention with #Aurora; the writer types a post with #Aurora and
#sykkelglede. The check warns about both, shows #Aurora's volume and the sample post, says
plainly that listening has no mentions of #sykkelglede yet, and nothing stops the post. Looked
at on a laptop (1,366 px) and a phone (390 px).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.helpers import WIDTHS
from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.listening.models import Mention
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import StrategyPlan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def writer(transactional_db):
    shop = WorkspaceFactory(name="Kjolebutikken", slug="kjole", language="en")
    StrategyPlan.objects.create(workspace=shop, require_hashtag_check=True)
    owner = member(shop, Role.OWNER, email="eva@example.test", full_name="Eva Berg")
    sandbox_channel_create(workspace=shop, label="Sandkasse", actor=owner)
    now = timezone.now()
    Mention.objects.create(
        workspace=shop,
        source_kind="mastodon",
        external_id="1",
        url="https://social.example/@nyheter/1",
        author_name="Nyhetsbyrået",
        text="Skyting ved kinoen i #Aurora, Colorado: flere drept",
        published_at=now - dt.timedelta(hours=3),
        received_at=now,
    )
    return shop, member(shop, Role.EDITOR, email="kari@example.test", full_name="Kari Nordmann")


def test_a_new_hashtag_warns_with_listenings_volume_and_samples(page, writer, screenshot):
    from playwright.sync_api import expect

    shop, user = writer
    page.goto("/accounts/login/")
    page.locator("input[type=email]").fill(user.email)
    page.locator("input[type=password]").fill(TEST_PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"**/w/{shop.slug}/")
    page.goto(f"/w/{shop.slug}/posts/new/")
    page.get_by_label("Text", exact=True).fill("Ny kjole i butikken! #Aurora #sykkelglede")
    findings = page.locator("#policy-findings")
    expect(findings).to_contain_text("Listening saw 1 post with it in the last 7 days")
    text = findings.inner_text()
    assert "Skyting ved kinoen i #Aurora, Colorado" in text
    assert "Listening has no mentions of this hashtag yet" in text
    assert "Stops the post" not in text
    assert "The post may be published, but read the warnings first." in text
    assert findings.get_by_role("link", name="Open the original").get_attribute("href") == (
        "https://social.example/@nyheter/1"
    )
    findings.scroll_into_view_if_needed()
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(f"new-hashtag-warning-{label}")


def test_the_hashtag_context_beside_the_check_by_keyboard_at_390(page, writer, screenshot):
    """Issue 12, item 7: each hashtag's volume, trend and samples under the rules check, and a
    tag listening knows nothing about offers a query, reached and pressed by keyboard on a
    phone's width."""
    from playwright.sync_api import expect

    from varde.listening.models import ListeningQuery

    shop, user = writer
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.locator("input[type=email]").fill(user.email)
    page.locator("input[type=password]").fill(TEST_PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"**/w/{shop.slug}/")
    page.goto(f"/w/{shop.slug}/posts/new/")
    page.get_by_label("Text", exact=True).fill("Ny kjole i butikken! #Aurora #sykkelglede")
    context = page.locator("#hashtag-context")
    aurora = context.locator('[data-tag="aurora"]')
    expect(aurora).to_contain_text("Last 7 days")
    expect(aurora).to_contain_text("1 post")
    expect(aurora).to_contain_text("Skyting ved kinoen i #Aurora, Colorado")
    unknown = context.locator('[data-tag="sykkelglede"]')
    expect(unknown).to_contain_text("Listening has no posts with #sykkelglede")
    # Nothing is wider than the phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    unknown.scroll_into_view_if_needed()
    screenshot("hashtag-context-phone")
    # By keyboard: focus the link before the button, Tab to the button, Enter.
    aurora.get_by_role("link", name="Open the original").focus()
    button = unknown.get_by_role("button", name="Listen for #sykkelglede")
    for _ in range(5):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    assert button.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    expect(context).to_contain_text("Listening now looks for #sykkelglede")
    assert ListeningQuery.objects.filter(workspace=shop, text="#sykkelglede").exists()
