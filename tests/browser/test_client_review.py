"""An editor sends a post to a client; the client approves it through the link, no account."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.approvals import services as approvals
from varde.content.choices import ApprovalState
from varde.content.models import Post
from varde.content.services import post_create, post_set_channel_text
from varde.publishing import services as publishing
from varde.publishing.choices import DeliveryState
from varde.sandbox.services import sandbox_channel_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PLANNED = datetime(2031, 6, 2, 7, 30, tzinfo=UTC)  # 09:30 in Oslo


@pytest.fixture
def post_in_review(transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    editor = member(shop, Role.EDITOR, email="eva@example.test", full_name="Eva Editor")
    writer = member(shop, Role.CONTRIBUTOR, email="cora@example.test", full_name="Cora Writer")
    channel = sandbox_channel_create(workspace=shop, label="Bryggen on Bluesky", actor=editor)
    post = post_create(workspace=shop, author=writer, text="New e-bikes in the shop this week!")
    post_set_channel_text(post=post, channel=channel, text="New e-bikes, Bluesky edition 🚲")
    publishing.delivery_plan(post=post, channel=channel, at=PLANNED, actor=writer)
    approvals.post_submit_for_review(post=post, actor=writer)
    return editor, post


def test_a_client_approves_a_post_through_a_link(  # noqa: PLR0917 - pytest fixtures
    page, browser, live_server, settings, post_in_review, screenshot
):
    # The address shown to the editor is built from BASE_URL: point it at the test server.
    settings.BASE_URL = live_server.url
    editor, post = post_in_review
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/w/shop/")

    page.get_by_role("link", name="Review", exact=True).click()
    assert page.get_by_role("heading", name="Waiting for your review").is_visible()
    screenshot("review-queue")
    page.get_by_role("link", name="Send posts to a client for review").click()
    page.get_by_label("New e-bikes in the shop this week!").check()
    page.get_by_label("The link works for").select_option("7")
    page.get_by_label("Who it is for (optional)").fill("Kari at Bryggen")
    page.get_by_role("button", name="Create the link").click()
    address = page.get_by_label("Review link").input_value()
    assert address.startswith(live_server.url + "/review/")
    screenshot("client-link-created")

    # The client: a fresh browser with no session and no account.
    client_context = browser.new_context(locale="en-GB")
    client = client_context.new_page()
    client.set_default_timeout(15000)
    client.goto(address)
    assert client.get_by_role(
        "heading", name="Posts for you to review from Bryggen Sykkel"
    ).is_visible()
    assert client.get_by_text("New e-bikes, Bluesky edition").is_visible()
    assert client.get_by_text("Planned for Monday 2 June 2031, 09:30").is_visible()
    # Nothing of the workspace beyond the posts: no navigation, no account menu.
    assert client.get_by_role("navigation", name="Main").count() == 0
    assert client.get_by_role("button", name="Log out").count() == 0
    screenshot_path = screenshot("client-review-page")
    client.screenshot(path=str(screenshot_path), full_page=True)

    client.get_by_label("Your name").fill("Kari Nordmann")
    client.get_by_label("Comment").fill("Looks great")
    client.get_by_role("button", name="Approve").click()
    client.wait_for_load_state()
    assert client.get_by_text("Thank you. The team can see that you approved it.").is_visible()
    assert client.get_by_text("You have answered for every post in this link.").is_visible()
    client.screenshot(
        path=str(screenshot_path.with_name("client-review-approved.png")), full_page=True
    )
    client_context.close()

    post = Post.objects.get(pk=post.pk)
    assert post.approval_state == ApprovalState.APPROVED
    assert post.deliveries.get().state == DeliveryState.SCHEDULED

    # The editor who sent the link is told, in the bell and on the notifications page.
    page.goto("/w/shop/")
    # Two: the post was sent for review, and the client approved it.
    page.get_by_role("link", name="2 new notifications").click()
    assert page.get_by_text("Cora Writer sent a post for review").is_visible()
    assert page.get_by_text(
        "Kari Nordmann approved “New e-bikes in the shop this week!”"
    ).is_visible()
    screenshot("client-review-notification")


def test_an_editor_approves_from_the_review_queue(page, post_in_review, screenshot):
    editor, post = post_in_review
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/w/shop/")
    page.goto("/w/shop/review/")
    page.get_by_label("Comment (optional)").fill("Good to go")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert page.get_by_text("Approved and scheduled on 1 channel.").is_visible()
    assert page.get_by_text("Nothing waits for you.").is_visible()
    post = Post.objects.get(pk=post.pk)
    assert post.approval_state == ApprovalState.APPROVED
    assert post.deliveries.get().state == DeliveryState.SCHEDULED
    # The decision and its comment are in the post's history.
    page.goto(f"/w/shop/review/posts/{post.pk}/")
    page.get_by_text("1 decision so far").click()
    assert page.get_by_text("Good to go").is_visible()
    screenshot("review-history")
