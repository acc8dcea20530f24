"""The review pages as each role sees them."""

from __future__ import annotations

import pytest

from varde.accounts.tests.factories import member
from varde.approvals import selectors, services
from varde.approvals.models import ApprovalSettings
from varde.approvals.tests.conftest import NOON
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.publishing import services as publishing

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(draft, contributor):
    services.post_submit_for_review(post=draft, actor=contributor)
    return draft


def test_queue_shows_waiting_posts_with_buttons(client_as, editor, in_review):
    page = client_as(editor).get("/w/acme/review/").content.decode()
    assert "Summer sale on bikes" in page
    assert "Approve" in page
    assert "Ask for changes" in page
    assert f"/w/acme/review/posts/{in_review.pk}/approve/" in page


def test_approve_through_the_page(client_as, editor, in_review):
    response = client_as(editor).post(
        f"/w/acme/review/posts/{in_review.pk}/approve/",
        {"comment": "Nice", "next": "/w/acme/review/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/w/acme/review/"
    in_review.refresh_from_db()
    assert in_review.approval_state == ApprovalState.APPROVED


def test_next_cannot_send_people_elsewhere(client_as, editor, in_review):
    response = client_as(editor).post(
        f"/w/acme/review/posts/{in_review.pk}/approve/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/w/acme/review/posts/{in_review.pk}/"


def test_changes_without_comment_is_refused_with_a_message(client_as, editor, in_review):
    response = client_as(editor).post(
        f"/w/acme/review/posts/{in_review.pk}/changes/", {"comment": ""}, follow=True
    )
    assert "Say what should change" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.approval_state == ApprovalState.IN_REVIEW


def test_contributor_submits_from_the_post_page(client_as, contributor, draft):
    client = client_as(contributor)
    page = client.get(f"/w/acme/review/posts/{draft.pk}/").content.decode()
    assert "Send for review" in page
    client.post(f"/w/acme/review/posts/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    page = client.get(f"/w/acme/review/posts/{draft.pk}/").content.decode()
    assert "Approve" not in page  # a contributor cannot approve
    assert client.post(f"/w/acme/review/posts/{draft.pk}/approve/").status_code == 403


def test_client_reviewer_sees_posts_in_review_only(
    client_as, client_reviewer, in_review, workspace
):
    client = client_as(client_reviewer)
    assert client.get(f"/w/acme/review/posts/{in_review.pk}/").status_code == 200
    approved = post_create(
        workspace=workspace, author=None, text="Out", approval_state=ApprovalState.APPROVED
    )
    assert client.get(f"/w/acme/review/posts/{approved.pk}/").status_code == 403


def test_post_of_another_workspace_is_not_found(client_as, editor, other_workspace):
    foreign = post_create(workspace=other_workspace, author=None, text="Theirs")
    assert client_as(editor).get(f"/w/acme/review/posts/{foreign.pk}/").status_code == 404


def test_history_is_shown(client_as, editor, contributor, in_review):
    services.post_request_changes(post=in_review, actor=editor, comment="Add the price")
    page = client_as(contributor).get(f"/w/acme/review/posts/{in_review.pk}/").content.decode()
    assert "Asked for changes" in page
    assert "Add the price" in page


def test_admin_turns_on_the_second_step(client_as, admin, workspace):
    client = client_as(admin)
    assert client.get("/w/acme/review/settings/").status_code == 200
    client.post("/w/acme/review/settings/", {"require_second_approval": "on"})
    assert ApprovalSettings.objects.get(workspace=workspace).require_second_approval


def test_editor_creates_a_client_link_and_sees_the_address_once(client_as, editor, in_review):
    client = client_as(editor)
    page = client.get("/w/acme/review/links/").content.decode()
    assert "Summer sale on bikes" in page
    response = client.post(
        "/w/acme/review/links/", {"posts": [in_review.pk], "days": "3", "label": "Kari"}
    )
    page = response.content.decode()
    assert "/review/" in page
    assert "cannot show it again" in page
    listing = client.get("/w/acme/review/links/").content.decode()
    assert "Kari" in listing
    assert "Withdraw" in listing


def test_link_form_only_offers_posts_in_review(client_as, editor, draft):
    response = client_as(editor).post("/w/acme/review/links/", {"posts": [draft.pk], "days": "7"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "No post is in review" in (
        response.content.decode()
    )


def test_workspace_home_links_the_review_queue(client_as, editor, contributor):
    assert "/w/acme/review/" in client_as(editor).get("/w/acme/").content.decode()
    assert 'href="/w/acme/review/"' not in client_as(contributor).get("/w/acme/").content.decode()


@pytest.mark.parametrize(
    ("role", "may_decide"),
    [
        ("owner", True),
        ("admin", True),
        ("editor", True),
        ("client_reviewer", True),
        ("contributor", False),
        ("analyst", False),
    ],
)
def test_who_may_decide_by_role(workspace, in_review, role, may_decide):
    person = member(workspace, role)
    assert selectors.user_may_approve(post=in_review, user=person) is may_decide
    assert selectors.user_may_request_changes(post=in_review, user=person) is may_decide
    assert (in_review in selectors.review_queue(workspace=workspace, user=person)) is may_decide


def test_queue_queries_do_not_grow_with_the_posts(  # noqa: PLR0917 - pytest fixtures
    client_as, editor, workspace, contributor, channel, django_assert_max_num_queries
):
    def add_posts(count):
        for number in range(count):
            post = post_create(workspace=workspace, author=contributor, text=f"Post {number}")
            publishing.delivery_plan(post=post, channel=channel, at=NOON, actor=contributor)
            services.post_submit_for_review(post=post, actor=contributor)

    client = client_as(editor)
    add_posts(2)
    with django_assert_max_num_queries(25) as few:
        client.get("/w/acme/review/")
    add_posts(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/w/acme/review/").content.decode()
    assert page.count('class="card review-card"') == 22


def test_review_settings_are_in_the_settings_menu(client_as, admin, editor):
    page = client_as(admin).get("/w/acme/settings/").content.decode()
    assert 'href="/w/acme/review/settings/"' in page
    page = client_as(admin).get("/w/acme/review/settings/").content.decode()
    assert 'aria-current="page">Review</a>' in page
    assert (
        'href="/w/acme/review/settings/"'
        not in client_as(editor).get("/w/acme/settings/").content.decode()
    )
