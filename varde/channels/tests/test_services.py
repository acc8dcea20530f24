from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.channels import services
from varde.channels.choices import ChannelStatus
from varde.channels.selectors import channel_credentials
from varde.connectors.contracts import Credentials

pytestmark = pytest.mark.django_db


def test_credentials_are_encrypted_and_round_trip(workspace, owner):
    creds = Credentials(
        access_token="secret-token",
        refresh_token="r",
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        scopes=("write",),
        extra={"did": "did:plc:x"},
    )
    channel = services.channel_connect(
        workspace=workspace, connector_key="sandbox", label="S", credentials=creds, actor=owner
    )
    assert "secret-token" not in channel.credentials_encrypted
    assert channel_credentials(channel) == creds


def test_needs_reconnect_changes_once(workspace, owner):
    channel = services.channel_connect(
        workspace=workspace, connector_key="sandbox", label="S", actor=owner
    )
    assert services.channel_mark_needs_reconnect(channel_id=channel.pk, error="expired")
    assert not services.channel_mark_needs_reconnect(channel_id=channel.pk, error="expired")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert channel.last_error == "expired"
