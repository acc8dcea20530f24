"""How the Bluesky connector signs in: app-password sessions and AT Protocol OAuth.

Two kinds of credentials reach the connector. An app-password session
(``com.atproto.server.createSession``) has a ``Bearer`` access JWT and is refreshed with
``refreshSession``. An OAuth grant (``Credentials.extra["auth"] == "oauth"``) has a DPoP-bound
token, refreshed at the authorization server's token endpoint, and the connection's DPoP key
in ``extra`` (see ``atproto_oauth.Grant``).

The OAuth flow's config keys, set by the channels app: ``login_hint`` (the handle or DID the
person typed), ``service`` (the server that resolves the handle; replaced by the account's PDS
once found), ``client_id`` and ``plc_directory`` (the operator's), ``code_verifier`` and
``dpop_key`` (made for this flow, kept encrypted), and what ``oauth_begin`` found, kept until
the person comes back: ``oauth_did``, ``oauth_handle``, ``oauth_issuer``,
``oauth_token_endpoint``, ``oauth_dpop_nonce``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from varde.connectors.atproto import oauth as atproto_oauth
from varde.connectors.atproto.dpop import DPoPKey, DPoPSender
from varde.connectors.atproto.identity import DEFAULT_PLC_DIRECTORY, resolve_identity
from varde.connectors.bluesky.xrpc import DEFAULT_SERVICE, NETWORK, jwt_expiry
from varde.connectors.contracts import Credentials
from varde.connectors.errors import Rejected

# Config keys that only live during the sign-in; never stored with the account.
FLOW_KEYS = frozenset(
    {
        "login_hint",
        "dpop_key",
        "plc_directory",
        "oauth_did",
        "oauth_handle",
        "oauth_issuer",
        "oauth_token_endpoint",
        "oauth_dpop_nonce",
    }
)


def session_credentials(session: Mapping[str, Any]) -> Credentials:
    """Credentials from a createSession / refreshSession answer."""
    access = str(session.get("accessJwt", ""))
    return Credentials(
        access_token=access,
        refresh_token=str(session.get("refreshJwt", "")) or None,
        expires_at=jwt_expiry(access),
        extra={"did": str(session.get("did", "")), "handle": str(session.get("handle", ""))},
    )


def is_oauth(credentials: Credentials) -> bool:
    return credentials.extra.get("auth") == atproto_oauth.AUTH_OAUTH


def _need(config: Mapping[str, str], key: str) -> str:
    value = config.get(key)
    if not value:
        msg = f"{NETWORK}: the sign-in is missing {key!r}; start it again"
        raise Rejected(msg, code="missing_config")
    return value


def _require_https(config: Mapping[str, str], pds: str, server: atproto_oauth.AuthServer) -> None:
    """The profile wants https everywhere; plain http only where private addresses are
    allowed (a test network on this machine), as the address guard decides (``base``)."""
    if config.get("allow_private", "true").strip().lower() in {"1", "true", "yes"}:
        return
    found = (pds, server.issuer, server.par_endpoint, server.authorization_endpoint)
    if any(not url.startswith("https://") for url in (*found, server.token_endpoint)):
        msg = f"{NETWORK}: the account's server does not use https for signing in"
        raise Rejected(msg, code="oauth_unavailable")


def oauth_begin(
    client: httpx.Client, config: Mapping[str, str], *, redirect_uri: str, state: str
) -> tuple[str, dict[str, str]]:
    """Find the account's sign-in server and push the authorization request to it. Returns
    the address to send the person to and what to keep until they come back."""
    identity = resolve_identity(
        client,
        identifier=_need(config, "login_hint"),
        service=config.get("service") or DEFAULT_SERVICE,
        plc_directory=config.get("plc_directory") or DEFAULT_PLC_DIRECTORY,
    )
    server = atproto_oauth.discover_auth_server(client, identity.pds)
    _require_https(config, identity.pds, server)
    sender = DPoPSender(client, DPoPKey.from_jwk(_need(config, "dpop_key")))
    url = atproto_oauth.push_authorization(
        sender,
        server,
        client_id=_need(config, "client_id"),
        redirect_uri=redirect_uri,
        state=state,
        code_verifier=_need(config, "code_verifier"),
        login_hint=identity.handle or identity.did,
    )
    kept = {
        "service": identity.pds,
        "oauth_did": identity.did,
        "oauth_handle": identity.handle,
        "oauth_issuer": server.issuer,
        "oauth_token_endpoint": server.token_endpoint,
        "oauth_dpop_nonce": sender.nonces.get(DPoPSender.origin(server.token_endpoint), ""),
    }
    return url, kept


def oauth_exchange(
    client: httpx.Client, config: Mapping[str, str], *, code: str, redirect_uri: str
) -> Credentials:
    """Trade the code for DPoP-bound tokens, for the account the sign-in started with."""
    grant = atproto_oauth.Grant(
        did=_need(config, "oauth_did"),
        handle=config.get("oauth_handle", ""),
        issuer=_need(config, "oauth_issuer"),
        token_endpoint=_need(config, "oauth_token_endpoint"),
        client_id=_need(config, "client_id"),
        key=DPoPKey.from_jwk(_need(config, "dpop_key")),
    )
    nonce = config.get("oauth_dpop_nonce")
    nonces = {DPoPSender.origin(grant.token_endpoint): nonce} if nonce else None
    return atproto_oauth.exchange_code(
        DPoPSender(client, grant.key, nonces),
        grant,
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=_need(config, "code_verifier"),
    )
