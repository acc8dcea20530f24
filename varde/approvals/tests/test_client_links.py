"""Client review links: valid, expired, withdrawn, wrong token, approve, changes, no account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from varde.accounts.models import AuditEvent
from varde.approvals import selectors, services
from varde.approvals.models import ApprovalDecision, ClientReviewLink
from varde.approvals.tests.conftest import NOON
from varde.content.choices import ApprovalState
from varde.content.models import PostMedia
from varde.content.services import post_create, post_set_channel_text
from varde.notifications.models import Notification
from varde.publishing import services as publishing
from varde.publishing.choices import DeliveryState

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(draft, contributor, channel):
    post_set_channel_text(post=draft, channel=channel, text="Summer sale, sandbox edition")
    publishing.delivery_plan(post=draft, channel=channel, at=NOON, actor=contributor)
    services.post_submit_for_review(post=draft, actor=contributor)
    return draft


@pytest.fixture
def link_and_token(workspace, in_review, editor):
    return services.client_link_create(
        workspace=workspace, posts=[in_review], actor=editor, label="Bryggen marketing"
    )


def _url(token: str) -> str:
    return f"/review/{token}/"


def test_only_a_hash_of_the_token_is_stored(link_and_token):
    link, token = link_and_token
    assert len(token) >= 43
    assert link.token_hash != token
    assert not ClientReviewLink.objects.filter(token_hash__contains=token).exists()
    assert selectors.client_link_by_token(token) == link
    assert link.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert AuditEvent.objects.filter(action="review.link_created").exists()


def test_only_posts_in_review_of_this_workspace_can_be_sent(
    workspace, other_workspace, draft, editor, contributor
):
    with pytest.raises(ValidationError):
        services.client_link_create(workspace=workspace, posts=[draft], actor=editor)
    foreign = post_create(workspace=other_workspace, author=None, text="Theirs")
    with pytest.raises(ValidationError):
        services.client_link_create(workspace=workspace, posts=[foreign], actor=editor)
    with pytest.raises(ValidationError):
        services.client_link_create(workspace=workspace, posts=[], actor=editor)
    services.post_submit_for_review(post=draft, actor=contributor)
    with pytest.raises(PermissionDenied):
        services.client_link_create(workspace=workspace, posts=[draft], actor=contributor)
    with pytest.raises(ValidationError):
        services.client_link_create(workspace=workspace, posts=[draft], actor=editor, days=0)


def test_the_client_sees_the_post_per_channel_without_an_account(
    workspace, in_review, link_and_token
):
    _link, token = link_and_token
    unrelated = post_create(workspace=workspace, author=None, text="Secret internal plan")
    response = Client().get(_url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Summer sale, sandbox edition" in page
    assert "Sandbox A" in page
    assert "12:00" in page  # 10:00 UTC is 12:00 in Oslo in June
    assert unrelated.text not in page
    assert 'aria-label="Main"' not in page  # no workspace navigation
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_a_wrong_token_says_the_link_does_not_work(link_and_token):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(_url("not-a-real-token-" + "x" * 30))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_an_expired_link_says_so(link_and_token):
    _link, token = link_and_token
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        response = Client().get(_url(token))
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        response = Client().post(_url(token), {"post": 1, "decision": "approve", "name": "X"})
        assert response.status_code == 410


def test_a_withdrawn_link_says_so(link_and_token, editor):
    link, token = link_and_token
    services.client_link_revoke(link=link, actor=editor)
    response = Client().get(_url(token))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_the_client_approves(  # noqa: PLR0917 - pytest fixtures
    in_review, link_and_token, editor, contributor, django_capture_on_commit_callbacks, mailoutbox
):
    link, token = link_and_token
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            _url(token),
            {"post": in_review.pk, "decision": "approve", "name": "Kari Klient", "comment": ""},
        )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.approval_state == ApprovalState.APPROVED
    assert in_review.deliveries.get().state == DeliveryState.SCHEDULED
    decision = ApprovalDecision.objects.get()
    assert (decision.actor, decision.client_name, decision.client_link) == (
        None,
        "Kari Klient",
        link,
    )
    told = set(
        Notification.objects.filter(kind="review.client_decision").values_list("user", flat=True)
    )
    assert told == {editor.pk, contributor.pk}
    assert {m.to[0] for m in mailoutbox} >= {editor.email, contributor.email}
    # Every post answered: the link is used up and says so.
    assert selectors.client_link_state(link=link) == selectors.LinkState.USED
    page = Client().get(_url(token)).content.decode()
    assert "You have answered for every post" in page
    with pytest.raises(ValidationError):
        services.client_link_decide(
            link=link, post_id=in_review.pk, approve=True, client_name="Kari", comment=""
        )


def test_the_client_asks_for_changes_with_a_comment(in_review, link_and_token, contributor):
    _link, token = link_and_token
    response = Client().post(
        _url(token), {"post": in_review.pk, "decision": "changes", "name": "Kari", "comment": ""}
    )
    # Without a comment: the page answers with the error, and what was typed is kept.
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say what should change" in page
    assert 'value="Kari"' in page
    in_review.refresh_from_db()
    assert in_review.approval_state == ApprovalState.IN_REVIEW

    Client().post(
        _url(token),
        {"post": in_review.pk, "decision": "changes", "name": "Kari", "comment": "Lower price"},
    )
    in_review.refresh_from_db()
    assert in_review.approval_state == ApprovalState.CHANGES_REQUESTED
    note = Notification.objects.get(user=contributor, kind="review.client_decision")
    assert "Lower price" in note.text


def test_a_post_outside_the_link_cannot_be_decided(workspace, link_and_token, contributor):
    _link, token = link_and_token
    other = post_create(workspace=workspace, author=contributor, text="Other post")
    services.post_submit_for_review(post=other, actor=contributor)
    response = Client().post(_url(token), {"post": other.pk, "decision": "approve", "name": "Kari"})
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.approval_state == ApprovalState.IN_REVIEW


def test_the_form_is_protected_against_csrf(in_review, link_and_token):
    _link, token = link_and_token
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url(token)).content.decode()
    response = client.post(_url(token), {"post": in_review.pk, "decision": "approve", "name": "K"})
    assert response.status_code == 403
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    response = client.post(
        _url(token),
        {
            "post": in_review.pk,
            "decision": "approve",
            "name": "K",
            "csrfmiddlewaretoken": csrf.group(1),
        },
    )
    assert response.status_code == 302


def test_media_of_the_linked_posts_only(settings, tmp_path, workspace, in_review, link_and_token):
    settings.MEDIA_ROOT = tmp_path
    _link, token = link_and_token
    image = PostMedia.objects.create(
        post=in_review, kind="image", mime_type="image/png", alt_text="A red bike"
    )
    image.file.save("bike.png", ContentFile(b"\x89PNG fake"), save=True)
    other = post_create(workspace=workspace, author=None, text="Other")
    hidden = PostMedia.objects.create(post=other, kind="image", mime_type="image/png")
    hidden.file.save("secret.png", ContentFile(b"secret"), save=True)

    page = Client().get(_url(token)).content.decode()
    assert f"/review/{token}/media/{image.pk}/" in page
    assert 'alt="A red bike"' in page
    response = Client().get(f"/review/{token}/media/{image.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert Client().get(f"/review/{token}/media/{hidden.pk}/").status_code == 404
    assert Client().get(f"/review/wrong-token/media/{image.pk}/").status_code == 404


def test_the_page_speaks_the_workspace_language_and_time_zone(workspace, link_and_token):
    _link, token = link_and_token
    workspace.language = "nb"
    workspace.timezone = "America/New_York"
    workspace.save()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(_url(token)).content.decode()
    assert "Godkjenn" in page
    assert "New York-tid" in page  # the zone as a place, in the workspace language
    assert "06:00" in page  # 10:00 UTC in New York in June


def test_a_link_with_two_posts_remembers_the_clients_name(
    workspace, in_review, editor, contributor
):
    second = post_create(workspace=workspace, author=contributor, text="Second post")
    second.thread = ["And a follow-up"]
    second.save()
    services.post_submit_for_review(post=second, actor=contributor)
    link, token = services.client_link_create(
        workspace=workspace, posts=[in_review, second], actor=editor
    )
    Client().post(_url(token), {"post": in_review.pk, "decision": "approve", "name": "Kari"})
    assert selectors.client_link_state(link=link) == selectors.LinkState.OPEN
    page = Client().get(_url(token)).content.decode()
    assert "Approved by Kari." in page
    assert 'value="Kari"' in page
    assert "And a follow-up" in page
