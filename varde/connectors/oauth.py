"""OAuth 2.0 helpers shared by connectors: PKCE (RFC 7636) with the S256 method, and
credentials from a token endpoint's answer (RFC 6749 §5.1).

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
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from varde.connectors.contracts import Credentials
from varde.connectors.http import utc_now

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
