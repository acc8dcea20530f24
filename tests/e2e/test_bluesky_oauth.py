"""Bluesky OAuth against the real local network: the dev-env PDS runs the same OAuth provider
(@atproto/oauth-provider) as bsky.social's sign-in server.

Varde resolves the handle to its DID and PDS through the local PLC, finds the sign-in server
through the PDS's protected-resource metadata, and pushes the authorization request (PAR)
with a DPoP proof and PKCE, as the loopback development client (Varde runs on 127.0.0.1).
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.bluesky_accounts import Account
from tests.e2e.conftest import BlueskyNetwork
from varde.connectors.atproto_dpop import DPoPKey
from varde.connectors.atproto_oauth import loopback_client_id
from varde.connectors.bluesky import BlueskyConnector
from varde.connectors.oauth import new_code_verifier

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

    url = connector.authorize_url(redirect_uri=REDIRECT, state="state-123")

    flow = connector.oauth_flow
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
    from varde.connectors.errors import Rejected

    account = Account.sign_up(bluesky_network, "oauthnot")
    connector = _flow_connector(bluesky_network, account)
    connector.config = {**connector.config, "login_hint": "nobody-here.test"}

    with pytest.raises(Rejected):
        connector.authorize_url(redirect_uri=REDIRECT, state="s")
