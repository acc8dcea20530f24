"""AT Protocol OAuth, replayed: discovery, PAR with a DPoP nonce retry, the token exchange with
its ``sub`` check, refresh, and DPoP-signed XRPC calls. Every DPoP proof is checked the way a
server does: decoded and its signature verified with the public key in its own header.

Fixtures: fixtures/bluesky/oauth_*.json (recorded from the local dev-env PDS, see README).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.atproto.oauth import SCOPE, client_metadata, loopback_client_id
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.contracts import Credentials, PublishRequest
from varde.connectors.errors import AuthExpired, Rejected
from varde.connectors.oauth import code_challenge, new_code_verifier
from varde.connectors.tests.conftest import FakeNetwork, load, reply

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
HANDLE = "varde.bsky.social"
CLIENT_ID = "https://varde.example/oauth/bluesky/client-metadata.json"
REDIRECT = "https://varde.example/channels/oauth/callback/"
PAR = "/oauth/par"
TOKEN = "/oauth/token"
CREATE = "/xrpc/com.atproto.repo.createRecord"
RESOLVE = "/xrpc/com.atproto.identity.resolveHandle"


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_proof(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Decode a DPoP proof and verify its ES256 signature with the key in its header."""
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(_b64decode(header_b64))
    claims = json.loads(_b64decode(claims_b64))
    assert header["typ"] == "dpop+jwt"
    assert header["alg"] == "ES256"
    jwk = header["jwk"]
    assert "d" not in jwk  # never the private half
    public = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64decode(jwk["x"]), "big"),
        int.from_bytes(_b64decode(jwk["y"]), "big"),
        ec.SECP256R1(),
    ).public_key()
    raw = _b64decode(signature_b64)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    return header, claims


def _discovery(fake: FakeNetwork) -> None:
    fake.on("GET", RESOLVE, reply(200, load("bluesky", "resolveHandle")))
    fake.on("GET", f"/{DID}", reply(200, load("bluesky", "oauth_did_document")))
    fake.on(
        "GET",
        "/.well-known/oauth-protected-resource",
        reply(200, load("bluesky", "oauth_protected_resource")),
    )
    fake.on(
        "GET",
        "/.well-known/oauth-authorization-server",
        reply(200, load("bluesky", "oauth_authorization_server")),
    )


def _nonce_please(nonce: str) -> Any:
    return reply(400, load("bluesky", "oauth_error_use_dpop_nonce"), headers={"DPoP-Nonce": nonce})


def _flow_config(key: DPoPKey, verifier: str) -> dict[str, str]:
    return {
        "login_hint": f"@{HANDLE}",
        "service": "https://bsky.social",
        "client_id": CLIENT_ID,
        "plc_directory": "https://plc.directory",
        "code_verifier": verifier,
        "dpop_key": key.private_jwk(),
    }


def test_a_dpop_proof_is_signed_by_its_key_and_bound_to_the_request() -> None:
    key = DPoPKey.generate()
    proof = key.proof(
        "post", "https://pds.example/xrpc/x?cursor=1#f", nonce="n-1", access_token="tok"
    )
    header, claims = verified_proof(proof)
    assert header["jwk"] == key.public_jwk()
    assert claims["htm"] == "POST"
    assert claims["htu"] == "https://pds.example/xrpc/x"  # no query, no fragment
    assert claims["nonce"] == "n-1"
    expected_ath = base64.urlsafe_b64encode(hashlib.sha256(b"tok").digest()).rstrip(b"=")
    assert claims["ath"] == expected_ath.decode()
    assert verified_proof(key.proof("POST", "https://a.example/"))[1]["jti"] != claims["jti"]
    # A stored key signs the same way after a round trip through its JWK.
    again = DPoPKey.from_jwk(key.private_jwk())
    assert verified_proof(again.proof("GET", "https://a.example/"))[0]["jwk"] == key.public_jwk()


