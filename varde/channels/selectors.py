"""Reading connected accounts, and turning one into a connector that can act for it."""

from __future__ import annotations

import json
from datetime import datetime

from varde.accounts.models import Workspace
from varde.channels.models import ConnectedAccount
from varde.connectors import registry
from varde.connectors.base import Connector
from varde.connectors.contracts import Credentials
from varde.lib.crypto import decrypt_secret


def channels_of(*, workspace: Workspace) -> list[ConnectedAccount]:
    return list(ConnectedAccount.objects.in_workspace(workspace))


def channel_get(*, workspace: Workspace, channel_id: int) -> ConnectedAccount:
    return ConnectedAccount.objects.in_workspace(workspace).get(pk=channel_id)


def channel_credentials(channel: ConnectedAccount) -> Credentials | None:
    if not channel.credentials_encrypted:
        return None
    data = json.loads(decrypt_secret(channel.credentials_encrypted))
    expires = data.get("expires_at")
    return Credentials(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token"),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        scopes=tuple(data.get("scopes") or ()),
        extra=data.get("extra") or {},
    )


def connector_for(channel: ConnectedAccount) -> Connector:
    """A connector instance that acts for this account."""
    connector_class = registry.get(channel.connector_key)
    config = {str(key): str(value) for key, value in (channel.config or {}).items()}
    return connector_class(credentials=channel_credentials(channel), config=config)
