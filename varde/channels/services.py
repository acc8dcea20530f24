"""Every change to connected accounts goes through here."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from varde.accounts.models import User, Workspace
from varde.accounts.services import audit_record
from varde.channels.models import ChannelStatus, ConnectedAccount
from varde.connectors.contracts import Credentials
from varde.lib.crypto import encrypt_secret

# Writing last_success_at on every publish would add a write per post under load; once a
# minute is enough for "last worked at" to be true to the minute.
SUCCESS_RECORD_INTERVAL = timedelta(minutes=1)


def credentials_encrypt(credentials: Credentials) -> str:
    data: dict[str, Any] = {
        "access_token": credentials.access_token,
        "refresh_token": credentials.refresh_token,
        "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
        "scopes": list(credentials.scopes),
        "extra": dict(credentials.extra),
    }
    return encrypt_secret(json.dumps(data))


@transaction.atomic
def channel_connect(
    *,
    workspace: Workspace,
    connector_key: str,
    label: str,
    handle: str = "",
    credentials: Credentials | None = None,
    config: dict[str, str] | None = None,
    actor: User | None = None,
) -> ConnectedAccount:
    channel = ConnectedAccount.objects.create(
        workspace=workspace,
        connector_key=connector_key,
        label=label,
        handle=handle,
        credentials_encrypted=credentials_encrypt(credentials) if credentials else "",
        config=config or {},
        owner=actor,
    )
    audit_record(
        action="channel.connected",
        workspace=workspace,
        actor=actor,
        target=channel,
        detail={"network": connector_key},
    )
    return channel


@transaction.atomic
def channel_update_credentials(
    *, channel: ConnectedAccount, credentials: Credentials, actor: User | None = None
) -> ConnectedAccount:
    """Store new credentials (a reconnect or a refresh) and make the channel usable again."""
    was = channel.status
    channel.credentials_encrypted = credentials_encrypt(credentials)
    channel.status = ChannelStatus.CONNECTED
    channel.last_error = ""
    channel.save(update_fields=["credentials_encrypted", "status", "last_error", "updated_at"])
    if was != ChannelStatus.CONNECTED:
        audit_record(
            action="channel.reconnected", workspace=channel.workspace, actor=actor, target=channel
        )
    return channel


def channel_mark_needs_reconnect(*, channel_id: int, error: str) -> bool:
    """Stop using a channel whose token the network refused.

    Returns True only for the call that made the change, so the owner is told once even when
    several workers meet the expired token at the same moment.
    """
    changed = ConnectedAccount.objects.filter(pk=channel_id, status=ChannelStatus.CONNECTED).update(
        status=ChannelStatus.NEEDS_RECONNECT, last_error=error, updated_at=timezone.now()
    )
    return changed == 1


def channel_set_paused(*, channel: ConnectedAccount, paused: bool, actor: User | None) -> None:
    channel.status = ChannelStatus.PAUSED if paused else ChannelStatus.CONNECTED
    channel.save(update_fields=["status", "updated_at"])
    audit_record(
        action="channel.paused" if paused else "channel.resumed",
        workspace=channel.workspace,
        actor=actor,
        target=channel,
    )


def channel_record_success(
    *, channel_id: int, last_success_at: datetime | None, now: datetime
) -> None:
    if last_success_at is not None and now - last_success_at < SUCCESS_RECORD_INTERVAL:
        return
    ConnectedAccount.objects.filter(pk=channel_id).update(last_success_at=now, last_error="")