# A key as the hand-written writer stored it before the JOSE library came (encrypted in a
# channel's credentials since then): it must load, sign, and be written back byte for byte.
STORED_KEY = (
    '{"kty": "EC", "crv": "P-256", "x": "Sds2jv2Dvr2lRjVItFBqn8t5ndIuPTMj7aXC4PSsC4g", '
    '"y": "Y8kEw3URA9BCcJVdNTxzgDxvz0Vrkn901IrYP6oQpZ0", '
    '"d": "0tuEyP8r90Pd8t42yWb7ZcVeqnODxdflcb7XtiJ0VF4"}'
)
# A proof that writer made with STORED_KEY (POST https://pds.example/xrpc/x, nonce n1, token tok).
STORED_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwiY3J2IjoiUC0yNTYiLCJ4Ijoi"
    "U2RzMmp2MkR2cjJsUmpWSXRGQnFuOHQ1bmRJdVBUTWo3YVhDNFBTc0M0ZyIsInkiOiJZOGtFdzNVUkE5QkNjSlZkTlR4"
    "emdEeHZ6MFZya245MDFJcllQNm9RcFowIn19.eyJqdGkiOiJPT1VXVWcwZjBPQVktUUI3eWhIbEN3IiwiaHRtIjoiUE9T"
    "VCIsImh0dSI6Imh0dHBzOi8vcGRzLmV4YW1wbGUveHJwYy94IiwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4xIiwi"
    "YXRoIjoiR25aMDYwN25qZmZockVPYWs4UDZqanlVVjRUVTNzbjlqakFSYzRzdkhXSSJ9.LWbWwQ_VX2_Qpa5trTDf3Xzw"
    "aVqPZMhVyvaLncBlp_EhWcx1F0w8bbYeCamwvBI5K7vbfZtZP-nGjqsx6JDMqA"
)


def test_a_key_stored_before_the_jose_library_still_signs() -> None:
    key = DPoPKey.from_jwk(STORED_KEY)
    assert key.private_jwk() == STORED_KEY
    header, claims = verified_proof(
        key.proof("POST", "https://pds.example/xrpc/x?y=1", nonce="n1", access_token="tok", now=1)
    )
    old_header, old_claims = verified_proof(STORED_PROOF)
    assert header == old_header
    assert set(claims) == set(old_claims)
    assert {k: claims[k] for k in ("htm", "htu", "nonce", "ath")} == {
        k: old_claims[k] for k in ("htm", "htu", "nonce", "ath")
    }


@pytest.mark.parametrize(
    "text",
    [
        STORED_KEY.replace(', "d": "0tuEyP8r90Pd8t42yWb7ZcVeqnODxdflcb7XtiJ0VF4"', ""),  # public
        STORED_KEY.replace("P-256", "P-384"),
        STORED_KEY.replace('"EC"', '"RSA"'),
        STORED_KEY.replace("Sds2", "Tds2"),  # a point off the curve
        "[]",
    ],
)
def test_a_key_that_is_not_a_private_p256_jwk_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a private P-256 JWK"):
        DPoPKey.from_jwk(text)


def test_a_tampered_proof_fails_the_verification_used_in_these_tests() -> None:
    proof = DPoPKey.generate().proof("GET", "https://pds.example/")
    header, _claims, signature = proof.split(".")
    forged_claims = base64.urlsafe_b64encode(b'{"htm":"POST"}').rstrip(b"=").decode()
    with pytest.raises(InvalidSignature):
        verified_proof(f"{header}.{forged_claims}.{signature}")


def test_discovery_and_par_retry_with_the_servers_nonce(fake: FakeNetwork) -> None:
    _discovery(fake)
    fake.on("POST", PAR, _nonce_please("nonce-1"), reply(201, load("bluesky", "oauth_par")))
    key, verifier = DPoPKey.generate(), new_code_verifier()
    connector = BlueskyConnector(config=_flow_config(key, verifier), client=fake.client())

    start = connector.authorize_url(redirect_uri=REDIRECT, state="state-1")
    url = start.url

    _assert_the_handle_was_checked_and_the_pds_found(fake)
    first, second = fake.calls("POST", PAR)
    _assert_the_par_form(parse_qs(second.content.decode()), verifier)
    _assert_the_retry_carries_the_servers_nonce(first, second, key)
    # The browser gets only the client id and the request_uri.
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://auth.example/oauth/authorize"
    assert parse_qs(parts.query) == {
        "client_id": [CLIENT_ID],
        "request_uri": [load("bluesky", "oauth_par")["request_uri"]],
    }
    assert start.keep == {
        "service": "https://pds.example",
        "oauth_did": DID,
        "oauth_handle": HANDLE,
        "oauth_issuer": "https://auth.example",
        "oauth_token_endpoint": "https://auth.example/oauth/token",
        "oauth_dpop_nonce": "nonce-1",
    }


def _assert_the_handle_was_checked_and_the_pds_found(fake: FakeNetwork) -> None:
    """The handle was checked against the DID document, and the PDS found from it."""
    assert fake.calls("GET", RESOLVE)[0].url.params["handle"] == HANDLE
    assert str(fake.calls("GET", f"/{DID}")[0].url) == f"https://plc.directory/{DID}"
    assert fake.calls("GET", "/.well-known/oauth-protected-resource")[0].url.host == "pds.example"
    assert fake.calls("GET", "/.well-known/oauth-authorization-server")[0].url.host == (
        "auth.example"
    )


