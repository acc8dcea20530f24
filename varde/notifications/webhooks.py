"""The webhook channel of the one notification path: per workspace and kind, a signed message.

A kind declared with ``webhook=True`` (``kinds.Kind``) may go to an address the workspace sets;
``notify(…, data=…)`` queues one message per notification for it, here. Messages follow
Standard Webhooks (``varde.lib.webhooks``): ``webhook-id`` (the same on every retry),
``webhook-timestamp``, ``webhook-signature`` (``v1,`` HMAC-SHA256 with the endpoint's ``whsec_``
secret), and a JSON body ``{"type": kind, "id", "timestamp", "data": …}``; any Standard Webhooks
library verifies it. The secret is made by Varde and shown once, when it is made.

The address is a person's input: it passes the SSRF guard when it is saved and again on every
try (``connectors/outgoing.py``: the connection goes to the checked address, no redirects, no
environment proxy, bounded time and answer). The first try runs in the worker as soon as the
notification is committed; a failed try is retried after ``BACKOFF`` (1 min, 5 min, 30 min,
2 h, 8 h), then the message is marked failed. Every change to an endpoint or a delivery happens
here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.connectors import outgoing, ssrf
from varde.lib.crypto import decrypt_secret, encrypt_secret
from varde.lib.webhooks import (
    BACKOFF,
    LEASE,
    MAX_TRIES,
    envelope,
    new_message_id,
    new_secret,
    signed_headers,
)
from varde.notifications import kinds
from varde.notifications.choices import DeliveryState
from varde.notifications.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

TEST_TYPE_SUFFIX = ".test"


def _webhook_kind(key: str) -> kinds.Kind:
    kind = kinds.get(key)
    if not kind.webhook:
        raise ValidationError(_("This kind of notification cannot go to a webhook."))
    return kind


def check_address(url: str, *, resolver: ssrf.Resolver = ssrf.system_resolver) -> None:
    refused = outgoing.refusal(
        url, allow_private=settings.VARDE_ALLOW_PRIVATE_URLS, resolver=resolver
    )
    if refused:
        raise ValidationError(refused)


@transaction.atomic
def webhook_endpoint_set(
    *,
    workspace: Workspace,
    kind: str,
    url: str,
    enabled: bool,
    actor: User | None,
    resolver: ssrf.Resolver = ssrf.system_resolver,
) -> tuple[WebhookEndpoint, str]:
    """Save where ``kind`` goes; returns the endpoint and, on the first save, the new secret
    (to show once), else ""."""
    _webhook_kind(kind)
    url = url.strip()
    check_address(url, resolver=resolver)
    endpoint = WebhookEndpoint.objects.filter(workspace=workspace, kind=kind).first()
    secret = ""
    if endpoint is None:
        secret = new_secret()
        endpoint = WebhookEndpoint(
            workspace=workspace, kind=kind, secret_encrypted=encrypt_secret(secret)
        )
    endpoint.url, endpoint.enabled, endpoint.updated_at = url, enabled, timezone.now()
    endpoint.save()
    audit_record(
        action="notifications.webhook_set",
        workspace=workspace,
        actor=actor,
        detail={"kind": kind, "url": url, "enabled": enabled},
    )
    return endpoint, secret


@transaction.atomic
def webhook_secret_rotate(*, workspace: Workspace, kind: str, actor: User | None) -> str:
    """Make a new secret (the old one stops now); returns it, to show once."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(workspace=workspace, kind=kind)
    secret = new_secret()
    endpoint.secret_encrypted = encrypt_secret(secret)
    endpoint.updated_at = timezone.now()
    endpoint.save(update_fields=["secret_encrypted", "updated_at"])
    audit_record(
        action="notifications.webhook_secret_rotated",
        workspace=workspace,
        actor=actor,
        detail={"kind": kind},
    )
    return secret


@transaction.atomic
def webhook_endpoint_remove(*, workspace: Workspace, kind: str, actor: User | None) -> bool:
    deleted, _rows = WebhookEndpoint.objects.filter(workspace=workspace, kind=kind).delete()
    if deleted:
        audit_record(
            action="notifications.webhook_removed",
            workspace=workspace,
            actor=actor,
            detail={"kind": kind},
        )
    return bool(deleted)


def webhook_queue(
    *, workspace: Workspace, kind: str, data: Mapping[str, object], is_test: bool = False
) -> WebhookDelivery | None:
    """Queue one message for the workspace's enabled endpoint of ``kind`` (None without one);
    the first try runs once the caller's transaction commits."""
    endpoint = WebhookEndpoint.objects.filter(workspace=workspace, kind=kind, enabled=True).first()
    if endpoint is None:
        return None
    now = timezone.now()
    message_id = new_message_id()
    delivery = WebhookDelivery.objects.create(
        workspace=workspace,
        endpoint=endpoint,
        kind=kind,
        message_id=message_id,
        body=envelope(
            kind=kind + (TEST_TYPE_SUFFIX if is_test else ""),
            message_id=message_id,
            moment=now,
            data={"workspace": workspace.slug, **data},
        ),
        is_test=is_test,
        next_try_at=now,
        created_at=now,
    )

    def enqueue() -> None:
        from varde.notifications.tasks import notifications_webhook_send

        notifications_webhook_send(delivery.pk)

    transaction.on_commit(enqueue)
    return delivery


@transaction.atomic
def webhook_send_test(*, workspace: Workspace, kind: str, actor: User | None) -> WebhookDelivery:
    """Queue a test message (type ``<kind>.test``) so the receiver can be checked."""
    declared = _webhook_kind(kind)
    delivery = webhook_queue(
        workspace=workspace,
        kind=kind,
        data={"test": True, "text": str(declared.label)},
        is_test=True,
    )
    if delivery is None:
        raise ValidationError(_("Set a webhook address first, and turn it on."))
    audit_record(
        action="notifications.webhook_tested",
        workspace=workspace,
        actor=actor,
        detail={"kind": kind, "message_id": delivery.message_id},
    )
    return delivery


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_try_at__lte=now
    ).update(next_try_at=now + LEASE)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def webhook_send(
    *, delivery_id: int, resolver: ssrf.Resolver = ssrf.system_resolver
) -> WebhookDelivery | None:
    """One try, if the delivery is due and no other worker holds it. The HTTP call runs outside
    any transaction; its outcome is written in one."""
    with transaction.atomic():
        delivery = _claim(delivery_id, timezone.now())
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        return _record(delivery, status=None, error=_("The webhook is turned off."))
    headers = signed_headers(
        secret=decrypt_secret(endpoint.secret_encrypted),
        message_id=delivery.message_id,
        moment=timezone.now(),
        body=delivery.body,
    )
    status, error = outgoing.post(
        endpoint.url,
        delivery.body,
        headers,
        allow_private=settings.VARDE_ALLOW_PRIVATE_URLS,
        resolver=resolver,
    )
    return _record(delivery, status=status, error=error)


@transaction.atomic
def _record(delivery: WebhookDelivery, *, status: int | None, error: str) -> WebhookDelivery:
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_try_at, delivery.last_status, delivery.last_error = now, status, error
    if not error:
        delivery.state, delivery.next_try_at = DeliveryState.DELIVERED, None
    elif delivery.attempts >= MAX_TRIES or delivery.is_test:
        # A test is tried once: the person who pressed the button reads the outcome now.
        delivery.state, delivery.next_try_at = DeliveryState.FAILED, None
    else:
        delivery.next_try_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save()
    return delivery


def webhooks_due(*, now: dt.datetime) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_try_at__lte=now)
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:500]
    )
