"""The engine end to end against the sandbox network, in one process."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from varde.accounts.models import AuditEvent
from varde.channels.choices import ChannelStatus
from varde.content.choices import ApprovalState
from varde.content.services import post_set_approval
from varde.publishing import engine, services
from varde.publishing.choices import AttemptOutcome, DeliveryState, FailureKind
from varde.publishing.tests.conftest import NOON
from varde.sandbox.choices import FaultKind
from varde.sandbox.connector import SandboxCrash
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_fault_add

pytestmark = pytest.mark.django_db(transaction=False)
W = "test-worker"


def run_all(now, worker=W):
    """Send and reconcile until nothing is due at ``now``."""
    while engine.publish_one(worker=worker, now=now) or engine.reconcile_one(
        worker=worker, now=now
    ):
        pass


def refreshed(delivery):
    delivery.refresh_from_db()
    return delivery


def test_publishes_once_when_due_not_before(post, channel, editor):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert not engine.publish_one(worker=W)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
        assert not engine.publish_one(worker=W)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.PUBLISHED
    sent = SandboxPost.objects.get()
    assert delivery.network_post_id == sent.network_post_id
    assert delivery.network_url.endswith(f"#post-{sent.network_post_id}")
    attempt = delivery.attempts.get()
    assert attempt.outcome == AttemptOutcome.PUBLISHED
    assert attempt.worker == W
    assert attempt.request_summary["text"] == "Hello from Varde"
    assert attempt.duration_ms is not None


def test_channel_failure_does_not_touch_the_other_channel(post, channel, second_channel, editor):
    ok = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    bad = services.delivery_schedule(post=post, channel=second_channel, at=NOON, actor=editor)
    sandbox_fault_add(
        kind=FaultKind.REJECTED,
        account=second_channel.config["account"],
        message="Links to that site are not allowed.",
    )
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)
    assert refreshed(ok).state == DeliveryState.PUBLISHED
    bad = refreshed(bad)
    assert bad.state == DeliveryState.FAILED
    assert bad.failure_kind == FailureKind.REJECTED
    # In the workspace's words, with the network's own text kept as the detail.
    assert bad.last_error.endswith("(Sandbox said: Links to that site are not allowed.)")

    # Retry touches only the failed one; the published one is not sent again.
    from varde.sandbox.services import sandbox_faults_clear

    sandbox_faults_clear()
    later = NOON + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert services.deliveries_retry_failed(post=post, actor=editor) == 1
        run_all(later)
    assert refreshed(bad).state == DeliveryState.PUBLISHED
    assert SandboxPost.objects.filter(idempotency_key=ok.idempotency_key).count() == 1
    assert SandboxPost.objects.filter(idempotency_key=bad.idempotency_key).count() == 1


def test_transient_error_retries_with_backoff_honouring_retry_after(post, channel, editor):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.RATE_LIMITED, retry_after_s=120, remaining=1)
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.due_at >= NOON + timedelta(seconds=120)
    with time_machine.travel(delivery.due_at, tick=False):
        run_all(delivery.due_at)
    assert refreshed(delivery).state == DeliveryState.PUBLISHED
    outcomes = list(delivery.attempts.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.RATE_LIMITED, AttemptOutcome.PUBLISHED]


def test_gives_up_after_max_tries_and_tells_the_author(
    post, channel, editor, settings, django_capture_on_commit_callbacks
):
    settings.VARDE_PUBLISH_MAX_TRIES = 2
    settings.VARDE_PUBLISH_RETRY_BASE_SECONDS = 1
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.SERVER_ERROR)
    now = NOON
    for _ in range(3):
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            run_all(now)
        now += timedelta(minutes=1)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.FAILED
    assert delivery.failure_kind == FailureKind.GAVE_UP
    assert mail.outbox
    assert mail.outbox[-1].to == [editor.email]


def test_timeout_after_accept_is_reconciled_to_published_not_resent(
    post, channel, editor, settings
):
    settings.VARDE_PUBLISH_RECONCILE_SETTLE_SECONDS = 30
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.TIMEOUT_ACCEPTED, remaining=1)
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)
    assert refreshed(delivery).state == DeliveryState.UNKNOWN
    later = NOON + timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        run_all(later)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.PUBLISHED
    assert "Found on the network" in delivery.reconcile_note
    assert SandboxPost.objects.count() == 1


def test_timeout_before_accept_is_found_missing_and_sent_again(post, channel, editor, settings):
    settings.VARDE_PUBLISH_RECONCILE_SETTLE_SECONDS = 30
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.TIMEOUT_LOST, remaining=1)
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)
    assert refreshed(delivery).state == DeliveryState.UNKNOWN
    later = NOON + timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        run_all(later)
    assert refreshed(delivery).state == DeliveryState.PUBLISHED
    assert SandboxPost.objects.count() == 1
    outcomes = list(delivery.attempts.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.UNKNOWN, AttemptOutcome.NOT_FOUND, AttemptOutcome.PUBLISHED]


def test_worker_dying_after_accept_is_recovered_without_duplicate(post, channel, editor, settings):
    settings.VARDE_PUBLISH_LEASE_SECONDS = 60
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.CRASH_AFTER_ACCEPT, remaining=1)
    with time_machine.travel(NOON, tick=False), pytest.raises(SandboxCrash):
        engine.publish_one(worker="doomed")
    assert refreshed(delivery).state == DeliveryState.PUBLISHING
    later = NOON + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        assert services.delivery_recover_expired_leases(now=later) == 1
        assert refreshed(delivery).state == DeliveryState.UNKNOWN
        run_all(later)
    assert refreshed(delivery).state == DeliveryState.PUBLISHED
    assert SandboxPost.objects.count() == 1
    outcomes = list(delivery.attempts.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.WORKER_LOST, AttemptOutcome.FOUND]


def test_expired_token_pauses_the_channel_and_tells_the_owner_once(  # noqa: PLR0917 - pytest fixtures
    post, channel, editor, owner, workspace, django_capture_on_commit_callbacks
):
    from varde.content.services import post_create

    other = post_create(
        workspace=workspace, author=editor, text="Second", approval_state=ApprovalState.APPROVED
    )
    first = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    second = services.delivery_schedule(post=other, channel=channel, at=NOON, actor=editor)
    # Two token faults: the post is refused, then so is the refresh (the grant is revoked).
    sandbox_fault_add(kind=FaultKind.AUTH_EXPIRED, remaining=2)
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_all(NOON)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert refreshed(first).state == DeliveryState.SCHEDULED
    assert refreshed(second).state == DeliveryState.SCHEDULED
    assert AuditEvent.objects.filter(action="channel.needs_reconnect").count() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]

    from varde.channels.services import channel_update_credentials
    from varde.connectors.contracts import Credentials

    channel_update_credentials(channel=channel, credentials=Credentials(access_token="new"))
    later = NOON + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        run_all(later)
    assert refreshed(first).state == DeliveryState.PUBLISHED
    assert refreshed(second).state == DeliveryState.PUBLISHED


def test_unapproved_post_is_not_sent(post, channel, editor):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    post_set_approval(post=post, state=ApprovalState.IN_REVIEW, actor=editor)
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.FAILED
    assert delivery.failure_kind == FailureKind.NOT_APPROVED
    assert not SandboxPost.objects.exists()


def test_late_within_cutoff_is_sent_later_is_missed(
    post, channel, editor, workspace, django_capture_on_commit_callbacks
):
    from varde.content.services import post_create

    rules = services.publishing_rules_for(workspace=workspace)
    rules.late_cutoff_minutes = 30
    rules.save()
    late_ok = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    old = post_create(
        workspace=workspace, author=editor, text="Old news", approval_state=ApprovalState.APPROVED
    )
    too_late = services.delivery_schedule(
        post=old, channel=channel, at=NOON - timedelta(minutes=45), actor=editor
    )
    # Varde was down from before both were due until 20 minutes after NOON.
    now = NOON + timedelta(minutes=20)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_all(now)
    assert refreshed(late_ok).state == DeliveryState.PUBLISHED
    too_late = refreshed(too_late)
    assert too_late.state == DeliveryState.FAILED
    assert too_late.failure_kind == FailureKind.MISSED
    assert "Missed" in too_late.last_error
    assert mail.outbox[-1].to == [editor.email]


def test_stale_worker_cannot_overwrite_the_next_holder(post, channel, editor, settings):
    settings.VARDE_PUBLISH_LEASE_SECONDS = 10
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    stale = services.delivery_claim_next(worker="slow", now=NOON)
    later = NOON + timedelta(seconds=11)
    services.delivery_recover_expired_leases(now=later)
    services.delivery_mark_retry(
        claim=stale,
        now=later,
        outcome=AttemptOutcome.TRANSIENT,
        error="late",
        retry_after=None,
        request_summary={},
    )
    assert refreshed(delivery).state == DeliveryState.UNKNOWN


def test_reconciler_looks_for_the_text_as_sent_when_the_post_was_edited_since(
    post, channel, editor, settings
):
    """A worker dies mid-call; the post is edited; the network keeps no idempotency key.

    The reconciler must search by the text that went out (kept before the call), not the
    post's new text, or it would find nothing and send a second copy.
    """
    settings.VARDE_PUBLISH_LEASE_SECONDS = 60
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.CRASH_AFTER_ACCEPT, remaining=1)
    with time_machine.travel(NOON, tick=False), pytest.raises(SandboxCrash):
        engine.publish_one(worker="doomed")
    attempt = delivery.attempts.get()
    assert attempt.request_summary["text"] == "Hello from Varde"  # kept before the call
    # A network that only matches on content, and an edit after the post went out.
    SandboxPost.objects.update(idempotency_key="")
    type(post).objects.filter(pk=post.pk).update(text="Hello from Varde (edited)")
    later = NOON + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        services.delivery_recover_expired_leases(now=later)
        run_all(later)
    delivery = refreshed(delivery)
    assert delivery.state == DeliveryState.PUBLISHED
    assert SandboxPost.objects.count() == 1
    assert delivery.network_post_id == SandboxPost.objects.get().network_post_id
    outcomes = list(delivery.attempts.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.WORKER_LOST, AttemptOutcome.FOUND]


def test_sends_what_the_composer_holds_link_with_utm_and_thread_only_where_supported(
    workspace, channel, editor
):
    from varde.content.services import post_create

    post = post_create(
        workspace=workspace,
        author=editor,
        text="Spring service week",
        approval_state=ApprovalState.APPROVED,
    )
    post.link_url = "https://bryggensykkel.test/service"
    post.thread = ["Part two"]  # the sandbox has no threads: left out, not refused
    post.save()
    services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        run_all(NOON)

    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.PUBLISHED, (delivery.state, delivery.last_error)
    received = SandboxPost.objects.get()
    assert received.text.startswith("Spring service week\n\nhttps://bryggensykkel.test/service?")
    assert "utm_source=sandbox" in received.text
    assert "Part two" not in received.text


def test_a_stale_token_is_refreshed_and_the_post_sent_without_bothering_anyone(
    post, channel, editor, django_capture_on_commit_callbacks
):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    sandbox_fault_add(kind=FaultKind.AUTH_EXPIRED, remaining=1)  # the refresh then succeeds
    later = NOON + timedelta(minutes=2)  # the retry waits out the usual short backoff
    with django_capture_on_commit_callbacks(execute=True):
        for now in (NOON, later):
            with time_machine.travel(now, tick=False):
                run_all(now)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert refreshed(delivery).state == DeliveryState.PUBLISHED
    outcomes = list(delivery.attempts.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.AUTH_EXPIRED, AttemptOutcome.PUBLISHED]
    assert SandboxPost.objects.count() == 1
    assert mail.outbox == []
