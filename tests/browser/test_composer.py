"""A contributor writes a post for two channels in the browser, saves it, and submits it."""

from __future__ import annotations

import re

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import ConnectedAccount
from varde.content.choices import ApprovalState
from varde.content.models import Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def shop(transactional_db):
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    writer = member(workspace, Role.CONTRIBUTOR, email="ola@example.test", full_name="Ola")
    x = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="x", label="Bryggen on X", handle="@bryggen"
    )
    bluesky = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="bluesky", label="Bryggen on Bluesky"
    )
    return workspace, writer, x, bluesky


def test_contributor_writes_for_two_channels_saves_and_submits(page, shop, screenshot):
    workspace, writer, x, bluesky = shop
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(writer.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"**/w/{workspace.slug}/")

    page.goto(f"/w/{workspace.slug}/posts/new/")
    page.get_by_label("Text", exact=True).fill(
        "Service week at Bryggen Sykkel: bring your bike in for a free check "
        + "and a coffee. " * 20
    )
    page.get_by_role("checkbox", name=re.compile("^Bryggen on X")).check()
    page.get_by_role("checkbox", name=re.compile("^Bryggen on Bluesky")).check()

    # The live panel counts as each network does: too long for X.
    checks = page.locator("#channel-checks")
    x_check = checks.locator("article", has_text="Bryggen on X")
    x_check.wait_for()
    assert "/ 280" in x_check.inner_text()
    assert "is-bad" in (x_check.get_attribute("class") or "")
    # A shorter text of its own for X, typed into the channel's variant.
    page.locator("summary", has_text="Own text for Bryggen on X").click()
    page.get_by_label("Own text for Bryggen on X").fill("Free bike check this week!")
    checks.locator("article.is-ok", has_text="Bryggen on X").wait_for()
    # The draft saved itself while we wrote.
    page.locator("#save-status").get_by_text(re.compile("Saved at")).wait_for()
    screenshot("composer-two-channels")

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/posts/\d+/edit/$"))
    assert page.get_by_text("Draft saved.").is_visible()
    post = Post.objects.get()
    assert post.author == writer
    assert post.variants.get().text == "Free bike check this week!"
    assert set(post.deliveries.values_list("channel_id", flat=True)) == {x.pk, bluesky.pk}

    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Saved and sent for review.").wait_for()
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.IN_REVIEW
    assert not page.get_by_role("button", name="Approve and schedule").is_visible()
