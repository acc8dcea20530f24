"""The policy guard runs again whenever a post is scheduled, on every path that schedules one.

The composer checks live and the engine checks at send time; in between, the plan may gain a
banned word, or a post may reach "scheduled" without passing through approval. Each path
here must refuse a post the guard blocks and leave it where it was.
"""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.approvals import services as approvals
from varde.calendar.services import post_move
from varde.channels.models import ConnectedAccount
from varde.composer.services import post_save_draft
from varde.content.choices import ApprovalState
from varde.content.models import Post
from varde.content.services import Draft, post_create
from varde.lib.timeutil import local_to_utc
from varde.policy.guard import PolicyBlocksSchedulingError
from varde.publishing import cli
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_plan, delivery_schedule
from varde.strategy.models import StrategyPlan, TermRule, TermSeverity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English ones (the default language is bokmål)."""
    with translation.override("en"):
        yield


ZONE = "Europe/Oslo"
NOW = dt.datetime(2026, 3, 16, 8, 0, tzinfo=dt.UTC)  # Monday 09:00 in Oslo
WEDNESDAY = dt.date(2026, 3, 18)
TEXT = "Vårens sykler er her – gratis service hele april"


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time(hour, minute)), ZONE)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def instagram(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Instagram", handle="@bryggen"
    )


def ban(workspace, term: str = "gratis") -> None:
    """The plan changes after the post was approved: the term is now banned."""
    StrategyPlan.objects.get_or_create(workspace=workspace)
    TermRule.objects.create(
        workspace=workspace, term=term, severity=TermSeverity.BLOCK, note="Not in ads"
    )


@pytest.fixture
def approved(workspace, editor, instagram):
    """An approved post, scheduled on Instagram on Wednesday at 11:00."""
    post = post_create(
        workspace=workspace, author=editor, text=TEXT, approval_state=ApprovalState.APPROVED
    )
    delivery_schedule(post=post, channel=instagram, at=local(WEDNESDAY, 11), actor=editor)
    return post


def delivery_of(post: Post) -> Delivery:
    return Delivery.objects.get(post=post)


# --- The calendar ---------------------------------------------------------------------------


def test_a_calendar_move_of_an_approved_post_runs_the_guard(workspace, editor, approved):
    ban(workspace)
    with pytest.raises(PolicyBlocksSchedulingError) as refused:
        post_move(
            post=approved,
            to_date=WEDNESDAY + dt.timedelta(days=1),
            to_time=None,
            from_local=None,
            actor=editor,
        )
    assert "gratis" in refused.value.messages[0]
    delivery = delivery_of(approved)
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.scheduled_at == local(WEDNESDAY, 11)


def test_the_calendar_says_why_a_drag_was_refused(client_as, workspace, editor, approved):
    ban(workspace)
    response = client_as(editor).post(
        reverse("calendar:move", kwargs={"workspace": workspace.slug}),
        {"post": approved.pk, "date": "2026-03-19"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "The publishing rules stop this post" in page
    assert "banned" in page
    assert delivery_of(approved).scheduled_at == local(WEDNESDAY, 11)


def test_a_draft_may_still_be_moved_in_the_calendar(workspace, editor, instagram):
    """Only planned, not scheduled: the guard stops it at approval instead."""
    ban(workspace)
    post = post_create(workspace=workspace, author=editor, text=TEXT)
    delivery_plan(post=post, channel=instagram, at=local(WEDNESDAY, 11), actor=editor)
    post_move(post=post, to_date=WEDNESDAY, to_time=dt.time(14, 0), from_local=None, actor=editor)
    delivery = delivery_of(post)
    assert (delivery.state, delivery.scheduled_at) == (DeliveryState.DRAFT, local(WEDNESDAY, 14))


# --- The composer ---------------------------------------------------------------------------


def test_moving_an_approved_post_in_the_composer_runs_the_guard(
    workspace, editor, instagram, approved
):
    ban(workspace)
    moved = Draft(text=TEXT, channels=[instagram], planned_at=local(WEDNESDAY, 15))
    with pytest.raises(ValidationError, match="banned"):
        post_save_draft(workspace=workspace, actor=editor, draft=moved, post=approved)
    approved.refresh_from_db()
    assert approved.approval_state == ApprovalState.APPROVED
    delivery = delivery_of(approved)
    assert (delivery.state, delivery.scheduled_at) == (
        DeliveryState.SCHEDULED,
        local(WEDNESDAY, 11),
    )


def test_the_composer_autosave_shows_every_reason(
    client_as, workspace, editor, instagram, approved
):
    ban(workspace)
    response = client_as(editor).post(
        reverse("content:autosave", kwargs={"workspace": workspace.slug}),
        {
            "post_id": approved.pk,
            "text": TEXT,
            "channels": [instagram.pk],
            "planned_at": "2026-03-18T15:00",
        },
    )
    page = response.content.decode()
    assert "The publishing rules stop this post" in page
    assert "gratis" in page
    assert delivery_of(approved).scheduled_at == local(WEDNESDAY, 11)


# --- The command line -----------------------------------------------------------------------


def test_the_command_line_will_not_schedule_a_blocked_post(workspace, instagram, capsys):
    ban(workspace)
    parser = argparse.ArgumentParser()
    cli.add_subcommands(parser.add_subparsers())
    args = parser.parse_args(
        [
            "posts",
            "schedule",
            "--workspace",
            workspace.slug,
            "--channel",
            instagram.label,
            "--text",
            TEXT,
            "--at",
            "2026-03-18T11:00",
        ]
    )
    assert args.handler(args) == 1
    assert "gratis" in capsys.readouterr().err
    assert not Post.objects.exists()
    assert not Delivery.objects.exists()


# --- Import, then approval -----------------------------------------------------------------


def test_imported_posts_stay_planned_until_the_guard_lets_them_through(
    client_as, workspace, editor, instagram
):
    """An import makes drafts (nothing is scheduled); approving one runs the guard."""
    ban(workspace)
    writer = member(workspace, Role.CONTRIBUTOR, full_name="Cora Writer")
    content = (
        "Text,Channels,Date,Time,Paid\n"
        f"{TEXT},Instagram,2026-03-18,11:00,no\n"
        "Ny kolleksjon i butikken,Instagram,2026-03-19,11:00,yes\n"
    )
    client = client_as(writer)
    upload = SimpleUploadedFile("plan.csv", content.encode(), content_type="text/csv")
    url = reverse("calendar:import", kwargs={"workspace": workspace.slug})
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    confirm = reverse("calendar:import_confirm", kwargs={"workspace": workspace.slug})
    assert client.post(confirm, {"payload": preview.context["payload"]}).status_code == 302
    assert Post.objects.count() == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DRAFT}
    assert not Delivery.objects.filter(due_at__isnull=False).exists()

    for post in Post.objects.all():
        approvals.post_submit_for_review(post=post, actor=writer)
        with pytest.raises(ValidationError):
            approvals.post_approve(post=post, actor=editor)
        post.refresh_from_db()
        assert post.approval_state == ApprovalState.IN_REVIEW
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DRAFT}


# --- Publishing: trying a failed post again ------------------------------------------------


def test_trying_a_failed_post_again_runs_the_guard(client_as, workspace, editor, approved):
    Delivery.objects.filter(post=approved).update(state=DeliveryState.FAILED)
    ban(workspace)
    response = client_as(editor).post(
        reverse(
            "publishing:post_retry_failed",
            kwargs={"workspace": workspace.slug, "post_id": approved.pk},
        ),
        follow=True,
    )
    assert "The publishing rules stop this post" in response.content.decode()
    assert delivery_of(approved).state == DeliveryState.FAILED
