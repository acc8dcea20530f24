"""The publishing rules in a browser: read them, confirm a hashtag, and the findings partial's
confirm button (htmx) as the composer shows it."""

from __future__ import annotations

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.policy.models import ConfirmedHashtag
from varde.strategy.models import StrategyPlan, TermRule, TermSeverity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

# The composer puts the findings in a box and re-checks on every change; this stands in for it.
HOST_THE_FINDINGS = """async (text) => {
  const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  const form = new FormData();
  form.append('text', text);
  const response = await fetch('/w/shop/policy/check/', {
    method: 'POST', body: form, headers: {'X-CSRFToken': token, 'HX-Request': 'true'}});
  const box = document.querySelector('main');
  box.innerHTML = '<section id="host">' + await response.text() + '</section>';
  htmx.process(box);
}"""


@pytest.fixture
def contributor(transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    StrategyPlan.objects.create(workspace=shop, require_hashtag_check=True)
    TermRule.objects.create(
        workspace=shop, term="100 % trygg", severity=TermSeverity.BLOCK, note="No bike is"
    )
    return member(shop, Role.CONTRIBUTOR, email="kari@example.test", full_name="Kari Nordmann")


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/shop/")


def test_read_the_rules_and_confirm_a_hashtag_by_keyboard(page, contributor, screenshot):
    log_in(page, contributor)
    page.goto("/w/shop/strategy/")
    page.get_by_role("link", name="Publishing rules").click()
    page.wait_for_url("**/w/shop/policy/")
    assert page.get_by_text("“100 % trygg” — No bike is").is_visible()
    assert page.get_by_text(
        "how many posts listening saw with the hashtag", exact=False
    ).is_visible()

    page.get_by_label("Hashtag you have checked").fill("#Aurora")
    page.keyboard.press("Tab")
    page.keyboard.type("Our dress line, checked on X and Instagram")
    page.keyboard.press("Enter")
    page.get_by_text("#aurora is confirmed for this workspace.").wait_for()
    assert page.get_by_role("cell", name="#aurora").is_visible()
    screenshot("policy-rules")


def test_the_confirm_button_in_the_findings_rechecks_the_draft(page, contributor, screenshot):
    log_in(page, contributor)
    page.goto("/w/shop/policy/")
    page.evaluate(HOST_THE_FINDINGS, "New in the shop #Sykkelfest")
    # A new hashtag warns by default (issue 11, item 11); the confirm button is offered still.
    assert page.get_by_text("Warning:").is_visible()
    page.get_by_label("What is #sykkelfest about? (optional)").fill("Our own event")
    page.get_by_role("button", name="I have checked what #sykkelfest is about — confirm").click()
    page.get_by_text("#sykkelfest is confirmed for this workspace.").wait_for()
    assert page.get_by_text("No problems found").is_visible()
    assert ConfirmedHashtag.objects.get().note == "Our own event"
    screenshot("policy-findings-confirmed")
