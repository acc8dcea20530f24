"""OAuth 2.0 helpers shared by connectors: PKCE (RFC 7636) with the S256 method, the one
request to a token endpoint (RFC 6749 §3.2, :func:`token_request`), the refresh grant
(:func:`refresh_grant`) and credentials from a token endpoint's answer (RFC 6749 §5.1).

Every network that speaks standard OAuth 2.0 (X, LinkedIn, YouTube, Mastodon) asks its token
endpoint through :func:`token_request`, so how the client authenticates and how an error is
read is written once. Meta's token calls are not standard (GET, its own grant types, Graph
API error codes) and stay in ``meta/``.

The connector Protocol's ``authorize_url`` and ``exchange_code`` take no verifier, so a
connector that uses PKCE reads it from its per-account config key ``code_verifier``: the
channels app makes one with :func:`new_code_verifier` when the connect flow starts, keeps
it with the ``state`` (server side, never in the browser) and passes it in the config of
the connector it builds for both calls.
"""

import base64
import hashlib
import re
import secrets
from collections.abc import Callable, Collection, Mapping
from datetime import timedelta
from typing import Any

import httpx

from varde.connectors.contracts import Credentials
from varde.connectors.errors import AuthExpired, Rejected
from varde.connectors.http import ErrorReader, json_object, send, utc_now

TokenRequest = Callable[[dict[str, str]], dict[str, Any]]

_VERIFIER_BYTES = 48  # 64 characters of base64url; RFC 7636 allows 43 to 128


def new_code_verifier() -> str:
    """A fresh high-entropy verifier from the unreserved characters RFC 7636 allows."""
    return base64.urlsafe_b64encode(secrets.token_bytes(_VERIFIER_BYTES)).rstrip(b"=").decode()


def code_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding: the S256 challenge."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def credentials_from_token(token: Mapping[str, Any], previous: Credentials | None) -> Credentials:
    """Credentials from a token answer. A refresh answer leaves things out, and what it leaves
    out is kept: the refresh token (Google sends none; never overwritten by an empty value),
    the scopes, and the account details in ``extra``. Scopes are split on spaces (RFC 6749)
    and on commas (LinkedIn)."""
    expires_in = token.get("expires_in")
    scopes = tuple(re.split(r"[\s,]+", str(token.get("scope") or "").strip()))
    return Credentials(
        access_token=str(token["access_token"]),
        refresh_token=token.get("refresh_token") or (previous.refresh_token if previous else None),
        expires_at=utc_now() + timedelta(seconds=expires_in)
        if isinstance(expires_in, int)
        else None,
        scopes=tuple(scope for scope in scopes if scope) or (previous.scopes if previous else ()),
        extra=dict(previous.extra) if previous else {},
    )


def token_request(
    client: httpx.Client,
    url: str,
    form: Mapping[str, str],
    *,
    client_id: str,
    client_secret: str | None,
    network: str,
    read_error: ErrorReader,
    basic_auth: bool = False,
) -> dict[str, Any]:
    """POST ``form`` to a token endpoint and return its JSON answer.

    The client authenticates as RFC 6749 §2.3.1 allows: with ``basic_auth`` and a secret, by
    HTTP Basic (X's confidential clients); otherwise with ``client_id`` (and the secret, when
    there is one) in the form, which a public client (X without a secret) also does. Never a
    side effect: a lost answer leaves no grant anybody can see, so it is ``Transient``.
    """
    body = dict(form)
    headers: dict[str, str] = {}
    if basic_auth and client_secret:
        pair = f"{client_id}:{client_secret}".encode()
        headers["Authorization"] = f"Basic {base64.b64encode(pair).decode()}"
    else:
        body["client_id"] = client_id
        if client_secret:
            body["client_secret"] = client_secret
    response = send(
        client,
        "POST",
        url,
        side_effect=False,
        read_error=read_error,
        network=network,
        data=body,
        headers=headers,
    )
    return json_object(response, side_effect=False, network=network)


def refresh_grant(
    request: TokenRequest,
    credentials: Credentials,
    *,
    network: str,
    revoked: Collection[str],
    no_refresh_token: str,
) -> Credentials:
    """Fresh credentials by the refresh-token grant (RFC 6749 §6), through ``request`` (the
    network's :func:`token_request`).

    ``AuthExpired`` when only reconnecting helps: no refresh token was granted
    (``no_refresh_token`` says so in the network's words), or the endpoint answers with one of
    the error codes in ``revoked`` (the grant was revoked or the token already used).
    """
    if not credentials.refresh_token:
        raise AuthExpired(no_refresh_token)
    try:
        token = request({"grant_type": "refresh_token", "refresh_token": credentials.refresh_token})
    except Rejected as error:
        if error.code in revoked:
            raise AuthExpired(f"{network}: {error.reason}", status=error.status) from error
        raise
    return credentials_from_token(token, credentials)
