"""Unschedule, delete and take down a post; honest messages; edits that carry a version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from varde.accounts.models import AuditEvent
from varde.approvals.services import post_approve, post_submit_for_review
from varde.composer.services import post_delete_or_take_down, post_save_draft, post_unschedule
from varde.content.choices import ApprovalState
from varde.content.models import Post
from varde.content.services import Draft
from varde.lib.timeutil import utc_to_local
from varde.publishing import engine
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_channel_create

pytestmark = pytest.mark.django_db
LATER = timezone.now() + dt.timedelta(days=2)


@pytest.fixture
def sandbox(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandkasse", actor=owner)


def url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def scheduled_post(workspace, editor, channel, at=LATER, text="Hello"):
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text=text, channels=[channel], planned_at=at),
    ).post
    post_submit_for_review(post=post, actor=editor)
    post_approve(post=post, actor=editor)
    post.refresh_from_db()
    return post


def published_post(workspace, editor, channel):
    post = scheduled_post(workspace, editor, channel, at=timezone.now())
    while engine.publish_one(worker="test"):
        pass
    assert Delivery.objects.get(post=post).state == DeliveryState.PUBLISHED
    return post


# --- Unschedule -----------------------------------------------------------------------------


def test_unschedule_takes_the_post_off_the_schedule_and_withdraws_the_approval(
    workspace, editor, sandbox
):
    post = scheduled_post(workspace, editor, sandbox)
    assert Delivery.objects.get(post=post).state == DeliveryState.SCHEDULED
    post_unschedule(post=post, actor=editor)
    post.refresh_from_db()
    delivery = Delivery.objects.get(post=post)
    assert delivery.state == DeliveryState.DRAFT
    assert delivery.scheduled_at is not None  # the planned time stays in the calendar
    assert post.approval_state == ApprovalState.DRAFT
    assert AuditEvent.objects.filter(action="post.unscheduled", actor=editor).exists()


def test_unschedule_page_confirms_first_then_acts(client_as, workspace, editor, sandbox):
    post = scheduled_post(workspace, editor, sandbox)
    client = client_as(editor)
    page = client.get(url("content:post_unschedule", workspace, post_id=post.pk))
    assert page.status_code == 200
    assert b"Unschedule this post?" in page.content
    assert Delivery.objects.get(post=post).state == DeliveryState.SCHEDULED  # GET changes nothing
    response = client.post(url("content:post_unschedule", workspace, post_id=post.pk), follow=True)
    assert b"Unscheduled. It is a draft again" in response.content
    assert Delivery.objects.get(post=post).state == DeliveryState.DRAFT


# --- Delete ---------------------------------------------------------------------------------


def test_delete_of_a_draft_removes_it_and_the_audit_log_keeps_who(
    client_as, workspace, editor, sandbox
):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Test", channels=[sandbox])
    ).post
    client = client_as(editor)
    page = client.get(url("content:post_delete", workspace, post_id=post.pk))
    assert b"Delete this post?" in page.content
    assert Post.objects.filter(pk=post.pk).exists()
    response = client.post(url("content:post_delete", workspace, post_id=post.pk), follow=True)
    assert b"The post is deleted." in response.content
    assert not Post.objects.filter(pk=post.pk).exists()
    event = AuditEvent.objects.get(action="post.deleted")
    assert event.actor == editor
    assert event.detail["text"] == "Test"


def test_delete_of_a_scheduled_post_cancels_it(workspace, editor, sandbox):
    post = scheduled_post(workspace, editor, sandbox)
    delivery = Delivery.objects.get(post=post)
    done = post_delete_or_take_down(post=post, actor=editor)
    assert done.deleted
    assert AuditEvent.objects.filter(
        action="delivery.cancelled", target_id=str(delivery.pk)
    ).exists()
    assert not Delivery.objects.filter(pk=delivery.pk).exists()


def test_a_published_post_stays_on_the_network_unless_asked(workspace, editor, sandbox):
    post = published_post(workspace, editor, sandbox)
    done = post_delete_or_take_down(post=post, actor=editor)
    assert not done.deleted  # it went out: Varde keeps the record
    assert Delivery.objects.get(post=post).state == DeliveryState.PUBLISHED
    assert SandboxPost.objects.filter(deleted_at__isnull=True).count() == 1


def test_removing_from_the_network_when_asked_and_allowed(client_as, workspace, editor, sandbox):
    post = published_post(workspace, editor, sandbox)
    delivery = Delivery.objects.get(post=post)
    client = client_as(editor)
    page = client.get(url("content:post_delete", workspace, post_id=post.pk)).content.decode()
    assert f'name="remove" value="{delivery.pk}"' in page
    response = client.post(
        url("content:post_delete", workspace, post_id=post.pk),
        {"remove": [delivery.pk]},
        follow=True,
    )
    assert b"Removed from Sandkasse." in response.content
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.REMOVED
    assert SandboxPost.objects.get().deleted_at is not None
    assert AuditEvent.objects.filter(action="delivery.removed_from_network", actor=editor).exists()


def test_a_contributor_cannot_take_a_post_down_from_the_network(
    client_as, workspace, editor, contributor, sandbox
):
    post = published_post(workspace, editor, sandbox)
    Post.objects.filter(pk=post.pk).update(author=contributor)
    delivery = Delivery.objects.get(post=post)
    client = client_as(contributor)
    page = client.get(url("content:post_delete", workspace, post_id=post.pk)).content.decode()
    assert 'name="remove"' not in page
    client.post(url("content:post_delete", workspace, post_id=post.pk), {"remove": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED


# --- Honest messages ------------------------------------------------------------------------


def test_save_draft_on_a_scheduled_post_says_what_happened(client_as, workspace, editor, sandbox):
    post = scheduled_post(workspace, editor, sandbox)
    at = utc_to_local(post.deliveries.get().scheduled_at, workspace.timezone)
    response = client_as(editor).post(
        url("content:post_edit", workspace, post_id=post.pk),
        {
            "text": "Hello",
            "channels": [sandbox.pk],
            "planned_at": at.strftime("%Y-%m-%dT%H:%M"),
            "base_version": post.version,
            "action": "save",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Draft saved." not in page
    assert "It is still approved and goes out as planned" in page
    assert Delivery.objects.get(post=post).state == DeliveryState.SCHEDULED


def test_approve_and_schedule_without_a_time_says_it_is_not_scheduled(
    client_as, workspace, editor, sandbox
):
    response = client_as(editor).post(
        url("content:compose", workspace),
        {"text": "No time yet", "channels": [sandbox.pk], "action": "approve"},
        follow=True,
    )
    page = response.content.decode()
    assert "Approved, but not scheduled: it has no time yet." in page
    assert "goes out at its planned time" not in page


# --- Versions -------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_keeps_the_users_text(client_as, workspace, editor, sandbox):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="First", channels=[sandbox])
    ).post
    seen = post.version
    # Someone else saves a newer version from another page.
    post_save_draft(
        workspace=workspace,
        actor=editor,
        post=post,
        draft=Draft(text="Theirs", channels=[sandbox], draft_key="other-page", base_version=seen),
    )
    post.refresh_from_db()
    assert post.version == seen + 1
    client = client_as(editor)
    mine = {"text": "Mine", "channels": [sandbox.pk], "base_version": seen, "draft_key": "my-page"}
    response = client.post(url("content:post_edit", workspace, post_id=post.pk), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this post" in page
    assert "Theirs" in page
    assert "Mine" in page
    post.refresh_from_db()
    assert post.text == "Theirs"
    # Autosave is refused too, and says so.
    auto = client.post(
        url("content:autosave", workspace), {**mine, "post_id": post.pk}, HTTP_HX_REQUEST="true"
    )
    assert "someone else changed this post" in auto.content.decode()
    post.refresh_from_db()
    assert post.text == "Theirs"
    # "Save mine over theirs" carries the version the person has now seen.
    client.post(
        url("content:post_edit", workspace, post_id=post.pk),
        {**mine, "overwrite_version": post.version},
    )
    post.refresh_from_db()
    assert post.text == "Mine"


def test_a_pages_own_autosave_racing_its_save_is_not_a_conflict(workspace, editor, sandbox):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="One", channels=[sandbox])
    ).post
    seen = post.version
    for text in ("Two", "Three"):  # both from the page that read version `seen`
        post_save_draft(
            workspace=workspace,
            actor=editor,
            post=post,
            draft=Draft(text=text, channels=[sandbox], draft_key="page", base_version=seen),
        )
    post.refresh_from_db()
    assert post.text == "Three"


def test_autosave_makes_no_post_before_there_is_text_and_a_channel(
    client_as, workspace, editor, sandbox
):
    client = client_as(editor)
    response = client.post(
        url("content:autosave", workspace),
        {"text": "Just trying", "post_id": "", "draft_key": "k"},
        HTTP_HX_REQUEST="true",
    )
    assert "once it has text and a channel" in response.content.decode()
    assert not Post.objects.exists()
    client.post(
        url("content:autosave", workspace),
        {"text": "Just trying", "channels": [sandbox.pk], "post_id": "", "draft_key": "k"},
        HTTP_HX_REQUEST="true",
    )
    assert Post.objects.count() == 1
