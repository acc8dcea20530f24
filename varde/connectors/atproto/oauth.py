"""AT Protocol OAuth (https://atproto.com/specs/oauth) for a public client: discovery, the
pushed authorization request, the token exchange and refresh, and the client metadata.

The profile allows no shortcuts: PAR is required (the browser only ever carries a
``request_uri``), PKCE with S256, DPoP-bound tokens (``atproto_dpop``), and the account's
authorization server is found from the account itself: handle → DID → PDS →
``/.well-known/oauth-protected-resource`` → ``/.well-known/oauth-authorization-server``.
Varde is a public client (``token_endpoint_auth_method`` "none"): its ``client_id`` is the
URL of a metadata document it serves, or, on a development machine, the spec's loopback form
``http://localhost?redirect_uri=…&scope=…``. Every token answer names the account in ``sub``,
which must be the DID the sign-in started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from varde.connectors.atproto.dpop import DPoPKey, DPoPSender
from varde.connectors.bluesky.xrpc import NETWORK
from varde.connectors.contracts import Credentials
from varde.connectors.errors import Rejected
from varde.connectors.http import ErrorDetail, json_object, send, utc_now
from varde.connectors.oauth import code_challenge

SCOPE = "atproto transition:generic"
# Credentials.extra["auth"] for tokens from this flow; app-password sessions have none.
AUTH_OAUTH = "oauth"
LOOPBACK_CLIENT_ORIGIN = "http://localhost"
# The token endpoint's refusals that mean the grant itself is gone: reconnect.
TOKEN_AUTH_ERRORS = frozenset({"invalid_grant", "invalid_token", "invalid_dpop_proof"})
_REQUIRED_ALG = "ES256"


@dataclass(frozen=True)
class AuthServer:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    par_endpoint: str


def read_oauth_error(response: httpx.Response) -> ErrorDetail:
    """OAuth errors are ``{"error", "error_description"}``; XRPC ones ``{"error", "message"}``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    code = body.get("error") if isinstance(body.get("error"), str) else None
    text = body.get("error_description") or body.get("message")
    return ErrorDetail(reason=text if isinstance(text, str) and text else code, code=code)


def _get_json(client: httpx.Client, url: str) -> dict[str, Any]:
    response = send(
        client, "GET", url, side_effect=False, read_error=read_oauth_error, network=NETWORK
    )
    return json_object(response, side_effect=False, network=NETWORK)


def _unavailable(reason: str) -> Rejected:
    return Rejected(f"{NETWORK}: {reason}", code="oauth_unavailable")


