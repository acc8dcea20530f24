"""The site on a phone (390 px) and a laptop (1,366 px), with the demo's real data: the main pages
never scroll sideways on a phone, the menu folds behind a button that a keyboard opens and
closes, the menu stays on one line on a laptop, and without JavaScript the menu is simply shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.fixtures import ARTIFACTS
from varde.accounts import selectors as account_selectors
from varde.approvals.services import post_submit_for_review
from varde.channels.models import ConnectedAccount
from varde.composer.services import post_save_draft
from varde.content.services import Draft
from varde.demo import DEMO_EMAIL, DEMO_SLUG, demo_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
DEMO_PASSWORD = "a demo password for the browser"
# The main pages a marketer uses (the calendar has its own phone view, tested with it).
MAIN_PAGES = {
    "dashboard": "",
    "publishing": "publishing/",
    "composer": "posts/new/",
    "review-queue": "review/",
    "strategy": "strategy/",
    "strategy-situation": "strategy/phase/1/",
    "strategy-goals": "strategy/phase/2/",
    "strategy-audiences": "strategy/phase/3/",
    "strategy-publishing-plan": "strategy/phase/4/",
    "strategy-messages": "strategy/phase/5/",
    "strategy-roles": "strategy/phase/6/",
    "strategy-control": "strategy/phase/7/",
    "strategy-history": "strategy/history/",
    "inbox": "inbox/",
    "inbox-rules": "inbox/rules/",
    "listening": "listening/",
    "listening-queries": "listening/queries/",
    "settings": "settings/",
    "settings-members": "settings/members/",
}
# The outermost elements that stick out to the right: named in a failure, so it says what to fix.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    if (element.parentElement.getBoundingClientRect().right > width + 1) continue;
    const name = `${element.tagName.toLowerCase()}.${element.className}`;
    found.push(`${name} (${Math.round(box.right)} px)`);
  }
  return found.slice(0, 8);
}"""


@pytest.fixture
def demo(transactional_db, monkeypatch):
    """The demo workspace, with a post waiting in the review queue (its card is on a page too)."""
    monkeypatch.setenv("VARDE_DEMO_PASSWORD", DEMO_PASSWORD)
    result = demo_create()
    owner = account_selectors.user_by_email(DEMO_EMAIL)
    channel = ConnectedAccount.objects.filter(workspace=result.workspace).first()
    post = post_save_draft(
        workspace=result.workspace,
        actor=owner,
        draft=Draft(
            text="Sykkelservice hele uka: https://bryggen-sykkel.example/verksted/"
            "vinterservice-med-gratis-kaffe-og-lys-sjekk-for-alle-sykler",
            channels=[channel],
            planned_at=timezone.now() + dt.timedelta(days=2),
        ),
    ).post
    post_submit_for_review(post=post, actor=owner)
    return result.workspace


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.locator("input[type=email]").fill(DEMO_EMAIL)
    page.locator("input[type=password]").fill(DEMO_PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"**/w/{DEMO_SLUG}/")


def open_page(page, path: str) -> None:
    page.goto(f"/w/{DEMO_SLUG}/{path}")
    page.wait_for_load_state("networkidle")  # the htmx panels have filled in


def nav_rows(page) -> int:
    return page.evaluate(
        "new Set([...document.querySelectorAll('.mainnav li')].map(li => li.offsetTop)).size"
    )


def test_no_main_page_scrolls_sideways_on_a_phone(page, demo, screenshot):
    log_in(page)
    too_wide = {}
    for name, path in MAIN_PAGES.items():
        page.set_viewport_size(PHONE)
        open_page(page, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = (width, page.evaluate(STICKING_OUT))
        screenshot(f"small-screens-{name}-390")
        page.set_viewport_size(LAPTOP)
        screenshot(f"small-screens-{name}-1366")
    assert too_wide == {}


def test_the_menu_opens_and_closes_by_keyboard_on_a_phone(page, demo, screenshot):
    log_in(page)
    page.set_viewport_size(PHONE)
    open_page(page, "")
    toggle = page.get_by_role("button", name="Meny")
    strategy_link = page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Strategi"
    )
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not strategy_link.is_visible()
    # The menu takes no more than its row: the dashboard's heading is near the top.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 120

    for _ in range(8):  # skip link, home, workspace, notifications, then the menu button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert strategy_link.is_visible()
    assert page.get_by_role("button", name="Logg ut").is_visible()
    screenshot("small-screens-menu-open-390")
    # The next Tab goes into the menu; Escape closes it and puts focus back on the button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Strategi"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not strategy_link.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    # Space opens it as well, Enter closes it again.
    page.keyboard.press("Space")
    assert strategy_link.is_visible()
    page.keyboard.press("Enter")
    assert not strategy_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_menu_is_one_line_on_a_laptop_in_both_languages(page, demo, screenshot):
    log_in(page)
    page.set_viewport_size(LAPTOP)
    for language, settings_label, switch_to in (
        ("nb", "Innstillinger", "English"),
        ("en", "Settings", "Norsk"),
    ):
        open_page(page, "strategy/")
        assert page.locator("html").get_attribute("lang") == language
        nav = page.get_by_role("navigation", name="Hovedmeny" if language == "nb" else "Main")
        assert nav.get_by_role("link", name=settings_label).is_visible()
        assert nav_rows(page) == 1
        # Nothing hidden at the end of the line either.
        assert page.evaluate(
            "(() => { const ul = document.querySelector('.mainnav ul');"
            " return ul.scrollWidth <= ul.clientWidth; })()"
        )
        assert not page.locator("[data-menu-toggle]").is_visible()
        screenshot(f"small-screens-menu-1366-{language}")
        page.get_by_role("button", name=switch_to).click()
        page.wait_for_load_state()


def test_without_javascript_the_menu_is_shown_on_a_phone(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    try:
        log_in(page)
        nav = page.get_by_role("navigation", name="Hovedmeny")
        assert nav.get_by_role("link", name="Innstillinger").is_visible()
        # A button that cannot work is not offered.
        assert not page.locator("[data-menu-toggle]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "small-screens-no-script-390.png"), full_page=True)
    finally:
        context.close()
