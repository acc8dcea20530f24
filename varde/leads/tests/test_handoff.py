"""The CRM hand-off: Standard Webhooks signatures a receiver can verify with the library, the
SSRF guard, retries with every try recorded, and a notification when it finally fails."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from varde.connectors import outgoing
from varde.leads import handoff, services
from varde.leads.choices import EventKind, HandoffState
from varde.leads.models import CrmTarget, Handoff, LeadEvent
from varde.lib.crypto import decrypt_secret
from varde.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "https://crm.example/hooks/varde"
PUBLIC = "93.184.216.34"


def public(host: str, port: int) -> list[str]:
    return [PUBLIC]


def private(host: str, port: int) -> list[str]:
    return ["10.0.0.5"]


@pytest.fixture
def target(workspace, owner):
    return handoff.crm_target_set(
        workspace=workspace, url=URL, enabled=True, actor=owner, resolver=public
    )


@pytest.fixture
def lead(workspace, owner):
    lead = services.lead_create(
        workspace=workspace, actor=owner, handle="kari", network="bluesky", owner=owner
    )
    services.lead_note_add(lead=lead, text="=cmd|' /C calc'!A0", actor=owner)
    return lead


def test_the_secret_is_encrypted_and_in_standard_webhooks_form(target):
    assert "whsec_" not in target.secret_encrypted
    assert decrypt_secret(target.secret_encrypted).startswith("whsec_")


def test_private_addresses_are_refused(workspace, owner):
    with pytest.raises(ValidationError):
        handoff.crm_target_set(
            workspace=workspace,
            url="http://crm.internal/",
            enabled=True,
            actor=owner,
            resolver=private,
        )
    with pytest.raises(ValidationError):
        handoff.crm_target_set(
            workspace=workspace,
            url="file:///etc/passwd",
            enabled=True,
            actor=owner,
            resolver=public,
        )
    assert not CrmTarget.objects.exists()


def test_a_delivered_message_verifies_with_the_standard_webhooks_library(
    target, lead, respx_mock, django_capture_on_commit_callbacks
):
    route = respx_mock.post(URL).respond(204)
    with django_capture_on_commit_callbacks(execute=False):
        sent = handoff.handoff_request(lead=lead, actor=lead.owner)
    result = handoff.handoff_send(handoff_id=sent.pk, resolver=public)
    assert result is not None
    assert result.state == HandoffState.DELIVERED
    request = route.calls.last.request
    headers = dict(request.headers)
    assert headers["webhook-id"] == sent.message_id
    secret = decrypt_secret(CrmTarget.objects.get().secret_encrypted)
    payload = Webhook(secret).verify(request.content, headers)
    assert payload["type"] == "lead.handoff"
    assert payload["data"]["handle"] == "kari"
    assert payload["data"]["currency"] == "NOK"
    assert payload["data"]["notes"][0]["text"].startswith("=cmd")
    with pytest.raises(Exception, match="signature"):
        Webhook(handoff.new_secret()).verify(request.content, headers)
    assert LeadEvent.objects.filter(
        lead=lead, kind=EventKind.HANDOFF, detail__state=HandoffState.DELIVERED
    ).exists()


def test_failures_are_retried_with_the_same_id_and_recorded_then_reported(
    target, lead, respx_mock, django_capture_on_commit_callbacks
):
    route = respx_mock.post(URL).mock(
        side_effect=[httpx.Response(500, text="down"), httpx.ConnectError("refused")]
        + [httpx.Response(503)] * (handoff.MAX_TRIES - 2)
    )
    with django_capture_on_commit_callbacks(execute=False):
        sent = handoff.handoff_request(lead=lead, actor=lead.owner)
    moment = timezone.now()
    for attempt in range(handoff.MAX_TRIES):
        with time_machine.travel(moment, tick=False):
            assert handoff.handoff_send(handoff_id=sent.pk, resolver=public) is not None
            # Not due again until the backoff has passed: a second worker sends nothing.
            assert handoff.handoff_send(handoff_id=sent.pk, resolver=public) is None
        moment += handoff.BACKOFF[min(attempt, len(handoff.BACKOFF) - 1)] + dt.timedelta(seconds=1)
    sent.refresh_from_db()
    assert sent.state == HandoffState.FAILED
    assert sent.attempts == handoff.MAX_TRIES == sent.tries.count()
    assert {call.request.headers["webhook-id"] for call in route.calls} == {sent.message_id}
    first = sent.tries.first()
    assert first is not None
    assert (first.status_code, first.error) == (500, "HTTP 500 down")
    assert Notification.objects.filter(user=lead.owner, kind="leads.handoff_failed").exists()


def test_an_address_that_turns_private_is_refused_at_send_time(
    target, lead, respx_mock, django_capture_on_commit_callbacks
):
    route = respx_mock.post(URL).respond(204)
    with django_capture_on_commit_callbacks(execute=False):
        sent = handoff.handoff_request(lead=lead, actor=None)
    result = handoff.handoff_send(handoff_id=sent.pk, resolver=private)
    assert result is not None
    assert result.state == HandoffState.PENDING
    assert "non-public" in result.last_error
    assert not route.called


def test_the_answer_is_read_only_so_far(
    target, lead, respx_mock, django_capture_on_commit_callbacks
):
    respx_mock.post(URL).respond(400, content=b"x" * (outgoing.MAX_ANSWER_BYTES * 4))
    with django_capture_on_commit_callbacks(execute=False):
        sent = handoff.handoff_request(lead=lead, actor=None)
    result = handoff.handoff_send(handoff_id=sent.pk, resolver=public)
    assert result is not None
    assert len(result.last_error) <= 500


def test_no_target_no_handoff(lead):
    with pytest.raises(ValidationError):
        handoff.handoff_request(lead=lead, actor=None)
    assert not Handoff.objects.exists()


def test_the_body_is_json_with_the_lead(target, lead):
    body = json.loads(handoff.message_body(lead, message_id="msg_1", now=timezone.now()))
    assert body["data"]["id"] == lead.pk
    assert body["data"]["url"].endswith(f"/leads/{lead.pk}/")


def test_only_due_handoffs_are_picked_up(target, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        sent = handoff.handoff_request(lead=lead, actor=None)
    now = timezone.now()
    assert handoff.handoffs_due(now=now) == [sent.pk]
    Handoff.objects.filter(pk=sent.pk).update(next_try_at=now + dt.timedelta(minutes=5))
    assert handoff.handoffs_due(now=now) == []
    Handoff.objects.filter(pk=sent.pk).update(state=HandoffState.DELIVERED, next_try_at=None)
    assert handoff.handoffs_due(now=now + dt.timedelta(days=1)) == []