def discover_auth_server(client: httpx.Client, pds: str) -> AuthServer:
    """The authorization server the PDS names, with its metadata checked against the profile.
    A PDS without one raises ``Rejected`` with code ``oauth_unavailable``."""
    try:
        resource = _get_json(client, f"{pds.rstrip('/')}/.well-known/oauth-protected-resource")
    except Rejected as error:
        raise _unavailable("the account's server does not offer sign-in (OAuth)") from error
    servers = resource.get("authorization_servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], str):
        raise _unavailable("the account's server names no sign-in server")
    issuer = servers[0].rstrip("/")
    meta = _get_json(client, f"{issuer}/.well-known/oauth-authorization-server")
    # RFC 8414, section 3.3: the metadata must be about the server it was fetched from.
    if str(meta.get("issuer", "")).rstrip("/") != issuer:
        raise _unavailable("the sign-in server's description names another server")
    endpoints = {
        name: meta.get(name)
        for name in (
            "authorization_endpoint",
            "token_endpoint",
            "pushed_authorization_request_endpoint",
        )
    }
    if not all(isinstance(url, str) and url for url in endpoints.values()):
        raise _unavailable("the sign-in server does not take pushed sign-in requests (PAR)")
    if _REQUIRED_ALG not in (meta.get("dpop_signing_alg_values_supported") or []):
        raise _unavailable("the sign-in server does not accept ES256 DPoP proofs")
    if "S256" not in (meta.get("code_challenge_methods_supported") or []):
        raise _unavailable("the sign-in server does not support PKCE with S256")
    if "none" not in (meta.get("token_endpoint_auth_methods_supported") or ["none"]):
        raise _unavailable("the sign-in server does not accept public clients")
    return AuthServer(
        issuer=str(meta["issuer"]).rstrip("/"),
        authorization_endpoint=str(endpoints["authorization_endpoint"]),
        token_endpoint=str(endpoints["token_endpoint"]),
        par_endpoint=str(endpoints["pushed_authorization_request_endpoint"]),
    )


def push_authorization(
    sender: DPoPSender,
    server: AuthServer,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_verifier: str,
    login_hint: str | None,
    scope: str = SCOPE,
) -> str:
    """Send the authorization request to the PAR endpoint; return the address to send the
    person to (the authorization endpoint with ``client_id`` and ``request_uri`` only)."""
    form = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "code_challenge": code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if login_hint:
        form["login_hint"] = login_hint
    response = sender.send(
        "POST",
        server.par_endpoint,
        side_effect=False,
        read_error=read_oauth_error,
        network=NETWORK,
        data=form,
    )
    body = json_object(response, side_effect=False, network=NETWORK)
    request_uri = body.get("request_uri")
    if not isinstance(request_uri, str) or not request_uri:
        msg = f"{NETWORK}: the sign-in server did not accept the sign-in request"
        raise Rejected(msg, code="par_failed")
    query = urlencode({"client_id": client_id, "request_uri": request_uri})
    return f"{server.authorization_endpoint}?{query}"


def request_tokens(
    sender: DPoPSender, token_endpoint: str, form: Mapping[str, str], *, expected_did: str
) -> dict[str, Any]:
    """POST to the token endpoint with a DPoP proof; check what came back is a DPoP token set
    for ``expected_did`` with the ``atproto`` scope."""
    response = sender.send(
        "POST",
        token_endpoint,
        side_effect=False,
        read_error=read_oauth_error,
        network=NETWORK,
        auth_error_codes=TOKEN_AUTH_ERRORS,
        data=dict(form),
    )
    body = json_object(response, side_effect=False, network=NETWORK)
    if body.get("sub") != expected_did:
        # A sign-in server answering for another account than the one asked for must never
        # be trusted with this one (the spec's "sub" check).
        msg = f"{NETWORK}: the sign-in server answered for another account"
        raise Rejected(msg, code="sub_mismatch")
    if str(body.get("token_type", "")).lower() != "dpop" or not body.get("access_token"):
        msg = f"{NETWORK}: the sign-in server did not issue a DPoP access token"
        raise Rejected(msg, code="bad_token_type")
    if "atproto" not in str(body.get("scope", "")).split():
        msg = f"{NETWORK}: the sign-in server did not grant the atproto scope"
        raise Rejected(msg, code="bad_scope")
    return body


@dataclass(frozen=True)
class Grant:
    """What a token answer is tied to; kept in ``Credentials.extra`` to refresh it later."""

    did: str
    handle: str
    issuer: str
    token_endpoint: str
    client_id: str
    key: DPoPKey

    def extra(self) -> dict[str, str]:
        return {
            "did": self.did,
            "handle": self.handle,
            "auth": AUTH_OAUTH,
            "issuer": self.issuer,
            "token_endpoint": self.token_endpoint,
            "client_id": self.client_id,
            # The private key is as secret as the tokens: the whole object is encrypted.
            "dpop_key": self.key.private_jwk(),
        }

    @classmethod
    def from_extra(cls, extra: Mapping[str, str]) -> Grant:
        return cls(
            did=extra["did"],
            handle=extra.get("handle", ""),
            issuer=extra["issuer"],
            token_endpoint=extra["token_endpoint"],
            client_id=extra["client_id"],
            key=DPoPKey.from_jwk(extra["dpop_key"]),
        )


def credentials_from_tokens(
    body: Mapping[str, Any], grant: Grant, *, previous_refresh_token: str | None = None
) -> Credentials:
    expires_in = body.get("expires_in")
    expires_at = (
        utc_now() + timedelta(seconds=int(expires_in))
        if isinstance(expires_in, int | float) and expires_in > 0
        else None
    )
    # Refresh tokens rotate; an answer without one never erases the one we have.
    refresh_token = str(body.get("refresh_token") or "") or previous_refresh_token
    return Credentials(
        access_token=str(body["access_token"]),
        refresh_token=refresh_token,
        expires_at=expires_at,
        scopes=tuple(str(body.get("scope", "")).split()),
        extra=grant.extra(),
    )


def exchange_code(
    sender: DPoPSender, grant: Grant, *, code: str, redirect_uri: str, code_verifier: str
) -> Credentials:
    body = request_tokens(
        sender,
        grant.token_endpoint,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
            "client_id": grant.client_id,
        },
        expected_did=grant.did,
    )
    return credentials_from_tokens(body, grant)


def refresh(sender: DPoPSender, grant: Grant, *, refresh_token: str) -> Credentials:
    body = request_tokens(
        sender,
        grant.token_endpoint,
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": grant.client_id,
        },
        expected_did=grant.did,
    )
    return credentials_from_tokens(body, grant, previous_refresh_token=refresh_token)


# -- Varde as a client --------------------------------------------------------------------


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in {"localhost", "127.0.0.1", "::1"}


def loopback_redirect_uri(redirect_uri: str) -> str:
    """The spec wants loopback redirects on an IP address, never the name ``localhost``."""
    parts = urlsplit(redirect_uri)
    if (parts.hostname or "").lower() != "localhost":
        return redirect_uri
    netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def loopback_client_id(redirect_uri: str, scope: str = SCOPE) -> str:
    """The development ``client_id``: no metadata document, the values in the query."""
    return f"{LOOPBACK_CLIENT_ORIGIN}?{urlencode({'redirect_uri': redirect_uri, 'scope': scope})}"


def client_metadata(
    *, client_id: str, redirect_uri: str, client_name: str, client_uri: str
) -> dict[str, Any]:
    """The client metadata document served at ``client_id`` (a public web client)."""
    return {
        "client_id": client_id,
        "client_name": client_name,
        "client_uri": client_uri,
        "application_type": "web",
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "scope": SCOPE,
        "token_endpoint_auth_method": "none",
        "dpop_bound_access_tokens": True,
    }
