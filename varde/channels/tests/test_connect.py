"""Connecting with typed credentials: each network's documented exchange, verified with
get_account before anything is saved, and refusals that say what to do."""

from __future__ import annotations

import httpx
import pytest

from varde.channels import connecting, services
from varde.channels.connect_methods import credential_method
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials, channel_secret_config, connector_for

from .conftest import fixture

pytestmark = pytest.mark.django_db

PDS = "https://pds.example"


def _verify(network: str, **values: str) -> connecting.Verified:
    method = credential_method(network)
    assert method is not None
    return connecting.verify_credentials(method=method, values=values)


def test_bluesky_app_password_logs_in_and_reads_the_profile(respx_mock, workspace, owner):
    login = respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        json=fixture("bluesky", "createSession")
    )
    profile = respx_mock.get(f"{PDS}/xrpc/app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    verified = _verify(
        "bluesky", service=f"{PDS}/", handle="varde.bsky.social", app_password="abcd-efgh-ijkl"
    )
    assert login.calls.last.request.content == (
        b'{"identifier":"varde.bsky.social","password":"abcd-efgh-ijkl"}'
    )
    assert profile.calls.last.request.headers["Authorization"].startswith("Bearer eyJ")
    assert verified.config == {"service": PDS}  # trailing slash dropped

    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    assert channel.handle == "varde.bsky.social"
    assert channel.network_account_id.startswith("did:plc:")
    assert channel.owner == owner
    # The app password is not kept; the session tokens are, encrypted.
    assert "abcd-efgh-ijkl" not in channel.credentials_encrypted
    # The whole token, not a prefix: a short string can turn up in the ciphertext by chance.
    assert fixture("bluesky", "createSession")["accessJwt"] not in channel.credentials_encrypted
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.refresh_token
    assert channel.token_expires_at == creds.expires_at


def test_bluesky_wrong_password_says_what_to_do_and_saves_nothing(respx_mock):
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        401, json=fixture("bluesky", "error_auth_required")
    )
    with pytest.raises(connecting.ConnectError) as caught:
        _verify("bluesky", service=PDS, handle="varde.bsky.social", app_password="wrong")
    assert "Invalid identifier or password" in caught.value.message
    assert "app password" in caught.value.message
    assert not ConnectedAccount.objects.exists()


def test_mastodon_pasted_token_is_checked_with_verify_credentials(
    respx_mock, mastodon_instance, workspace, owner
):
    route = respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials")
    route.respond(json=fixture("mastodon", "verify_credentials"))
    verified = _verify("mastodon", instance="https://mastodon.example", token="tok-123")
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-123"
    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    assert channel.handle == "varde"
    # The instance's own limits (instance_v2.json: 1000 characters, 4 attachments) are kept.
    assert channel.config == {
        "instance": "https://mastodon.example",
        "max_characters": "1000",
        "max_media_attachments": "4",
    }
    assert connector_for(channel).get_account().followers == 321


def test_composer_counts_against_the_instance_limit(
    respx_mock, mastodon_instance, workspace, owner
):
    from varde.content.rules import rules_for

    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        json=fixture("mastodon", "verify_credentials")
    )
    verified = _verify("mastodon", instance="https://mastodon.example", token="t")
    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    assert rules_for(channel).limits.text_max == 1000


def test_mastodon_older_server_limit_comes_from_v1_instance(respx_mock):
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        json=fixture("mastodon", "verify_credentials")
    )
    respx_mock.get("https://mastodon.example/api/v2/instance").respond(
        404, json=fixture("mastodon", "error_not_found")
    )
    respx_mock.get("https://mastodon.example/api/v1/instance").respond(
        json=fixture("mastodon", "instance_v1")
    )
    verified = _verify("mastodon", instance="https://mastodon.example", token="t")
    assert verified.config["max_characters"] == "700"
    assert verified.config["max_media_attachments"] == "6"


