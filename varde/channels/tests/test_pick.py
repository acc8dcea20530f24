"""Choosing the Page after signing in (Facebook, Instagram, LinkedIn): callback → picker page →
choice → channel, with the documented answers replayed through respx."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from varde.accounts.roles import Role
from varde.accounts.tests.factories import MembershipFactory, member
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials
from varde.channels.views_pick import PICK_SESSION_KEY

from .conftest import fixture

pytestmark = pytest.mark.django_db

CALLBACK = "/channels/oauth/callback/"
GRAPH = "https://graph.facebook.com/v21.0"
PAGE = "104512345678901"
USER_TOKEN = "EAAGm0PX4ZCpsBALongLived"
PAGE_TOKEN = "EAAGm0PX4ZCpsBAPageTokenVardeNorge"
LINKEDIN = "https://api.linkedin.com"


@pytest.fixture
def meta_signin(oauth_apps, respx_mock):
    """The code becomes a short-lived, then a long-lived user token."""
    return respx_mock.get(f"{GRAPH}/oauth/access_token").mock(
        side_effect=[
            httpx.Response(200, json=fixture("facebook", "oauth_short")),
            httpx.Response(200, json=fixture("facebook", "oauth_long")),
        ]
    )


def _sign_in(client: Client, network: str, **fields: str):
    """Start the sign-in and come back from the network: the response to the callback."""
    started = client.post(f"/w/acme/channels/connect/{network}/", {"method": "oauth", **fields})
    assert started.status_code == 302, started.content[:500]
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]
    return client.get(CALLBACK, {"state": state, "code": "the-code"})


def _pick_url(response) -> str:
    assert response.status_code == 302, response.content[:500]
    assert re.fullmatch(r"/w/acme/channels/connect/choose/[\w-]+/", response["Location"])
    return response["Location"]


def _facebook_pages(respx_mock, name: str = "me_accounts") -> None:
    respx_mock.get(f"{GRAPH}/me/accounts").respond(json=fixture("facebook", name))
    respx_mock.get(f"{GRAPH}/10229876543210987/accounts").respond(
        json=fixture("facebook", "me_accounts_next")
    )


def test_facebook_lists_the_pages_and_connects_the_chosen_one(
    client_as, owner, respx_mock, meta_signin
):
    client = client_as(owner)
    _facebook_pages(respx_mock)
    url = _pick_url(_sign_in(client, "facebook", label="Facebook-siden"))
    assert USER_TOKEN not in url
    assert "Token" not in url

    page = client.get(url)
    assert page.status_code == 200
    _assert_the_pages_are_listed_without_tokens(page.content.decode(), client)

    respx_mock.get(f"{GRAPH}/{PAGE}").respond(json=fixture("facebook", "page"))
    done = client.post(url, {"account": PAGE})
    _assert_the_page_is_connected_with_its_own_token(done, respx_mock)
    assert not client.session[PICK_SESSION_KEY]  # used once


def _assert_the_pages_are_listed_without_tokens(html, client):
    assert "Varde Norge" in html
    assert "Bjørke &lt;Båtlag&gt; &amp; Co" in html  # the network's text, escaped
    assert "<Båtlag>" not in html
    assert 'type="radio" name="account"' in html
    assert "Connect this Page" in html
    assert "PageToken" not in html
    assert USER_TOKEN not in html
    # The Page without the task to post is shown, but cannot be chosen, and says why.
    assert re.search(r'value="104598765432109"\s+disabled', html)
    assert "does not include creating posts" in html
    # Tokens wait in the session, encrypted only.
    [pending] = client.session[PICK_SESSION_KEY].values()
    assert "PageToken" not in json.dumps(pending)
    assert USER_TOKEN not in json.dumps(pending)


def _assert_the_page_is_connected_with_its_own_token(done, respx_mock):
    channel = ConnectedAccount.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/w/acme/channels/{channel.pk}/plan/?new=1"
    assert (channel.label, channel.handle) == ("Facebook-siden", "vardenorge")
    assert channel.config == {"page_id": PAGE}
    assert channel.network_account_id == PAGE
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.access_token == PAGE_TOKEN  # the Page's own token, not the person's
    assert PAGE_TOKEN not in channel.credentials_encrypted
    assert respx_mock.calls.last.request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"


def test_facebook_page_without_the_task_to_post_is_refused(
    client_as, owner, respx_mock, meta_signin
):
    client = client_as(owner)
    _facebook_pages(respx_mock)
    url = _pick_url(_sign_in(client, "facebook"))
    refused = client.post(url, {"account": "104598765432109"})
    assert refused.status_code == 400
    assert b"does not include creating posts" in refused.content
    unknown = client.post(url, {"account": "999"})
    assert unknown.status_code == 400
    assert b"Choose one of the accounts in the list." in unknown.content
    assert not ConnectedAccount.objects.exists()


def test_facebook_account_without_pages_says_what_to_do(client_as, owner, respx_mock, meta_signin):
    client = client_as(owner)
    _facebook_pages(respx_mock, "me_accounts_empty")
    url = _pick_url(_sign_in(client, "facebook"))
    html = client.get(url).content.decode()
    assert "This Facebook account manages no Pages that it shared with Varde." in html
    assert 'type="radio"' not in html
    [pending] = client.session[PICK_SESSION_KEY].values()
    assert pending["secrets"] == ""  # nothing to choose: the person's token is not kept
    assert client.post(url, {"account": PAGE}).status_code == 400
    assert not ConnectedAccount.objects.exists()


def test_only_pages_without_the_task_to_post(client_as, owner, respx_mock, meta_signin):
    client = client_as(owner)
    pages = fixture("facebook", "me_accounts")
    pages["data"] = pages["data"][1:]
    del pages["paging"]["next"]
    respx_mock.get(f"{GRAPH}/me/accounts").respond(json=pages)
    url = _pick_url(_sign_in(client, "facebook"))
    html = client.get(url).content.decode()
    assert "Kaffebaren på Torget" in html
    assert "does not include creating posts" in html
    assert "Connect this Page" not in html  # nothing can be chosen
    [pending] = client.session[PICK_SESSION_KEY].values()
    assert pending["secrets"] == ""  # so no token is kept


def test_expired_user_token_while_listing_goes_back_with_the_reason(
    client_as, owner, respx_mock, meta_signin
):
    client = client_as(owner)
    respx_mock.get(f"{GRAPH}/me/accounts").respond(
        400, json=fixture("facebook", "error_token_expired")
    )
    response = _sign_in(client, "facebook")
    assert response.status_code == 302
    assert response["Location"] == "/w/acme/channels/connect/facebook/"
    assert not client.session.get(PICK_SESSION_KEY)
    assert "Session has expired" in client.get(response["Location"]).content.decode()


def test_instagram_single_account_is_shown_to_confirm_and_connected(
    client_as, owner, respx_mock, meta_signin
):
    client = client_as(owner)
    pages = fixture("instagram", "me_accounts")
    pages["data"] = pages["data"][:1]
    respx_mock.get(f"{GRAPH}/me/accounts").respond(json=pages)
    url = _pick_url(_sign_in(client, "instagram"))
    html = client.get(url).content.decode()
    assert re.search(r'value="17841405822304914"\s+checked', html)  # chosen, still asked
    assert "Linked to the Facebook Page Varde Norge" in html

    respx_mock.get(f"{GRAPH}/17841405822304914").respond(json=fixture("instagram", "user"))
    assert client.post(url, {"account": "17841405822304914"}).status_code == 302
    channel = ConnectedAccount.objects.get()
    assert channel.config == {"ig_user_id": "17841405822304914"}
    assert channel.handle == "varde.norge"
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.access_token == USER_TOKEN
    assert creds.extra == {"ig_user_id": "17841405822304914", "username": "varde.norge"}


def test_instagram_without_a_linked_account(client_as, owner, respx_mock, meta_signin):
    client = client_as(owner)
    respx_mock.get(f"{GRAPH}/me/accounts").respond(
        json=fixture("instagram", "me_accounts_unlinked")
    )
    html = client.get(_pick_url(_sign_in(client, "instagram"))).content.decode()
    assert "has an Instagram professional account linked to it" in html


@pytest.fixture
def linkedin_app(oauth_apps, respx_mock):
    oauth_apps["linkedin"] = {"client_id": "li-client", "client_secret": "li-secret"}
    respx_mock.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        json=fixture("linkedin", "token")
    )


def test_linkedin_lists_administered_pages_and_connects_one(
    client_as, owner, linkedin_app, respx_mock
):
    client = client_as(owner)
    acls = respx_mock.get(f"{LINKEDIN}/rest/organizationAcls").respond(
        json=fixture("linkedin", "organization_acls")
    )
    respx_mock.get(f"{LINKEDIN}/rest/organizations/2414183").respond(
        json=fixture("linkedin", "organization")
    )
    respx_mock.get(f"{LINKEDIN}/rest/organizations/5590506").respond(
        json=fixture("linkedin", "organization_second")
    )
    url = _pick_url(_sign_in(client, "linkedin"))
    assert acls.calls.last.request.url.params["role"] == "ADMINISTRATOR"
    html = client.get(url).content.decode()
    assert "Fjordkafé &lt;Ålesund&gt;" in html
    assert "varde-norge" in html
    assert 'value="2414183"' in html
    assert "checked" not in html

    respx_mock.get(url__regex=r".*/rest/networkSizes/.*5590506").respond(
        json=fixture("linkedin", "network_size")
    )
    assert client.post(url, {"account": "5590506"}).status_code == 302
    channel = ConnectedAccount.objects.get()
    assert channel.config == {"organization_id": "5590506"}
    assert channel.network_account_id == "urn:li:organization:5590506"
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.refresh_token == "AQWAft_WjYZKwuWXLC5hQlghgTam"


def test_linkedin_member_without_pages(client_as, owner, linkedin_app, respx_mock):
    client = client_as(owner)
    respx_mock.get(f"{LINKEDIN}/rest/organizationAcls").respond(
        json=fixture("linkedin", "organization_acls_empty")
    )
    html = client.get(_pick_url(_sign_in(client, "linkedin"))).content.decode()
    assert "is not an administrator of any company page" in html


# -- the pending choice belongs to one person, one workspace, for a while ------------------


def _facebook_pick(client: Client, respx_mock) -> str:
    _facebook_pages(respx_mock)
    return _pick_url(_sign_in(client, "facebook"))


def test_a_slow_choice_is_refused(client_as, owner, respx_mock, meta_signin):
    client = client_as(owner)
    url = _facebook_pick(client, respx_mock)
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = client.post(url, {"account": PAGE})
    assert response.status_code == 400
    assert b"took too long" in response.content
    assert not client.session[PICK_SESSION_KEY]  # forgotten
    assert not ConnectedAccount.objects.exists()


def test_a_choice_from_another_session_is_refused(
    client_as, owner, workspace, respx_mock, meta_signin
):
    url = _facebook_pick(client_as(owner), respx_mock)
    other = Client()
    other.force_login(member(workspace, Role.ADMIN))
    assert other.get(url).status_code == 400
    assert other.post(url, {"account": PAGE}).status_code == 400
    assert not ConnectedAccount.objects.exists()


def test_a_choice_is_tied_to_its_workspace(
    client_as, owner, other_workspace, respx_mock, meta_signin
):
    MembershipFactory(user=owner, workspace=other_workspace, role=Role.OWNER)
    client = client_as(owner)
    url = _facebook_pick(client, respx_mock)
    elsewhere = url.replace("/w/acme/", "/w/rival/")
    assert client.get(elsewhere).status_code == 400
    assert client.post(elsewhere, {"account": PAGE}).status_code == 400
    assert not ConnectedAccount.objects.exists()
    assert client.get(url).status_code == 200  # still there for the workspace it belongs to


def test_the_choice_checks_the_role_again(client_as, owner, workspace, respx_mock, meta_signin):
    from varde.accounts.models import Membership

    client = client_as(owner)
    url = _facebook_pick(client, respx_mock)
    Membership.objects.filter(user=owner, workspace=workspace).update(role=Role.EDITOR)
    assert client.post(url, {"account": PAGE}).status_code == 403
    assert not ConnectedAccount.objects.exists()


def test_reconnect_preselects_the_page_and_refuses_another(
    client_as, owner, workspace, respx_mock, meta_signin
):
    channel = ConnectedAccount.objects.create(
        workspace=workspace,
        connector_key="facebook",
        label="Varde på Facebook",
        handle="vardenorge",
        config={"page_id": PAGE},
        network_account_id=PAGE,
    )
    client = client_as(owner)
    _facebook_pages(respx_mock)
    started = client.post(f"/w/acme/channels/{channel.pk}/reconnect/", {"method": "oauth"})
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]
    url = _pick_url(client.get(CALLBACK, {"state": state, "code": "c"}))
    html = client.get(url).content.decode()
    assert re.search(rf'value="{PAGE}"\s+checked', html)

    respx_mock.get(f"{GRAPH}/104577777777777").respond(
        json={**fixture("facebook", "page"), "id": "104577777777777", "username": "bjorke"}
    )
    refused = client.post(url, {"account": "104577777777777"})
    assert refused.status_code == 400
    assert b"not the account of this channel" in refused.content

    respx_mock.get(f"{GRAPH}/{PAGE}").respond(json=fixture("facebook", "page"))
    assert client.post(url, {"account": PAGE}).status_code == 302
    channel.refresh_from_db()
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.access_token == PAGE_TOKEN
