"""The send-time re-check: the engine asks the guard before it calls the network."""

from __future__ import annotations

from unittest import mock

import pytest
import time_machine
from django.core import mail

from varde.accounts.models import AuditEvent
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.policy import publishing_reactions
from varde.policy.choices import NewHashtagRule
from varde.policy.models import GuardSettings
from varde.policy.services import hashtag_confirm
from varde.publishing import engine, services
from varde.publishing.choices import AttemptOutcome, DeliveryState, FailureKind
from varde.publishing.tests.conftest import NOON
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import TermRule, TermSeverity

pytestmark = pytest.mark.django_db
W = "test-worker"


@pytest.fixture
def channel(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandbox A", actor=owner)


def approved(workspace, author, text):
    return post_create(
        workspace=workspace, author=author, text=text, approval_state=ApprovalState.APPROVED
    )


def test_a_post_that_breaks_the_rules_at_send_time_fails_and_the_author_is_told(
    workspace, editor, channel, django_capture_on_commit_callbacks
):
    post = approved(workspace, editor, "Alt er gratis i dag")
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    # The rule arrives after the post was scheduled: the send-time check catches it.
    TermRule.objects.create(workspace=workspace, term="gratis", severity=TermSeverity.BLOCK)
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.failure_kind == FailureKind.POLICY
    assert "gratis" in delivery.last_error
    assert delivery.last_error.startswith("The publishing rules stop this post:")
    assert not SandboxPost.objects.exists()
    assert delivery.attempts.get().outcome == AttemptOutcome.SKIPPED
    assert AuditEvent.objects.filter(action="delivery.failed").exists()
    assert mail.outbox[-1].to == [editor.email]
    assert "gratis" in mail.outbox[-1].body


def test_a_warning_does_not_stop_the_post(workspace, editor, channel):
    post = approved(workspace, editor, "Vi er billigst")
    TermRule.objects.create(workspace=workspace, term="billigst", severity=TermSeverity.WARN)
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED


def test_a_new_hashtag_only_warns_by_default(workspace, editor, channel):
    post = approved(workspace, editor, "Ny kolleksjon #Aurora")
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED


def test_an_unconfirmed_hashtag_stops_the_post_until_confirmed_where_the_rules_say_block(
    workspace, editor, channel
):
    GuardSettings.objects.create(workspace=workspace, new_hashtag=NewHashtagRule.BLOCK)
    post = approved(workspace, editor, "Ny kolleksjon #Aurora")
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.failure_kind == FailureKind.POLICY
    assert "#aurora" in delivery.last_error

    hashtag_confirm(workspace=workspace, tag="aurora", actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert services.deliveries_retry_failed(post=post, actor=editor) == 1
        engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED


def test_a_guard_that_crashes_fails_closed(workspace, editor, channel):
    post = approved(workspace, editor, "Hei")
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with (
        mock.patch.object(
            publishing_reactions, "guard_check_send", side_effect=RuntimeError("bug")
        ),
        time_machine.travel(NOON, tick=False),
    ):
        engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.failure_kind == FailureKind.POLICY
    assert not SandboxPost.objects.exists()


def test_the_send_time_check_is_cheap(workspace, editor, channel, django_assert_max_num_queries):
    """The engine runs the guard for every delivery; a plain post costs a handful of queries."""
    from varde.policy.guard import guard_check_post

    post = approved(workspace, editor, "Hei fra Varde")
    post = type(post).objects.select_related("workspace", "author").get(pk=post.pk)
    with django_assert_max_num_queries(6):
        report = guard_check_post(post=post, channel_ids=[channel.pk])
    assert report.findings == ()