def test_mastodon_without_instance_details_still_connects_with_defaults(respx_mock):
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        json=fixture("mastodon", "verify_credentials")
    )
    for version in ("v1", "v2"):
        respx_mock.get(f"https://mastodon.example/api/{version}/instance").respond(
            404, json=fixture("mastodon", "error_not_found")
        )
    verified = _verify("mastodon", instance="https://mastodon.example", token="t")
    assert verified.config == {"instance": "https://mastodon.example"}


def test_mastodon_refused_token(respx_mock):
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        401, json=fixture("mastodon", "error_token")
    )
    with pytest.raises(connecting.ConnectError, match="The access token is invalid"):
        _verify("mastodon", instance="https://mastodon.example", token="bad")


def test_wordpress_application_password(respx_mock, workspace, owner):
    me = respx_mock.get("https://blogg.example/wp-json/wp/v2/users/me").respond(
        json=fixture("wordpress", "users_me")
    )
    verified = _verify(
        "wordpress", site="https://blogg.example", user="redaksjon", app_password="abcd efgh"
    )
    # Basic auth with the user name and the application password, as WordPress documents.
    assert me.calls.last.request.headers["Authorization"].startswith("Basic ")
    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    assert channel.handle == "redaksjon"
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.extra["username"] == "redaksjon"


def test_webhook_needs_a_long_secret_and_a_public_address(workspace, owner, monkeypatch):
    with pytest.raises(connecting.ConnectError, match="at least 16") as caught:
        _verify("webhook", url="https://hooks.example/in", secret="short")
    assert caught.value.field == "secret"
    verified = _verify("webhook", url="https://hooks.example/in", secret="s" * 20)
    assert verified.profile.handle == "https://hooks.example/in"

    monkeypatch.setattr(connecting, "resolver", lambda host, port: ["10.0.0.5"])
    with pytest.raises(connecting.ConnectError, match="non-public address") as refused:
        _verify("webhook", url="https://intranet.example/in", secret="s" * 20)
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    ("network", "values"),
    [
        ("bluesky", {"service": "http://127.0.0.1:2583", "handle": "a", "app_password": "b"}),
        ("mastodon", {"instance": "http://169.254.169.254", "token": "t"}),
        ("wordpress", {"site": "http://localhost:8080", "user": "u", "app_password": "p"}),
        ("webhook", {"url": "file:///etc/passwd", "secret": "s" * 20}),
    ],
)
def test_user_given_addresses_go_through_the_ssrf_guard(respx_mock, monkeypatch, network, values):
    monkeypatch.setattr(connecting, "resolver", lambda host, port: ["127.0.0.1"])
    with pytest.raises(connecting.ConnectError, match="Varde will not use this address"):
        _verify(network, **values)
    assert not respx_mock.calls  # refused before any request


def test_private_addresses_only_when_the_operator_allows_them(respx_mock, settings, monkeypatch):
    monkeypatch.setattr(connecting, "resolver", lambda host, port: ["127.0.0.1"])
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    respx_mock.post("http://localhost:2583/xrpc/com.atproto.server.createSession").respond(
        json=fixture("bluesky", "createSession")
    )
    respx_mock.get("http://localhost:2583/xrpc/app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    verified = _verify("bluesky", service="http://localhost:2583", handle="a", app_password="b")
    assert verified.profile.handle == "varde.bsky.social"


def test_webhook_allow_private_comes_from_the_setting_not_the_account(workspace, owner, settings):
    verified = _verify("webhook", url="https://hooks.example/in", secret="s" * 20)
    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    channel.config = {**channel.config, "allow_private": "true"}  # as if someone slipped it in
    channel.save()
    assert connector_for(channel).config["allow_private"] == "false"
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    assert connector_for(channel).config["allow_private"] == "true"


def test_network_down_is_not_blamed_on_the_credentials(respx_mock):
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").mock(
        side_effect=httpx.ConnectError("refused")
    )
    with pytest.raises(connecting.ConnectError, match="could not be reached"):
        _verify("bluesky", service=PDS, handle="a", app_password="b")


