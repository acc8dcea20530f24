"""Hand-off to a CRM: each lead sent as a signed JSON message, with retries, and every try kept.

The message follows Standard Webhooks (https://www.standardwebhooks.com): headers
``webhook-id`` (the same on every retry, so the receiver can drop a repeat),
``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC-SHA256>`` of
``"<id>.<timestamp>.<body>"`` with the workspace's ``whsec_`` secret); any Standard Webhooks
library verifies it. The address is a person's input: it passes the SSRF guard
(``connectors/ssrf.py``) when it is saved and again on every connection, never through an
environment proxy, redirects are not followed, and each try is bounded in time and in how much
of the answer is read. The signing is shared with every signed message (``varde.lib.webhooks``).
Every change to a hand-off's state happens here.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts.services import audit_record
from varde.connectors import outgoing, ssrf
from varde.leads.choices import EventKind, HandoffState
from varde.leads.models import CrmTarget, Handoff, HandoffAttempt, Lead, LeadEvent
from varde.lib.crypto import decrypt_secret, encrypt_secret
from varde.lib.webhooks import BACKOFF, LEASE, MAX_TRIES, new_secret, signed_headers
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace


def check_address(url: str, *, resolver: ssrf.Resolver = ssrf.system_resolver) -> None:
    try:
        ssrf.check_url(url, allow_private=settings.VARDE_ALLOW_PRIVATE_URLS, resolver=resolver)
    except ssrf.UnsafeURLError as error:
        raise ValidationError(
            _("Varde will not send to this address: %(reason)s") % {"reason": error}
        ) from error


@transaction.atomic
def crm_target_set(
    *,
    workspace: Workspace,
    url: str,
    enabled: bool,
    actor: User | None,
    resolver: ssrf.Resolver = ssrf.system_resolver,
) -> CrmTarget:
    """Save where leads go; a first save makes the signing secret."""
    url = url.strip()
    check_address(url, resolver=resolver)
    target = CrmTarget.objects.filter(workspace=workspace).first()
    if target is None:
        target = CrmTarget(workspace=workspace, secret_encrypted=encrypt_secret(new_secret()))
    target.url, target.enabled, target.updated_at = url, enabled, timezone.now()
    target.save()
    audit_record(
        action="lead.crm_set",
        workspace=workspace,
        actor=actor,
        detail={"url": url, "enabled": enabled},
    )
    return target


@transaction.atomic
def crm_secret_rotate(*, workspace: Workspace, actor: User | None) -> CrmTarget:
    target = CrmTarget.objects.select_for_update().get(workspace=workspace)
    target.secret_encrypted = encrypt_secret(new_secret())
    target.updated_at = timezone.now()
    target.save(update_fields=["secret_encrypted", "updated_at"])
    audit_record(action="lead.crm_secret_rotated", workspace=workspace, actor=actor)
    return target


def message_body(lead: Lead, *, message_id: str, now: dt.datetime) -> str:
    """The JSON sent: Standard Webhooks' ``type``/``timestamp``/``data`` envelope."""
    owner = lead.owner
    notes = LeadEvent.objects.filter(lead=lead, kind=EventKind.NOTE).order_by("at", "id")
    data: dict[str, Any] = {
        "id": lead.pk,
        "url": settings.BASE_URL
        + reverse("leads:detail", kwargs={"workspace": lead.workspace.slug, "lead_id": lead.pk}),
        "workspace": lead.workspace.slug,
        "handle": lead.handle,
        "name": lead.name,
        "network": lead.network,
        "stage": lead.stage,
        "lost_reason": lead.lost_reason,
        "owner": {"name": owner.full_name, "email": owner.email} if owner else None,
        "value": str(lead.value) if lead.value is not None else None,
        "currency": "NOK",
        "next_step": lead.next_step,
        "next_step_on": lead.next_step_on.isoformat() if lead.next_step_on else None,
        "campaign": {"id": lead.campaign_id, "name": lead.campaign.name} if lead.campaign else None,
        "post_id": lead.post_id,
        "engaged_with": [
            {"kind": s.ref_kind, "id": s.ref_id, "url": s.url, "text": s.text, "at": _iso(s.at)}
            for s in lead.sources.all()
        ],
        "notes": [{"at": _iso(n.at), "text": n.text} for n in notes],
        "created_at": _iso(lead.created_at),
        "lead_at": _iso(lead.lead_at),
        "customer_at": _iso(lead.customer_at),
    }
    envelope = {"type": "lead.handoff", "id": message_id, "timestamp": _iso(now), "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def handoff_request(*, lead: Lead, actor: User | None) -> Handoff:
    """Queue the lead for the CRM; the first try runs as soon as the change is committed."""
    target = CrmTarget.objects.filter(workspace_id=lead.workspace_id, enabled=True).first()
    if target is None:
        raise ValidationError(_("No CRM address is set up for this workspace."))
    now = timezone.now()
    message_id = f"msg_{uuid.uuid4().hex}"
    handoff = Handoff.objects.create(
        workspace_id=lead.workspace_id,
        lead=lead,
        message_id=message_id,
        body=message_body(lead, message_id=message_id, now=now),
        next_try_at=now,
        requested_by=actor,
        created_at=now,
    )
    LeadEvent.objects.create(
        workspace_id=lead.workspace_id,
        lead=lead,
        kind=EventKind.HANDOFF,
        actor=actor,
        at=now,
        detail={"message_id": message_id, "state": HandoffState.PENDING},
    )
    audit_record(
        action="lead.handoff_requested",
        workspace=lead.workspace,
        actor=actor,
        target=lead,
        detail={"message_id": message_id},
    )

    def enqueue() -> None:
        from varde.leads.tasks import leads_handoff_send

        leads_handoff_send(handoff.pk)

    transaction.on_commit(enqueue)
    return handoff


def _claim(handoff_id: int, now: dt.datetime) -> Handoff | None:
    claimed = Handoff.objects.filter(
        pk=handoff_id, state=HandoffState.PENDING, next_try_at__lte=now
    ).update(next_try_at=now + LEASE)
    if not claimed:
        return None
    return Handoff.objects.select_related("lead__workspace").get(pk=handoff_id)


def _post(
    url: str, body: str, headers: dict[str, str], resolver: ssrf.Resolver
) -> tuple[int | None, str]:
    """One POST through the SSRF guard (``connectors/outgoing.py``)."""
    return outgoing.post(
        url, body, headers, allow_private=settings.VARDE_ALLOW_PRIVATE_URLS, resolver=resolver
    )


def handoff_send(
    *, handoff_id: int, resolver: ssrf.Resolver = ssrf.system_resolver
) -> Handoff | None:
    """One try, if the hand-off is due and no other worker holds it. The HTTP call runs
    outside any transaction; its outcome is written in one."""
    now = timezone.now()
    with transaction.atomic():
        handoff = _claim(handoff_id, now)
    if handoff is None:
        return None
    target = CrmTarget.objects.filter(workspace_id=handoff.workspace_id).first()
    if target is None or not target.enabled:
        status, error, took = None, _("No CRM address is set up for this workspace."), 0
    else:
        headers = signed_headers(
            secret=decrypt_secret(target.secret_encrypted),
            message_id=handoff.message_id,
            moment=timezone.now(),
            body=handoff.body,
        )
        started = time.monotonic()
        status, error = _post(target.url, handoff.body, headers, resolver)
        took = int((time.monotonic() - started) * 1000)
    return _record(handoff, status=status, error=error, took=took)


@transaction.atomic
def _record(handoff: Handoff, *, status: int | None, error: str, took: int) -> Handoff:
    now = timezone.now()
    HandoffAttempt.objects.create(
        handoff=handoff, at=now, status_code=status, error=error, duration_ms=took
    )
    handoff.attempts += 1
    handoff.last_error = error
    if not error:
        handoff.state, handoff.delivered_at, handoff.next_try_at = HandoffState.DELIVERED, now, None
    elif handoff.attempts >= MAX_TRIES:
        handoff.state, handoff.next_try_at = HandoffState.FAILED, None
    else:
        handoff.next_try_at = now + BACKOFF[handoff.attempts - 1]
    handoff.save()
    if handoff.state != HandoffState.PENDING:
        lead = handoff.lead
        LeadEvent.objects.create(
            workspace_id=handoff.workspace_id,
            lead=lead,
            kind=EventKind.HANDOFF,
            actor=None,
            at=now,
            text=error,
            detail={
                "message_id": handoff.message_id,
                "state": handoff.state,
                "attempts": handoff.attempts,
            },
        )
        audit_record(
            action=f"lead.handoff_{handoff.state}",
            workspace=lead.workspace,
            target=lead,
            detail={"message_id": handoff.message_id, "attempts": handoff.attempts},
        )
        if handoff.state == HandoffState.FAILED:
            _tell_failed(handoff)
    return handoff


def _tell_failed(handoff: Handoff) -> None:
    lead = handoff.lead
    notify(
        users=[handoff.requested_by, lead.owner],
        workspace=lead.workspace,
        kind="leads.handoff_failed",
        text=Message(
            gettext_lazy(
                "The lead @%(handle)s could not be sent to the CRM after %(tries)s tries: %(error)s"
            ),
            {"handle": lead.handle, "tries": handoff.attempts, "error": handoff.last_error},
        ),
        url=reverse("leads:detail", kwargs={"workspace": lead.workspace.slug, "lead_id": lead.pk}),
    )


def handoffs_due(*, now: dt.datetime) -> list[int]:
    return list(
        Handoff.objects.filter(state=HandoffState.PENDING, next_try_at__lte=now)
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:500]
    )
