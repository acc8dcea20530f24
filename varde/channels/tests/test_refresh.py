"""Keeping tokens fresh: ahead of expiry, never losing a refresh token, a passing failure
told apart from a revoked grant, and one reconnect notice to the owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from varde.channels import services
from varde.channels.choices import ChannelStatus
from varde.channels.selectors import channel_credentials
from varde.channels.services import RefreshOutcome
from varde.connectors.contracts import Credentials

from .conftest import fixture

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
X_TOKEN = "https://api.x.com/2/oauth2/token"
PDS = "https://pds.example"


def _x_channel(workspace, owner, *, expires_in: timedelta, label: str = "X"):
    return services.channel_connect(
        workspace=workspace,
        connector_key="x",
        label=label,
        handle="varde_no",
        credentials=Credentials(
            access_token="old-access",
            refresh_token="old-refresh",
            expires_at=NOW + expires_in,
            extra={"user_id": "2244994945", "username": "varde_no"},
        ),
        actor=owner,
    )


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_only_tokens_expiring_soon_are_due(workspace, owner, frozen):
    later = _x_channel(workspace, owner, expires_in=timedelta(hours=2), label="later")
    soon = _x_channel(workspace, owner, expires_in=timedelta(minutes=20), label="soon")
    paused = _x_channel(workspace, owner, expires_in=timedelta(minutes=5), label="paused")
    services.channel_set_paused(channel=paused, paused=True, actor=owner)
    services.channel_connect(workspace=workspace, connector_key="sandbox", label="no expiry")

    assert services.channels_due_for_refresh(now=NOW) == [soon.pk]
    frozen.shift(timedelta(hours=1, minutes=40))
    assert services.channels_due_for_refresh(now=NOW + timedelta(hours=1, minutes=40)) == [
        soon.pk,
        later.pk,
    ]


def test_refresh_stores_the_new_tokens(workspace, owner, oauth_apps, respx_mock):
    channel = _x_channel(workspace, owner, expires_in=timedelta(minutes=20))
    route = respx_mock.post(X_TOKEN).respond(json=fixture("x", "token"))

    assert services.channels_refresh_due(now=NOW) == {RefreshOutcome.REFRESHED: 1}

    sent = route.calls.last.request.content.decode()
    assert "grant_type=refresh_token" in sent
    assert "refresh_token=old-refresh" in sent
    channel.refresh_from_db()
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.access_token == fixture("x", "token")["access_token"]
    assert creds.refresh_token == fixture("x", "token")["refresh_token"]  # X rotates it
    assert channel.token_expires_at == NOW + timedelta(seconds=7200)
    assert channel.last_refreshed_at == NOW
    assert services.channels_due_for_refresh(now=NOW) == []


def test_a_refresh_answer_without_refresh_token_keeps_the_stored_one(workspace, owner, respx_mock):
    session = fixture("bluesky", "refreshSession")
    session.pop("refreshJwt")  # the connector hands back refresh_token=None for this answer
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").respond(json=session)
    channel = services.channel_connect(
        workspace=workspace,
        connector_key="bluesky",
        label="Bluesky",
        credentials=Credentials(
            access_token="a",
            refresh_token="stored-refresh",
            expires_at=NOW + timedelta(minutes=10),
            extra={"did": "did:plc:z72i7hdynmk6r22z27h6tvur", "handle": "varde.bsky.social"},
        ),
        config={"service": PDS},
        actor=owner,
    )
    assert services.channel_refresh(channel_id=channel.pk, now=NOW) == RefreshOutcome.REFRESHED
    creds = channel_credentials(channel.__class__.objects.get(pk=channel.pk))
    assert creds is not None
    assert creds.access_token == session["accessJwt"]
    assert creds.refresh_token == "stored-refresh"


def test_a_reconnect_without_refresh_token_keeps_the_stored_one(workspace, owner):
    channel = _x_channel(workspace, owner, expires_in=timedelta(hours=1))
    services.channel_update_credentials(
        channel=channel, credentials=Credentials(access_token="new", refresh_token="")
    )
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.refresh_token == "old-refresh"


def test_a_transient_failure_keeps_the_channel_and_tries_again(
    workspace, owner, oauth_apps, respx_mock, django_capture_on_commit_callbacks
):
    channel = _x_channel(workspace, owner, expires_in=timedelta(minutes=20))
    respx_mock.post(X_TOKEN).respond(503, text="Service Unavailable")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.channel_refresh(channel_id=channel.pk, now=NOW)
    assert outcome == RefreshOutcome.TRANSIENT
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert channel.refresh_error
    assert channel_credentials(channel).refresh_token == "old-refresh"
    assert mail.outbox == []
    assert services.channels_due_for_refresh(now=NOW) == [channel.pk]  # tried again next run


def test_a_revoked_grant_needs_a_reconnect_and_tells_the_owner_once(
    workspace, owner, oauth_apps, respx_mock, django_capture_on_commit_callbacks
):
    channel = _x_channel(workspace, owner, expires_in=timedelta(minutes=20))
    respx_mock.post(X_TOKEN).respond(400, json=fixture("x", "error_oauth_invalid_request"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.channel_refresh(channel_id=channel.pk, now=NOW) == RefreshOutcome.REVOKED
        # The next run, and the publishing engine meeting the same refusal, stay quiet.
        assert services.channel_refresh(channel_id=channel.pk, now=NOW) == RefreshOutcome.SKIPPED
        assert not services.channel_mark_needs_reconnect(channel_id=channel.pk, error="again")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "Value passed for the token was invalid" in channel.last_error
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Reconnect X" in mail.outbox[0].subject


def test_a_reconnect_during_a_refresh_wins(workspace, owner, oauth_apps, respx_mock):
    channel = _x_channel(workspace, owner, expires_in=timedelta(minutes=20))

    def reconnect_meanwhile(request):
        services.channel_update_credentials(
            channel=channel, credentials=Credentials(access_token="by-a-person", refresh_token="p")
        )
        import httpx

        return httpx.Response(200, json=fixture("x", "token"))

    respx_mock.post(X_TOKEN).mock(side_effect=reconnect_meanwhile)
    assert services.channel_refresh(channel_id=channel.pk, now=NOW) == RefreshOutcome.SKIPPED
    assert channel_credentials(channel.__class__.objects.get()).access_token == "by-a-person"


def test_the_periodic_task_runs_once_while_locked(workspace, owner, oauth_apps, respx_mock):
    from huey.contrib.djhuey import HUEY

    from varde.channels.tasks import REFRESH_LOCK, channels_refresh_tokens

    _x_channel(workspace, owner, expires_in=timedelta(minutes=20))
    route = respx_mock.post(X_TOKEN).respond(json=fixture("x", "token"))
    with HUEY.lock_task(REFRESH_LOCK):
        channels_refresh_tokens()  # another worker holds the lock: nothing happens
    assert not route.calls
    channels_refresh_tokens()
    assert route.call_count == 1


def test_a_refused_refresh_after_someone_else_refreshed_is_not_a_revocation(
    workspace, owner, oauth_apps, respx_mock, django_capture_on_commit_callbacks
):
    """Two refreshers at once: X rotates the refresh token, so the slower one is refused.
    That refusal is stale and must not take the channel down or e-mail anyone."""
    import httpx

    channel = _x_channel(workspace, owner, expires_in=timedelta(minutes=20))

    def other_refresh_wins(request):
        services.channel_update_credentials(
            channel=channel, credentials=Credentials(access_token="fresh", refresh_token="new-r")
        )
        return httpx.Response(400, json=fixture("x", "error_oauth_invalid_request"))

    respx_mock.post(X_TOKEN).mock(side_effect=other_refresh_wins)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.channel_refresh(channel_id=channel.pk, now=NOW)
    assert outcome == RefreshOutcome.SKIPPED
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert channel_credentials(channel).refresh_token == "new-r"
    assert mail.outbox == []