def test_missing_value_names_the_field():
    with pytest.raises(connecting.ConnectError) as caught:
        _verify("wordpress", site="https://blogg.example", user="", app_password="p")
    assert caught.value.field == "user"


def test_reconnect_must_be_the_same_account(respx_mock, mastodon_instance, workspace, owner):
    route = respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials")
    route.respond(json=fixture("mastodon", "verify_credentials"))
    first = _verify("mastodon", instance="https://mastodon.example", token="t1")
    channel = services.channel_connect_verified(workspace=workspace, verified=first, actor=owner)
    other = {**fixture("mastodon", "verify_credentials"), "id": "999", "acct": "someone"}
    route.respond(json=other)
    second = _verify("mastodon", instance="https://mastodon.example", token="t2")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not the account of this channel"):
        services.channel_connect_verified(
            workspace=workspace, verified=second, actor=owner, channel=channel
        )
    assert channel_credentials(ConnectedAccount.objects.get()).access_token == "t1"


def test_secret_config_is_encrypted(workspace, owner):
    from varde.connectors.contracts import AccountProfile, Credentials

    verified = connecting.Verified(
        connector_key="mastodon",
        credentials=Credentials(access_token="a"),
        config={"instance": "https://m.example", "client_id": "cid"},
        secret_config={"client_secret": "very-secret"},
        profile=AccountProfile(network_id="1", handle="h", display_name="H", url=""),
    )
    channel = services.channel_connect_verified(workspace=workspace, verified=verified, actor=owner)
    assert "very-secret" not in channel.secret_config_encrypted
    assert channel_secret_config(channel) == {"client_secret": "very-secret"}
    assert connector_for(channel).config["client_secret"] == "very-secret"


def test_a_credentials_row_is_all_a_login_network_needs(monkeypatch):
    """The SMTP row, run against a stand-in connector: config fields go to the config,
    the user and password to ``login``, and the profile check follows."""
    from dataclasses import replace

    from varde.connectors import registry
    from varde.connectors.base import BaseConnector
    from varde.connectors.capabilities import Capability
    from varde.connectors.contracts import AccountProfile, Credentials, Limits

    seen: dict[str, object] = {}

    class StandInSmtp(BaseConnector):
        key = "standin_smtp"
        label = "SMTP"
        limits = Limits(text_max=None)
        capabilities = Capability.TEXT | Capability.APP_PASSWORD
        config_keys = ("host", "port", "security", "from_address", "from_name")

        def login(self, *, identifier: str, secret: str) -> Credentials:
            seen["login"] = (identifier, secret, dict(self.config))
            return Credentials(access_token=secret, extra={"username": identifier})

        def get_account(self) -> AccountProfile:
            address = self._config("from_address")
            return AccountProfile(network_id=address, handle=address, display_name="", url="")

    monkeypatch.setitem(registry._registry, "standin_smtp", StandInSmtp)
    row = credential_method("newsletter")
    assert row is not None
    verified = connecting.verify_credentials(
        method=replace(row, connector_key="standin_smtp"),
        values={
            "host": "smtp.example.no",
            "port": "587",
            "user": "varde",
            "password": "pw",
            "from": "nyhetsbrev@example.no",
        },
    )
    assert seen["login"] == (
        "varde",
        "pw",
        {
            "host": "smtp.example.no",
            "port": "587",
            "security": "starttls",
            "from_address": "nyhetsbrev@example.no",
        },
    )
    assert verified.profile.handle == "nyhetsbrev@example.no"
    assert verified.credentials.access_token == "pw"


@pytest.mark.parametrize("allowed", [False, True])
def test_channels_connectors_guard_every_connection_unless_private_urls_are_allowed(
    settings, workspace, owner, allowed
):
    from varde.connectors.http import AddressGuard

    settings.VARDE_ALLOW_PRIVATE_URLS = allowed
    channel = services.channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Toots",
        config={"instance": "https://mastodon.example"},
        actor=owner,
    )
    client = connector_for(channel).client
    backend = client._transport._pool._network_backend  # type: ignore[attr-defined]
    assert isinstance(backend, AddressGuard) is not allowed
