"""Connecting Bluesky by OAuth through the views: Varde's client metadata, the start (discovery
and PAR, with the DPoP key and verifier kept encrypted), the way back (``iss`` checked, the
code exchanged, the account read with DPoP), and refreshing the stored grant.

Answers replayed with respx from fixtures/bluesky/oauth_*.json (recorded from the local PDS).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.messages import get_messages

from varde.channels import services
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials, channel_secret_config
from varde.channels.services import RefreshOutcome, channel_connect
from varde.channels.views import SESSION_KEY
from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.contracts import Credentials
from varde.lib.crypto import decrypt_secret

from .conftest import fixture

pytestmark = pytest.mark.django_db

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
HANDLE = "varde.bsky.social"
CALLBACK = "/channels/oauth/callback/"
METADATA = "/oauth/bluesky/client-metadata.json"
CLIENT_ID = f"https://varde.example{METADATA}"
PAR = "https://auth.example/oauth/par"
TOKEN = "https://auth.example/oauth/token"
PROFILE = "https://pds.example/xrpc/app.bsky.actor.getProfile"


@pytest.fixture
def public_varde(settings):
    settings.BASE_URL = "https://varde.example"
    settings.VARDE_ATPROTO_PLC_URL = "https://plc.directory"
    return settings


@pytest.fixture
def bluesky_servers(respx_mock):
    respx_mock.get("https://bsky.social/xrpc/com.atproto.identity.resolveHandle").respond(
        json=fixture("bluesky", "resolveHandle")
    )
    respx_mock.get(f"https://plc.directory/{DID}").respond(
        json=fixture("bluesky", "oauth_did_document")
    )
    respx_mock.get("https://pds.example/.well-known/oauth-protected-resource").respond(
        json=fixture("bluesky", "oauth_protected_resource")
    )
    respx_mock.get("https://auth.example/.well-known/oauth-authorization-server").respond(
        json=fixture("bluesky", "oauth_authorization_server")
    )
    respx_mock.post(PAR).mock(
        side_effect=[
            httpx.Response(
                400,
                json=fixture("bluesky", "oauth_error_use_dpop_nonce"),
                headers={"DPoP-Nonce": "as-nonce"},
            ),
            httpx.Response(201, json=fixture("bluesky", "oauth_par")),
        ]
    )
    return respx_mock


def _start(client, **fields: str):
    values = {"method": "oauth", "account": f"@{HANDLE}", "lookup_service": "https://bsky.social"}
    return client.post("/w/acme/channels/connect/bluesky/", {**values, **fields})


def _state(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"].startswith("https://auth.example/oauth/authorize?")
    return next(iter(response.wsgi_request.session[SESSION_KEY]))


def test_varde_serves_its_client_metadata_at_its_client_id(client, public_varde):
    response = client.get(METADATA)
    assert response.status_code == 200
    document = response.json()
    assert document["client_id"] == CLIENT_ID
    assert document["redirect_uris"] == [f"https://varde.example{CALLBACK}"]
    assert document["token_endpoint_auth_method"] == "none"
    assert document["dpop_bound_access_tokens"] is True
    assert document["scope"] == "atproto transition:generic"


def test_on_this_machine_varde_is_a_loopback_client_without_a_document(client, settings):
    from varde.channels import atproto_client

    settings.BASE_URL = "http://localhost:8000"
    assert client.get(METADATA).status_code == 404
    client_id = atproto_client.client_id()
    assert client_id is not None
    query = parse_qs(urlsplit(client_id).query)
    assert client_id.startswith("http://localhost?")
    assert query["redirect_uri"] == [f"http://127.0.0.1:8000{CALLBACK}"]


def test_plain_http_on_a_real_host_cannot_sign_in_and_says_so(client_as, owner, settings):
    settings.BASE_URL = "http://varde.example"
    response = client_as(owner).get("/w/acme/channels/connect/bluesky/")
    assert b"public https address" in response.content
    assert b"Connect with an app password" in response.content  # the other way still works


def test_the_connect_page_offers_both_ways(client_as, owner, public_varde):
    response = client_as(owner).get("/w/acme/channels/connect/bluesky/")
    assert b"Continue to Bluesky" in response.content
    assert b"Check and connect" in response.content
    # Browsers check the sign-in button's redirect (to a server only known after the post)
    # against form-action: this page allows https, and only this kind of page does.
    assert "form-action 'self' https:;" in response["Content-Security-Policy"]
    other = client_as(owner).get("/w/acme/channels/connect/webhook/")
    assert "form-action 'self';" in other["Content-Security-Policy"]


def test_start_pushes_the_request_and_keeps_key_and_verifier_encrypted(
    client_as, owner, public_varde, bluesky_servers
):
    client = client_as(owner)
    state = _state(_start(client))
    pending = client.session[SESSION_KEY][state]
    assert pending["config"]["oauth_did"] == DID
    assert pending["config"]["oauth_issuer"] == "https://auth.example"
    assert pending["config"]["service"] == "https://pds.example"
    flow_secrets = json.loads(decrypt_secret(pending["secrets"]))
    assert set(flow_secrets) == {"code_verifier", "dpop_key"}
    assert flow_secrets["dpop_key"] not in json.dumps(pending)
    sent = parse_qs(bluesky_servers.calls[-1].request.content.decode())
    assert sent["client_id"] == [CLIENT_ID]
    assert sent["state"] == [state]
    assert sent["redirect_uri"] == [f"https://varde.example{CALLBACK}"]


def test_the_way_back_stores_a_dpop_grant(client_as, owner, public_varde, bluesky_servers):
    client = client_as(owner)
    state = _state(_start(client, label="Varde på Bluesky"))
    key_jwk = json.loads(decrypt_secret(client.session[SESSION_KEY][state]["secrets"]))["dpop_key"]
    token = bluesky_servers.post(TOKEN).respond(json=fixture("bluesky", "oauth_token"))
    profile = bluesky_servers.get(PROFILE).mock(
        side_effect=[
            httpx.Response(
                401,
                json={"error": "use_dpop_nonce"},
                headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "p"},
            ),
            httpx.Response(200, json=fixture("bluesky", "getProfile")),
        ]
    )

    response = client.get(
        CALLBACK, {"state": state, "code": "cod-1", "iss": "https://auth.example"}
    )

    channel = ConnectedAccount.objects.get()
    assert response["Location"] == f"/w/acme/channels/{channel.pk}/plan/?new=1"
    assert parse_qs(token.calls.last.request.content.decode())["code"] == ["cod-1"]
    assert profile.calls.last.request.headers["Authorization"].startswith("DPoP ")
    assert channel.label == "Varde på Bluesky"
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.extra["auth"] == "oauth"
    assert creds.extra["did"] == DID
    assert creds.extra["dpop_key"] == key_jwk
    assert creds.refresh_token == fixture("bluesky", "oauth_token")["refresh_token"]
    # Only the PDS is kept as config: the sign-in's own values are gone with it.
    assert channel.config == {"service": "https://pds.example"}
    assert channel_secret_config(channel) == {}


def test_a_code_sent_back_from_another_server_is_refused(
    client_as, owner, public_varde, bluesky_servers
):
    owner.language = "en"  # the callback is outside any workspace: it speaks the user's language
    owner.save(update_fields=["language"])
    client = client_as(owner)
    state = _state(_start(client))
    token = bluesky_servers.post(TOKEN).respond(json=fixture("bluesky", "oauth_token"))
    response = client.get(CALLBACK, {"state": state, "code": "c", "iss": "https://evil.example"})
    assert response.status_code == 302
    assert not token.called
    assert not ConnectedAccount.objects.exists()
    [message] = list(get_messages(response.wsgi_request))
    assert "another server" in str(message)


def test_a_server_without_sign_in_points_to_the_app_password(
    client_as, owner, public_varde, bluesky_servers
):
    bluesky_servers.get("https://pds.example/.well-known/oauth-protected-resource").respond(404)
    response = _start(client_as(owner))
    assert response.status_code == 400
    assert b"app password" in response.content
    assert not [call for call in bluesky_servers.calls if str(call.request.url) == PAR]


def test_a_private_lookup_address_is_refused(client_as, owner, public_varde, respx_mock):
    response = _start(client_as(owner), lookup_service="http://127.0.0.1:2583")
    assert response.status_code == 400
    assert b"will not use this address" in response.content
    assert not respx_mock.calls


def test_refreshing_an_oauth_channel_rotates_the_tokens_and_keeps_the_key(
    workspace, public_varde, respx_mock
):
    key = DPoPKey.generate()
    channel = channel_connect(
        workspace=workspace,
        connector_key="bluesky",
        label="Bluesky",
        config={"service": "https://pds.example"},
        credentials=Credentials(
            access_token="old",
            refresh_token="ref-old",
            expires_at=datetime(2026, 1, 1, tzinfo=UTC),
            extra={
                "did": DID,
                "handle": HANDLE,
                "auth": "oauth",
                "issuer": "https://auth.example",
                "token_endpoint": TOKEN,
                "client_id": CLIENT_ID,
                "dpop_key": key.private_jwk(),
            },
        ),
    )
    respx_mock.post(TOKEN).respond(json=fixture("bluesky", "oauth_token_refreshed"))

    outcome = services.channel_refresh(channel_id=channel.pk, now=datetime(2026, 1, 1, tzinfo=UTC))

    assert outcome == RefreshOutcome.REFRESHED
    channel.refresh_from_db()
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.refresh_token == fixture("bluesky", "oauth_token_refreshed")["refresh_token"]
    assert creds.extra["dpop_key"] == key.private_jwk()
    assert channel.token_expires_at is not None
