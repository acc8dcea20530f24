"""Daily use, as a new user meets it: a workspace from the switcher with its checklist, the
review card's guard verdict, an honest calendar, and deleting and unscheduling a post —
each looked at on a laptop (1,366 px) and a phone (390 px)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browser.helpers import both_widths, log_in
from varde.accounts.models import Workspace
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.approvals.services import post_approve, post_submit_for_review
from varde.composer.services import post_save_draft
from varde.content.models import Post
from varde.content.services import Draft
from varde.policy.choices import NewHashtagRule
from varde.policy.models import GuardSettings
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.sandbox.services import sandbox_channel_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def shop(transactional_db):
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    boss = member(workspace, Role.OWNER, email="ingrid@example.test", full_name="Ingrid")
    return workspace, boss


def test_new_workspace_from_the_switcher_with_a_checklist(page, shop, screenshot):
    workspace, boss = shop
    log_in(page, boss, workspace)
    page.locator("summary[aria-label='Switch workspace']").click()
    page.get_by_role("link", name="+ New workspace").click()
    page.get_by_label("Name", exact=True).fill("Fjord Kafé")
    # The short name fills itself from the name, and stays editable.
    assert page.get_by_label("Short name in addresses").input_value() == "fjord-kafe"
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/w/fjord-kafe/")
    checklist = page.locator("[data-checklist]")
    # The new workspace speaks bokmål (the form's default language), and so does its checklist.
    assert "0 av 4 gjort" in checklist.inner_text()
    assert checklist.locator("[data-step='plan'] a").inner_text().startswith("Skriv planen")
    both_widths(page, screenshot, "daily-checklist")
    fresh = Workspace.objects.get(slug="fjord-kafe")
    sandbox_channel_create(workspace=fresh, label="Sandbox", actor=boss)
    page.reload()
    assert page.locator("[data-step='channel']").get_attribute("data-done") == "true"


def test_review_card_shows_the_guard_and_the_fix(page, shop, screenshot):
    workspace, boss = shop
    # A new hashtag only warns unless the publishing rules say "block" (issue 11, item 11).
    GuardSettings.objects.create(workspace=workspace, new_hashtag=NewHashtagRule.BLOCK)
    channel = sandbox_channel_create(workspace=workspace, label="Sandkasse", actor=boss)
    later = timezone.now() + dt.timedelta(days=1)
    post = post_save_draft(
        workspace=workspace,
        actor=boss,
        draft=Draft(text="Sunday ride! #brandnewtag", channels=[channel], planned_at=later),
    ).post
    post_submit_for_review(post=post, actor=boss)
    log_in(page, boss, workspace)
    page.goto(f"/w/{workspace.slug}/review/")
    card = page.locator(f"#post-{post.pk}")
    assert "The rules check stops this post" in card.inner_text()
    assert card.get_by_role("button", name="Approve", exact=True).count() == 0
    both_widths(page, screenshot, "daily-review-guard")
    card.get_by_label(re.compile("What is #brandnewtag about")).fill("A local ride, checked")
    card.get_by_role("button", name="Confirm #brandnewtag").click()
    page.wait_for_url(f"**/w/{workspace.slug}/review/")
    card = page.locator(f"#post-{post.pk}")
    card.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(f"**/w/{workspace.slug}/review/")
    assert "Approved and scheduled on 1 channel." in page.locator("body").inner_text()


def test_calendar_does_not_claim_no_gaps_without_a_plan_channel(page, shop, screenshot):
    workspace, boss = shop
    sandbox_channel_create(workspace=workspace, label="Sandkasse", actor=boss)
    log_in(page, boss, workspace)
    page.goto(f"/w/{workspace.slug}/calendar/")
    body = page.locator("body").inner_text()
    assert "No gaps" not in body


def test_unschedule_and_delete_with_confirmation(page, shop, screenshot):
    workspace, boss = shop
    channel = sandbox_channel_create(workspace=workspace, label="Sandkasse", actor=boss)
    later = timezone.now() + dt.timedelta(days=1)
    post = post_save_draft(
        workspace=workspace,
        actor=boss,
        draft=Draft(text="Test post to throw away", channels=[channel], planned_at=later),
    ).post
    post_submit_for_review(post=post, actor=boss)
    post_approve(post=post, actor=boss)
    log_in(page, boss, workspace)

    page.goto(f"/w/{workspace.slug}/posts/{post.pk}/edit/")
    page.get_by_role("link", name="Unschedule").click()
    assert "Taken off the schedule" in page.locator("main, body").first.inner_text()
    both_widths(page, screenshot, "daily-unschedule-confirm")
    page.get_by_role("button", name="Unschedule").click()
    page.wait_for_url(f"**/posts/{post.pk}/edit/")
    assert "Unscheduled. It is a draft again" in page.locator("body").inner_text()
    assert Delivery.objects.get(post=post).state == DeliveryState.DRAFT

    # From the calendar: Delete… asks first, then deletes.
    page.goto(f"/w/{workspace.slug}/calendar/?view=list")
    page.get_by_role("link", name=re.compile("^Delete… Test post")).first.click()
    assert "This cannot be undone" in page.locator("body").inner_text()
    both_widths(page, screenshot, "daily-delete-confirm")
    page.get_by_role("button", name="Delete post").click()
    page.wait_for_url(f"**/w/{workspace.slug}/calendar/**")
    assert "The post is deleted." in page.locator("body").inner_text()
    assert not Post.objects.filter(pk=post.pk).exists()
    both_widths(page, screenshot, "daily-calendar-after-delete")
