"""Bluesky OAuth against the real local network: the dev-env PDS runs the same OAuth provider
(@atproto/oauth-provider) as bsky.social's sign-in server.

Varde resolves the handle to its DID and PDS through the local PLC, finds the sign-in server
through the PDS's protected-resource metadata, and pushes the authorization request (PAR)
with a DPoP proof and PKCE, as the loopback development client (Varde runs on 127.0.0.1).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser.fixtures import ARTIFACTS
from tests.e2e.bluesky_accounts import Account, get_record, list_posts
from tests.e2e.bluesky_video_service import video_service
from tests.e2e.peers import port_base
from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels import services
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials, connector_for
from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.atproto.oauth import loopback_client_id
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.contracts import MediaItem, PublishRequest
from varde.connectors.errors import AuthExpired, Rejected
from varde.connectors.oauth import new_code_verifier
from varde.content.tests import videofiles

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky")]

REDIRECT = "http://127.0.0.1:8000/channels/oauth/callback/"


def _flow_connector(network: BlueskyNetwork, account: Account) -> BlueskyConnector:
    return BlueskyConnector(
        config={
            "login_hint": account.handle,
            "service": network.pds_url,
            "client_id": loopback_client_id(REDIRECT),
            "plc_directory": network.plc_url,
            "code_verifier": new_code_verifier(),
            "dpop_key": DPoPKey.generate().private_jwk(),
        }
    )


def test_the_local_sign_in_server_accepts_varde_s_pushed_authorization_request(
    bluesky_network: BlueskyNetwork,
) -> None:
    account = Account.sign_up(bluesky_network, "oauthpar")
    connector = _flow_connector(bluesky_network, account)

    start = connector.authorize_url(redirect_uri=REDIRECT, state="state-123")
    url = start.url

    flow = start.keep
    assert flow["oauth_did"] == account.did
    assert flow["oauth_handle"] == account.handle
    # The PDS is its own sign-in server in dev-env (as a self-hosted PDS is).
    port = bluesky_network.pds_url.rsplit(":", 1)[1]
    assert flow["service"] == f"http://localhost:{port}"
    assert flow["oauth_issuer"] == f"http://localhost:{port}"
    assert flow["oauth_token_endpoint"] == f"http://localhost:{port}/oauth/token"
    # The server gave a DPoP nonce on the way (PAR needs one), kept for the token request.
    assert flow["oauth_dpop_nonce"]
    assert url.startswith(f"http://localhost:{port}/oauth/authorize?client_id=")
    assert "request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A" in url
    # The browser's first stop: the sign-in page for the pushed request (an unknown or
    # refused request_uri is an error page with a 400). The provider only serves it to a
    # top-level navigation, so the request says it is one, as a browser does.
    navigation = {
        "Accept": "text/html",
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-Dest": "document",
        "Sec-Fetch-Site": "cross-site",
    }
    page = httpx.get(url, timeout=30, headers=navigation)
    assert page.status_code == 200, page.text[:2000]
    # A request_uri the server did not issue gets no sign-in page.
    forged = httpx.get(url[:-6] + "AAAAAA", timeout=30, headers=navigation)
    assert forged.status_code != 200


def test_a_handle_the_account_does_not_claim_is_refused(
    bluesky_network: BlueskyNetwork,
) -> None:
    account = Account.sign_up(bluesky_network, "oauthnot")
    connector = _flow_connector(bluesky_network, account)
    connector.config = {**connector.config, "login_hint": "nobody-here.test"}

    with pytest.raises(Rejected):
        connector.authorize_url(redirect_uri=REDIRECT, state="s")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_connects_bluesky_by_signing_in_on_the_pds_and_varde_posts_with_dpop(
    bluesky_network: BlueskyNetwork, browser: Any, live_server: Any, settings: Any
) -> None:
    brand = Account.sign_up(bluesky_network, "oauthweb")
    workspace = WorkspaceFactory(slug="oauthweb", name="OAuth Web")
    admin = member(workspace, Role.ADMIN, email="kari@example.test", full_name="Kari")
    # Varde on 127.0.0.1 is a loopback client (no metadata document); the PDS and the PLC run on
    # 127.0.0.1, which only VARDE_ALLOW_PRIVATE_URLS lets through the SSRF guard.
    port = urlsplit(live_server.url).port
    varde = f"http://127.0.0.1:{port}"
    settings.BASE_URL = varde
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    settings.VARDE_ATPROTO_PLC_URL = bluesky_network.plc_url
    context = browser.new_context(base_url=varde, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("E-mail").fill(admin.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(re.compile(r"/w/[\w-]+/$"))
        page.goto(f"/w/{workspace.slug}/channels/connect/bluesky/")
        oauth = page.locator("section", has=page.get_by_role("heading", name="Sign in on Bluesky"))
        oauth.get_by_label("Name in Varde").fill("OAuth på Bluesky")
        oauth.get_by_label("Your Bluesky account").fill(f"@{brand.handle}")
        oauth.get_by_label("Server that looks the account up").fill(bluesky_network.pds_url)
        oauth.get_by_role("button", name="Continue to Bluesky").click()

        # On the PDS's own sign-in pages (@atproto/oauth-provider-ui).
        page.wait_for_url(re.compile(r"^http://localhost:\d+/oauth/authorize"))
        # The handle is already filled in: Varde sent it as the login_hint.
        page.locator("input[type=password]").fill(brand.password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("button", name="Authorize").click()

        # Back in Varde: the channel is connected with a DPoP-bound grant.
        # Varde first asks which channel of the plan this is (issue 11, item 3).
        page.wait_for_url(
            re.compile(rf"^{re.escape(varde)}/w/{workspace.slug}/channels/\d+/plan/\?new=1$")
        )
        page.get_by_text(f"OAuth på Bluesky is connected as {brand.handle}.").wait_for()
        page.get_by_role("link", name="Decide later").click()
        page.wait_for_url(re.compile(rf"^{re.escape(varde)}/w/{workspace.slug}/channels/\d+/$"))
    except Exception:  # the page at the moment it went wrong, for whoever reads the CI run
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "e2e-bluesky-oauth-failed.png"), full_page=True)
        raise
    finally:
        context.close()

    channel = ConnectedAccount.objects.get(workspace=workspace)
    creds = channel_credentials(channel)
    assert creds is not None
    assert creds.extra["auth"] == "oauth"
    assert creds.extra["did"] == brand.did
    assert channel.config == {"service": creds.extra["issuer"]}  # dev-env: PDS = issuer

    # The connector posts with DPoP, refreshes at the token endpoint, and posts again.
    connector = connector_for(channel)
    first = connector.publish(PublishRequest(text="Hei fra Varde via OAuth", idempotency_key="o1"))
    fresh = connector.refresh()
    assert fresh.refresh_token
    assert fresh.refresh_token != creds.refresh_token  # rotated
    services.channel_update_credentials(channel=channel, credentials=fresh)
    second = connector_for(channel).publish(
        PublishRequest(text="Og en til etter fornyelsen", idempotency_key="o2")
    )
    texts = {r["uri"]: r["value"]["text"] for r in list_posts(bluesky_network, brand.did)}
    assert texts[first.network_post_id] == "Hei fra Varde via OAuth"
    assert texts[second.network_post_id] == "Og en til etter fornyelsen"

    # A video through the video service (a stand-in, dev-env has none): the service-auth token
    # is asked for with DPoP, and the real PDS takes the file with it (bluesky_video_service).
    with video_service(bluesky_network.pds_url, port_base() + 9) as video:
        with_video = BlueskyConnector(
            credentials=fresh,
            config={**channel.config, "video_service": video.url},
            sleep=lambda _: None,
        )
        clip = videofiles.mp4(seconds=3, width=720, height=1280)
        posted = with_video.publish(
            PublishRequest(
                text="Video via OAuth",
                idempotency_key="o3",
                media=(MediaItem(mime_type="video/mp4", data=clip, width=720, height=1280),),
            )
        )
    upload_token = video.seen_tokens[-1]
    assert (upload_token["aud"], upload_token["iss"]) == ("did:web:localhost", brand.did)
    embed = get_record(bluesky_network, posted.network_post_id)["value"]["embed"]
    assert embed["video"] == next(iter(video.jobs.values()))["blob"]
    assert embed["aspectRatio"] == {"width": 720, "height": 1280}

    # The old refresh token was single-use: the server refuses it now (and, seeing it used
    # again, ends the whole grant, so this comes last).
    with pytest.raises(AuthExpired):
        BlueskyConnector(credentials=creds, config=connector.config).refresh()
