"""OAuth connect flows through the views: PKCE, state bound to the session and workspace,
and the way back from the network (documented token and profile answers, via respx)."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials, channel_secret_config
from varde.channels.views import SESSION_KEY
from varde.connectors.oauth import code_challenge
from varde.lib.crypto import decrypt_secret

from .conftest import fixture

pytestmark = pytest.mark.django_db

CALLBACK = "/channels/oauth/callback/"
X_TOKEN = "https://api.x.com/2/oauth2/token"
X_ME = "https://api.x.com/2/users/me"


def _start(client: Client, network: str, **fields: str):
    return client.post(f"/w/acme/channels/connect/{network}/", {"method": "oauth", **fields})


def _query(response) -> dict[str, str]:
    assert response.status_code == 302, response.content[:500]
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def test_x_start_sends_a_pkce_challenge_and_keeps_the_verifier_server_side(
    client_as, owner, oauth_apps
):
    client = client_as(owner)
    query = _query(_start(client, "x"))
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == f"https://varde.example{CALLBACK}"
    assert query["client_id"] == "x-client"
    pending = client.session[SESSION_KEY][query["state"]]
    assert pending["workspace"] == "acme"
    assert pending["user_id"] == owner.pk
    verifier = json.loads(decrypt_secret(pending["secrets"]))["code_verifier"]
    assert code_challenge(verifier) == query["code_challenge"]
    assert verifier not in json.dumps(pending)  # only encrypted, even in the session


def test_x_callback_exchanges_the_code_with_the_verifier(client_as, owner, oauth_apps, respx_mock):
    client = client_as(owner)
    query = _query(_start(client, "x", label="X-kontoen"))
    token = respx_mock.post(X_TOKEN).respond(json=fixture("x", "token"))
    respx_mock.get(X_ME).respond(json=fixture("x", "users_me"))

    response = client.get(CALLBACK, {"state": query["state"], "code": "the-code"})

    channel = ConnectedAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/acme/channels/{channel.pk}/plan/?new=1"
    sent = parse_qs(token.calls.last.request.content.decode())
    assert sent["grant_type"] == ["authorization_code"]
    assert sent["code"] == ["the-code"]
    assert code_challenge(sent["code_verifier"][0]) == query["code_challenge"]
    assert channel.label == "X-kontoen"
    assert channel.handle == "varde_no"
    assert channel.owner == owner
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.refresh_token  # offline.access
    assert channel.token_expires_at is not None
    # Neither the verifier nor the operator's app id is stored with the account.
    assert "code_verifier" not in channel.config
    assert "client_id" not in channel.config
    assert channel_secret_config(channel) == {}
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_a_state_that_was_not_started_here_is_refused(client_as, owner, oauth_apps, respx_mock):
    owner.language = "en"
    owner.save(update_fields=["language"])
    client = client_as(owner)
    _query(_start(client, "x"))
    response = client.get(CALLBACK, {"state": "forged", "code": "c"})
    assert response.status_code == 400
    assert b"does not match" in response.content
    assert not respx_mock.calls
    assert not ConnectedAccount.objects.exists()


def test_a_state_from_another_session_is_refused(client_as, owner, workspace, oauth_apps):
    query = _query(_start(client_as(owner), "x"))
    other = Client()
    other.force_login(member(workspace, Role.ADMIN))
    response = other.get(CALLBACK, {"state": query["state"], "code": "c"})
    assert response.status_code == 400
    assert not ConnectedAccount.objects.exists()


def test_a_state_is_used_once(client_as, owner, oauth_apps, respx_mock):
    client = client_as(owner)
    query = _query(_start(client, "x"))
    respx_mock.post(X_TOKEN).respond(json=fixture("x", "token"))
    respx_mock.get(X_ME).respond(json=fixture("x", "users_me"))
    assert client.get(CALLBACK, {"state": query["state"], "code": "c"}).status_code == 302
    assert client.get(CALLBACK, {"state": query["state"], "code": "c"}).status_code == 400
    assert ConnectedAccount.objects.count() == 1


def test_a_slow_sign_in_is_refused(client_as, owner, oauth_apps, respx_mock):
    client = client_as(owner)
    query = _query(_start(client, "x"))
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = client.get(CALLBACK, {"state": query["state"], "code": "c"})
    assert response.status_code == 400
    assert not respx_mock.calls


def test_the_callback_checks_the_role_again(client_as, owner, workspace, oauth_apps):
    from varde.accounts.models import Membership

    client = client_as(owner)
    query = _query(_start(client, "x"))
    Membership.objects.filter(user=owner, workspace=workspace).update(role=Role.EDITOR)
    assert client.get(CALLBACK, {"state": query["state"], "code": "c"}).status_code == 403


def test_denied_on_the_network(client_as, owner, oauth_apps, respx_mock):
    client = client_as(owner)
    query = _query(_start(client, "x"))
    response = client.get(CALLBACK, {"state": query["state"], "error": "access_denied"})
    assert response.status_code == 302
    assert response["Location"] == "/w/acme/channels/connect/x/"
    assert not respx_mock.calls
    assert not ConnectedAccount.objects.exists()


def test_only_channel_managers_may_start(client_as, editor, oauth_apps):
    assert _start(client_as(editor), "x").status_code == 403


def test_a_network_without_app_credentials_says_who_sets_it_up(client_as, owner, oauth_apps):
    """A workspace owner who does not own this Varde is told who can, in plain words: no
    server variables, no callback address (those are on the installation owner's page)."""
    response = client_as(owner).get("/w/acme/channels/connect/linkedin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The owner of this Varde must set it up in Settings" in html
    assert "VARDE_" not in html
    assert "operator" not in html
    assert "/settings/networks/" not in html
    refused = _start(client_as(owner), "linkedin", organization_id="123")
    assert refused.status_code == 400
    assert not ConnectedAccount.objects.exists()


def test_mastodon_registers_on_the_instance_then_signs_in(
    client_as, owner, oauth_apps, respx_mock, mastodon_instance
):
    apps = respx_mock.post("https://mastodon.example/api/v1/apps").respond(
        json=fixture("mastodon", "app")
    )
    client = client_as(owner)
    response = _start(client, "mastodon", instance="https://mastodon.example")
    assert response["Location"].startswith("https://mastodon.example/oauth/authorize?")
    query = _query(response)
    registered = parse_qs(apps.calls.last.request.content.decode())
    assert registered["redirect_uris"] == [f"https://varde.example{CALLBACK}"]
    assert query["client_id"] == fixture("mastodon", "app")["client_id"]

    token = respx_mock.post("https://mastodon.example/oauth/token").respond(
        json=fixture("mastodon", "token")
    )
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        json=fixture("mastodon", "verify_credentials")
    )
    assert client.get(CALLBACK, {"state": query["state"], "code": "c"}).status_code == 302
    sent = parse_qs(token.calls.last.request.content.decode())
    assert sent["client_secret"] == [fixture("mastodon", "app")["client_secret"]]
    channel = ConnectedAccount.objects.get()
    assert channel.config["instance"] == "https://mastodon.example"
    assert channel.config["client_id"] == fixture("mastodon", "app")["client_id"]
    assert channel.config["max_characters"] == "1000"
    assert "client_secret" not in channel.config
    assert (
        channel_secret_config(channel)["client_secret"]
        == (fixture("mastodon", "app")["client_secret"])
    )


def test_facebook_asks_for_nothing_before_the_sign_in(client_as, owner, oauth_apps):
    """The Page is chosen after signing in (test_pick.py), never typed."""
    client = client_as(owner)
    html = client.get("/w/acme/channels/connect/facebook/").content.decode()
    assert 'name="page_id"' not in html
    query = _query(_start(client, "facebook", page_id="1122334455"))
    assert query["client_id"] == "meta-app"
    assert "pages_show_list" in query["scope"].split(",")
    pending = client.session[SESSION_KEY][query["state"]]
    assert pending["config"] == {}  # a typed id is not taken


def test_the_installation_owner_is_sent_to_settings(client_as, owner, oauth_apps):
    oauth_apps["x"] = {"client_id": "", "client_secret": ""}
    owner.is_superuser = True
    owner.save(update_fields=["is_superuser"])
    html = client_as(owner).get("/w/acme/channels/connect/x/").content.decode()
    assert "Enter this Varde&#x27;s app with X in Settings" in html
    assert 'href="/w/acme/settings/networks/#app-x"' in html


# -- one registration per Mastodon server ---------------------------------------------------

MASTODON = "https://mastodon.example"


def _app_token_route(respx_mock, *responses):
    """POST /oauth/token with grant_type=client_credentials: Varde checking its registration."""
    return respx_mock.post(
        f"{MASTODON}/oauth/token", data__contains={"grant_type": "client_credentials"}
    ).mock(side_effect=list(responses))


def test_mastodon_registers_once_per_server_and_reuses_it(client_as, owner, oauth_apps, respx_mock):
    from varde.channels.models import InstanceApp

    app = fixture("mastodon", "app")
    apps = respx_mock.post(f"{MASTODON}/api/v1/apps").respond(json=app)
    check = _app_token_route(respx_mock, httpx.Response(200, json=fixture("mastodon", "token")))
    client = client_as(owner)
    first = _query(_start(client, "mastodon", instance=MASTODON))
    stored = InstanceApp.objects.get()
    assert stored.client_id == app["client_id"]
    assert app["client_secret"] not in stored.client_secret_encrypted  # encrypted
    assert decrypt_secret(stored.client_secret_encrypted) == app["client_secret"]
    assert not check.called  # a new registration needs no check

    second = _query(_start(client, "mastodon", instance=MASTODON))
    assert apps.call_count == 1
    assert second["client_id"] == first["client_id"] == app["client_id"]
    sent = parse_qs(check.calls.last.request.content.decode())
    assert sent["grant_type"] == ["client_credentials"]
    assert sent["client_secret"] == [app["client_secret"]]


def test_mastodon_registers_again_when_the_server_forgot_the_app(
    client_as, owner, oauth_apps, respx_mock
):
    from varde.channels.models import InstanceApp
    from varde.channels.services import instance_app_save

    instance_app_save(
        connector_key="mastodon",
        instance=MASTODON,
        redirect_uri=f"https://varde.example{CALLBACK}",
        client_id="removed-app",
        client_secret="old-secret",
    )
    gone = {
        "error": "invalid_client",
        "error_description": "Client authentication failed due to unknown client, no client "
        "authentication included, or unsupported authentication method.",
    }
    _app_token_route(respx_mock, httpx.Response(401, json=gone))
    apps = respx_mock.post(f"{MASTODON}/api/v1/apps").respond(json=fixture("mastodon", "app"))
    query = _query(_start(client_as(owner), "mastodon", instance=MASTODON))
    assert apps.call_count == 1
    assert query["client_id"] == fixture("mastodon", "app")["client_id"]
    assert list(InstanceApp.objects.values_list("client_id", flat=True)) == [
        fixture("mastodon", "app")["client_id"]
    ]


def test_mastodon_server_down_at_the_check_keeps_the_registration(
    client_as, owner, oauth_apps, respx_mock
):
    from varde.channels.models import InstanceApp
    from varde.channels.services import instance_app_save

    instance_app_save(
        connector_key="mastodon",
        instance=MASTODON,
        redirect_uri=f"https://varde.example{CALLBACK}",
        client_id="kept-app",
        client_secret="s",
    )
    _app_token_route(respx_mock, httpx.Response(503, json={"error": "down"}))
    apps = respx_mock.post(f"{MASTODON}/api/v1/apps").respond(json=fixture("mastodon", "app"))
    response = _start(client_as(owner), "mastodon", instance=MASTODON)
    assert response.status_code == 400
    assert b"could not be reached" in response.content
    assert not apps.called
    assert InstanceApp.objects.get().client_id == "kept-app"


def test_mastodon_refused_registration_at_the_callback_is_forgotten(
    client_as, owner, oauth_apps, respx_mock
):
    from varde.channels.models import InstanceApp

    respx_mock.post(f"{MASTODON}/api/v1/apps").respond(json=fixture("mastodon", "app"))
    client = client_as(owner)
    query = _query(_start(client, "mastodon", instance=MASTODON))
    respx_mock.post(f"{MASTODON}/oauth/token").respond(
        401,
        json={"error": "invalid_client", "error_description": "Client authentication failed"},
    )
    response = client.get(CALLBACK, {"state": query["state"], "code": "c"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    # The callback has no workspace to take the language from: either language will do.
    assert any("Start again" in text or "Start på nytt" in text for text in shown), shown
    assert not InstanceApp.objects.exists()
    assert not ConnectedAccount.objects.exists()