def _assert_the_par_form(form: dict[str, list[str]], verifier: str) -> None:
    assert form["client_id"] == [CLIENT_ID]
    assert form["response_type"] == ["code"]
    assert form["redirect_uri"] == [REDIRECT]
    assert form["scope"] == [SCOPE]
    assert form["state"] == ["state-1"]
    assert form["code_challenge"] == [code_challenge(verifier)]
    assert form["code_challenge_method"] == ["S256"]
    assert form["login_hint"] == [HANDLE]


def _assert_the_retry_carries_the_servers_nonce(first: Any, second: Any, key: DPoPKey) -> None:
    _, first_claims = verified_proof(first.headers["DPoP"])
    header, second_claims = verified_proof(second.headers["DPoP"])
    assert "nonce" not in first_claims
    assert second_claims["nonce"] == "nonce-1"
    assert second_claims["htu"] == "https://auth.example/oauth/par"
    assert "ath" not in second_claims
    assert header["jwk"] == key.public_jwk()


def test_a_server_without_oauth_is_refused_with_a_code_the_page_can_explain(
    fake: FakeNetwork,
) -> None:
    _discovery(fake)
    fake.on("GET", "/.well-known/oauth-protected-resource", reply(404, {"error": "NotFound"}))
    config = _flow_config(DPoPKey.generate(), new_code_verifier())
    with pytest.raises(Rejected) as caught:
        BlueskyConnector(config=config, client=fake.client()).authorize_url(
            redirect_uri=REDIRECT, state="s"
        )
    assert caught.value.code == "oauth_unavailable"
    assert not fake.calls("POST", PAR)


def test_metadata_that_names_another_issuer_is_refused(fake: FakeNetwork) -> None:
    _discovery(fake)
    metadata = {**load("bluesky", "oauth_authorization_server"), "issuer": "https://evil.example"}
    fake.on("GET", "/.well-known/oauth-authorization-server", reply(200, metadata))
    config = _flow_config(DPoPKey.generate(), new_code_verifier())
    with pytest.raises(Rejected) as caught:
        BlueskyConnector(config=config, client=fake.client()).authorize_url(
            redirect_uri=REDIRECT, state="s"
        )
    assert caught.value.code == "oauth_unavailable"


def test_a_handle_the_did_document_does_not_claim_is_refused(fake: FakeNetwork) -> None:
    _discovery(fake)
    document = {**load("bluesky", "oauth_did_document"), "alsoKnownAs": ["at://other.example"]}
    fake.on("GET", f"/{DID}", reply(200, document))
    config = _flow_config(DPoPKey.generate(), new_code_verifier())
    with pytest.raises(Rejected) as caught:
        BlueskyConnector(config=config, client=fake.client()).authorize_url(
            redirect_uri=REDIRECT, state="s"
        )
    assert caught.value.code == "handle_mismatch"


def test_plain_http_sign_in_servers_are_refused_where_private_addresses_are(
    fake: FakeNetwork,
) -> None:
    _discovery(fake)
    metadata = load("bluesky", "oauth_authorization_server")
    plain = json.loads(
        json.dumps(metadata).replace(
            "https://auth.example/oauth/token", "http://auth.example/oauth/token"
        )
    )
    fake.on("GET", "/.well-known/oauth-authorization-server", reply(200, plain))
    config = {**_flow_config(DPoPKey.generate(), new_code_verifier()), "allow_private": "false"}
    with pytest.raises(Rejected) as caught:
        BlueskyConnector(config=config, client=fake.client()).authorize_url(
            redirect_uri=REDIRECT, state="s"
        )
    assert caught.value.code == "oauth_unavailable"
    assert not fake.calls("POST", PAR)


def _callback_config(key: DPoPKey, verifier: str, nonce: str = "nonce-1") -> dict[str, str]:
    return {
        **_flow_config(key, verifier),
        "service": "https://pds.example",
        "oauth_did": DID,
        "oauth_handle": HANDLE,
        "oauth_issuer": "https://auth.example",
        "oauth_token_endpoint": "https://auth.example/oauth/token",
        "oauth_dpop_nonce": nonce,
    }


