"""The webhook channel of the notification path: a secret shown once, the SSRF guard on save and
on every try, Standard Webhooks signatures a receiver verifies with the library, retries with
backoff and the same webhook-id, the test button and the delivery log, per workspace."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.lib.crypto import decrypt_secret
from varde.lib.webhooks import new_secret
from varde.notifications import webhooks
from varde.notifications.choices import DeliveryState
from varde.notifications.models import WebhookDelivery, WebhookEndpoint
from varde.notifications.services import notify

pytestmark = pytest.mark.django_db

KIND = "listening.alert"  # declared with webhook=True by listening
URL = "https://hooks.example/varde"
PUBLIC = "93.184.216.34"


def public(host: str, port: int) -> list[str]:
    return [PUBLIC]


def private(host: str, port: int) -> list[str]:
    return ["10.0.0.5"]


@pytest.fixture
def endpoint(workspace, owner):
    made, secret = webhooks.webhook_endpoint_set(
        workspace=workspace, kind=KIND, url=URL, enabled=True, actor=owner, resolver=public
    )
    return made, secret


def _queue(workspace, captured, data=None):
    with captured(execute=False):
        notify(
            users=[],
            workspace=workspace,
            kind=KIND,
            text="Spike",
            data=data if data is not None else {"alert": {"id": 1}},
        )
    return WebhookDelivery.objects.get()


def test_the_secret_is_made_once_encrypted_and_rotated(workspace, owner, endpoint):
    made, secret = endpoint
    assert secret.startswith("whsec_")
    assert secret not in made.secret_encrypted
    assert decrypt_secret(made.secret_encrypted) == secret
    _again, none = webhooks.webhook_endpoint_set(
        workspace=workspace, kind=KIND, url=URL, enabled=False, actor=owner, resolver=public
    )
    assert none == ""  # saving again never shows the secret again
    rotated = webhooks.webhook_secret_rotate(workspace=workspace, kind=KIND, actor=owner)
    assert rotated != secret
    assert decrypt_secret(WebhookEndpoint.objects.get().secret_encrypted) == rotated


@pytest.mark.parametrize(
    ("url", "resolver"),
    [
        ("http://hooks.internal/x", private),
        ("http://127.0.0.1:8000/x", public),
        ("http://169.254.169.254/latest/meta-data/", public),
        ("file:///etc/passwd", public),
        ("https://user:pw@hooks.example/x", public),
    ],
)
def test_unsafe_addresses_are_refused_on_save(workspace, owner, url, resolver, settings):
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_set(
            workspace=workspace, kind=KIND, url=url, enabled=True, actor=owner, resolver=resolver
        )
    assert not WebhookEndpoint.objects.exists()


def test_a_kind_without_webhooks_is_refused_and_never_queued(
    workspace, owner, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_set(
            workspace=workspace,
            kind="review.submitted",
            url=URL,
            enabled=True,
            actor=owner,
            resolver=public,
        )
    with django_capture_on_commit_callbacks(execute=False):
        notify(users=[owner], workspace=workspace, kind="review.submitted", text="x", data={})
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_verifies_with_the_standard_webhooks_library(
    workspace, endpoint, respx_mock, django_capture_on_commit_callbacks
):
    _made, secret = endpoint
    route = respx_mock.post(URL).respond(204)
    delivery = _queue(workspace, django_capture_on_commit_callbacks, {"text": "æøå <b>"})
    sent = webhooks.webhook_send(delivery_id=delivery.pk, resolver=public)
    assert sent is not None
    assert sent.state == DeliveryState.DELIVERED
    assert (sent.attempts, sent.last_status, sent.last_error) == (1, 204, "")
    request = route.calls.last.request
    headers = dict(request.headers)
    assert headers["webhook-id"] == delivery.message_id
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    payload = Webhook(secret).verify(request.content, headers)
    assert payload["type"] == KIND
    assert payload["data"] == {"workspace": workspace.slug, "text": "æøå <b>"}
    with pytest.raises(Exception, match="signature"):
        Webhook(new_secret()).verify(request.content, headers)
    tampered = request.content.replace(b"<b>", b"<i>")
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(tampered, headers)


def test_failures_are_retried_with_backoff_and_the_same_id_then_marked_failed(
    workspace, endpoint, respx_mock, django_capture_on_commit_callbacks
):
    route = respx_mock.post(URL).mock(
        side_effect=[httpx.Response(500, text="down"), httpx.ConnectError("refused")]
        + [httpx.Response(503)] * (webhooks.MAX_TRIES - 2)
    )
    delivery = _queue(workspace, django_capture_on_commit_callbacks)
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        first = webhooks.webhook_send(delivery_id=delivery.pk, resolver=public)
        assert first is not None
        assert (first.state, first.last_status, first.last_error) == (
            DeliveryState.PENDING,
            500,
            "HTTP 500 down",
        )
        assert first.next_try_at == moment + webhooks.BACKOFF[0]
        # Not due before the backoff has passed: the periodic task and a second worker skip it.
        assert webhooks.webhook_send(delivery_id=delivery.pk, resolver=public) is None
        assert webhooks.webhooks_due(now=moment) == []
    for attempt in range(1, webhooks.MAX_TRIES):
        moment += webhooks.BACKOFF[attempt - 1] + dt.timedelta(seconds=1)
        with time_machine.travel(moment, tick=False):
            assert webhooks.webhooks_due(now=moment) == [delivery.pk]
            assert webhooks.webhook_send(delivery_id=delivery.pk, resolver=public) is not None
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == webhooks.MAX_TRIES == len(route.calls)
    assert {call.request.headers["webhook-id"] for call in route.calls} == {delivery.message_id}
    assert delivery.next_try_at is None


def test_an_address_that_turns_private_is_refused_at_send_time(
    workspace, endpoint, respx_mock, django_capture_on_commit_callbacks, settings
):
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    route = respx_mock.post(URL).respond(204)
    delivery = _queue(workspace, django_capture_on_commit_callbacks)
    sent = webhooks.webhook_send(delivery_id=delivery.pk, resolver=private)
    assert sent is not None
    assert sent.state == DeliveryState.PENDING
    assert "non-public" in sent.last_error
    assert not route.called


def test_a_workspace_without_an_enabled_webhook_queues_nothing(
    workspace, other_workspace, owner, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notify(users=[], workspace=other_workspace, kind=KIND, text="x", data={"a": 1})
    assert not WebhookDelivery.objects.exists()
    webhooks.webhook_endpoint_set(
        workspace=workspace, kind=KIND, url=URL, enabled=False, actor=owner, resolver=public
    )
    with django_capture_on_commit_callbacks(execute=False):
        notify(users=[], workspace=workspace, kind=KIND, text="x", data={"a": 1})
    assert not WebhookDelivery.objects.exists()


def _page(workspace, name="webhook"):
    return reverse(
        f"notifications:{name}", kwargs={"workspace": workspace.slug, "notification_kind": KIND}
    )


def test_the_page_shows_the_secret_once_sends_a_test_and_logs_it(
    workspace, owner, client_as, respx_mock, django_capture_on_commit_callbacks
):
    client = client_as(owner)
    refused = client.post(_page(workspace, "webhook_save"), {"url": "http://127.0.0.1:9/x"})
    assert refused.status_code == 200
    assert "non-public" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()

    address = f"https://{PUBLIC}/hook"
    answer = client.post(_page(workspace, "webhook_save"), {"url": address, "enabled": "on"})
    secret = decrypt_secret(WebhookEndpoint.objects.get().secret_encrypted)
    assert secret in answer.content.decode()
    assert secret not in client.get(_page(workspace)).content.decode()

    route = respx_mock.post(address).respond(200)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(workspace, "webhook_test"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.is_test
    assert delivery.state == DeliveryState.DELIVERED
    body = json.loads(route.calls.last.request.content)
    assert body["type"] == f"{KIND}.test"
    page = client.get(_page(workspace)).content.decode()
    assert delivery.message_id in page
    assert 'data-delivery-state="delivered"' in page


def test_another_workspace_sees_nothing_and_an_editor_cannot_change_it(
    workspace, other_workspace, owner, endpoint, client_as
):
    stranger = member(other_workspace, Role.OWNER)
    theirs = client_as(stranger).get(_page(other_workspace)).content.decode()
    assert URL not in theirs
    editor = member(workspace, Role.EDITOR)
    client = client_as(editor)
    assert client.post(_page(workspace, "webhook_remove")).status_code == 403
    assert WebhookEndpoint.objects.filter(workspace=workspace).exists()
    unknown = reverse(
        "notifications:webhook",
        kwargs={"workspace": workspace.slug, "notification_kind": "review.submitted"},
    )
    assert client_as(owner).get(unknown).status_code == 404


def test_the_worker_sends_what_is_due(
    workspace, owner, respx_mock, django_capture_on_commit_callbacks
):
    from varde.notifications import tasks

    address = f"https://{PUBLIC}/hook"  # an address without a name: no lookup in the test
    webhooks.webhook_endpoint_set(
        workspace=workspace, kind=KIND, url=address, enabled=True, actor=owner, resolver=public
    )
    route = respx_mock.post(address).mock(side_effect=[httpx.Response(502), httpx.Response(200)])
    delivery = _queue(workspace, django_capture_on_commit_callbacks)
    assert tasks.notifications_webhooks_due.call_local() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 502)
    assert tasks.notifications_webhooks_due.call_local() == 0  # waiting for its backoff
    with time_machine.travel(timezone.now() + webhooks.BACKOFF[0] + dt.timedelta(seconds=1)):
        assert tasks.notifications_webhooks_due.call_local() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 2, 200)
    assert len(route.calls) == 2