def test_the_code_is_exchanged_with_the_verifier_and_a_proof_with_the_kept_nonce(
    fake: FakeNetwork,
) -> None:
    fake.on("POST", TOKEN, reply(200, load("bluesky", "oauth_token")))
    key, verifier = DPoPKey.generate(), new_code_verifier()
    connector = BlueskyConnector(config=_callback_config(key, verifier), client=fake.client())

    creds = connector.exchange_code(code="cod-123", redirect_uri=REDIRECT)

    [sent] = fake.calls("POST", TOKEN)
    form = parse_qs(sent.content.decode())
    assert form == {
        "grant_type": ["authorization_code"],
        "code": ["cod-123"],
        "redirect_uri": [REDIRECT],
        "code_verifier": [verifier],
        "client_id": [CLIENT_ID],
    }
    header, claims = verified_proof(sent.headers["DPoP"])
    assert header["jwk"] == key.public_jwk()
    assert claims["nonce"] == "nonce-1"
    assert claims["htu"] == "https://auth.example/oauth/token"
    token = load("bluesky", "oauth_token")
    assert creds.access_token == token["access_token"]
    assert creds.refresh_token == token["refresh_token"]
    assert creds.expires_at is not None
    assert creds.scopes == ("atproto", "transition:generic")
    assert creds.extra["auth"] == "oauth"
    assert creds.extra["did"] == DID
    assert creds.extra["client_id"] == CLIENT_ID
    assert creds.extra["token_endpoint"] == "https://auth.example/oauth/token"
    assert DPoPKey.from_jwk(creds.extra["dpop_key"]).public_jwk() == key.public_jwk()


def test_a_token_answer_for_another_account_is_refused(fake: FakeNetwork) -> None:
    token = {**load("bluesky", "oauth_token"), "sub": "did:plc:someoneelse"}
    fake.on("POST", TOKEN, reply(200, token))
    config = _callback_config(DPoPKey.generate(), new_code_verifier())
    with pytest.raises(Rejected) as caught:
        BlueskyConnector(config=config, client=fake.client()).exchange_code(
            code="c", redirect_uri=REDIRECT
        )
    assert caught.value.code == "sub_mismatch"


def test_a_bearer_token_answer_is_refused(fake: FakeNetwork) -> None:
    token = {**load("bluesky", "oauth_token"), "token_type": "Bearer"}
    fake.on("POST", TOKEN, reply(200, token))
    config = _callback_config(DPoPKey.generate(), new_code_verifier())
    with pytest.raises(Rejected):
        BlueskyConnector(config=config, client=fake.client()).exchange_code(
            code="c", redirect_uri=REDIRECT
        )


def _oauth_credentials(key: DPoPKey, refresh_token: str = "ref-old") -> Credentials:  # noqa: S107
    return Credentials(
        access_token="at-old",
        refresh_token=refresh_token,
        extra={
            "did": DID,
            "handle": HANDLE,
            "auth": "oauth",
            "issuer": "https://auth.example",
            "token_endpoint": "https://auth.example/oauth/token",
            "client_id": CLIENT_ID,
            "dpop_key": key.private_jwk(),
        },
    )


def _oauth_connector(fake: FakeNetwork, key: DPoPKey, **creds: Any) -> BlueskyConnector:
    return BlueskyConnector(
        credentials=_oauth_credentials(key, **creds),
        config={"service": "https://pds.example"},
        client=fake.client(),
    )


def test_refresh_uses_the_token_endpoint_and_keeps_the_connection_key(fake: FakeNetwork) -> None:
    fake.on(
        "POST", TOKEN, _nonce_please("n-2"), reply(200, load("bluesky", "oauth_token_refreshed"))
    )
    key = DPoPKey.generate()

    fresh = _oauth_connector(fake, key).refresh()

    _, second = fake.calls("POST", TOKEN)
    assert parse_qs(second.content.decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["ref-old"],
        "client_id": [CLIENT_ID],
    }
    assert verified_proof(second.headers["DPoP"])[1]["nonce"] == "n-2"
    assert "Authorization" not in second.headers
    refreshed = load("bluesky", "oauth_token_refreshed")
    assert fresh.access_token == refreshed["access_token"]
    assert fresh.refresh_token == refreshed["refresh_token"]  # rotated
    assert fresh.extra["dpop_key"] == key.private_jwk()
    assert fresh.extra["auth"] == "oauth"


def test_a_refresh_answer_without_a_refresh_token_keeps_the_stored_one(fake: FakeNetwork) -> None:
    token = {**load("bluesky", "oauth_token_refreshed"), "refresh_token": ""}
    fake.on("POST", TOKEN, reply(200, token))
    fresh = _oauth_connector(fake, DPoPKey.generate()).refresh()
    assert fresh.refresh_token == "ref-old"


def test_a_refused_refresh_token_means_reconnect(fake: FakeNetwork) -> None:
    fake.on("POST", TOKEN, reply(400, load("bluesky", "oauth_error_invalid_grant")))
    with pytest.raises(AuthExpired):
        _oauth_connector(fake, DPoPKey.generate()).refresh()


def test_a_refresh_for_another_account_is_refused(fake: FakeNetwork) -> None:
    token = {**load("bluesky", "oauth_token_refreshed"), "sub": "did:plc:someoneelse"}
    fake.on("POST", TOKEN, reply(200, token))
    with pytest.raises(Rejected):
        _oauth_connector(fake, DPoPKey.generate()).refresh()


def test_xrpc_calls_carry_the_dpop_token_and_a_proof_with_its_hash(fake: FakeNetwork) -> None:
    pds_nonce = reply(
        401,
        {"error": "use_dpop_nonce", "message": "DPoP nonce mismatch"},
        headers={"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "pds-n"},
    )
    fake.on("POST", CREATE, pds_nonce, reply(200, load("bluesky", "createRecord")))
    key = DPoPKey.generate()
    connector = _oauth_connector(fake, key)

    connector.publish(PublishRequest(text="Hei fra Varde", idempotency_key="k1"))

    first, second = fake.calls("POST", CREATE)
    for request in (first, second):
        assert request.headers["Authorization"] == "DPoP at-old"
        assert str(request.url) == "https://pds.example/xrpc/com.atproto.repo.createRecord"
    _, claims = verified_proof(second.headers["DPoP"])
    assert claims["htm"] == "POST"
    assert claims["htu"] == "https://pds.example/xrpc/com.atproto.repo.createRecord"
    assert claims["nonce"] == "pds-n"
    ath = base64.urlsafe_b64encode(hashlib.sha256(b"at-old").digest()).rstrip(b"=").decode()
    assert claims["ath"] == ath
    # The next call uses the nonce it learned: no second refusal.
    fake.on("GET", "/xrpc/app.bsky.actor.getProfile", reply(200, load("bluesky", "getProfile")))
    connector.get_account()
    [profile] = fake.calls("GET", "/xrpc/app.bsky.actor.getProfile")
    assert verified_proof(profile.headers["DPoP"])[1]["nonce"] == "pds-n"


def test_an_expired_dpop_token_is_auth_expired(fake: FakeNetwork) -> None:
    expired = reply(
        401,
        {"error": "invalid_token", "message": '"exp" claim timestamp check failed'},
        headers={"WWW-Authenticate": 'DPoP error="invalid_token"'},
    )
    fake.on("GET", "/xrpc/app.bsky.actor.getProfile", expired)
    with pytest.raises(AuthExpired):
        _oauth_connector(fake, DPoPKey.generate()).get_account()
    assert len(fake.calls("GET", "/xrpc/app.bsky.actor.getProfile")) == 1  # no retry loop


def test_app_password_sessions_still_use_bearer_tokens(fake: FakeNetwork) -> None:
    fake.on("GET", "/xrpc/app.bsky.actor.getProfile", reply(200, load("bluesky", "getProfile")))
    creds = Credentials(access_token="jwt", extra={"did": DID, "handle": HANDLE})
    BlueskyConnector(credentials=creds, client=fake.client()).get_account()
    [sent] = fake.calls("GET", "/xrpc/app.bsky.actor.getProfile")
    assert sent.headers["Authorization"] == "Bearer jwt"
    assert "DPoP" not in sent.headers


def test_client_metadata_and_the_loopback_client_id() -> None:
    document = client_metadata(
        client_id=CLIENT_ID, redirect_uri=REDIRECT, client_name="Varde", client_uri="https://v"
    )
    assert document["client_id"] == CLIENT_ID
    assert document["redirect_uris"] == [REDIRECT]
    assert document["token_endpoint_auth_method"] == "none"
    assert document["dpop_bound_access_tokens"] is True
    assert document["scope"] == "atproto transition:generic"
    assert set(document["grant_types"]) == {"authorization_code", "refresh_token"}
    local = loopback_client_id("http://127.0.0.1:8000/channels/oauth/callback/")
    parts = urlsplit(local)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost", "")
    assert parse_qs(parts.query) == {
        "redirect_uri": ["http://127.0.0.1:8000/channels/oauth/callback/"],
        "scope": ["atproto transition:generic"],
    }


def test_the_guard_refuses_a_private_address_found_during_discovery() -> None:
    """A DID document may name any server: with private addresses off, the connector's own
    client (http.AddressGuard) refuses to connect to one."""
    config = {**_flow_config(DPoPKey.generate(), new_code_verifier()), "allow_private": "false"}
    connector = BlueskyConnector(config=config)
    transport = connector.client._transport
    assert isinstance(transport, httpx.HTTPTransport)
    assert type(transport._pool._network_backend).__name__ == "AddressGuard"
