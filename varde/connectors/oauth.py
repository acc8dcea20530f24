"""OAuth 2.0 helpers shared by connectors: PKCE (RFC 7636) with the S256 method.

The connector Protocol's ``authorize_url`` and ``exchange_code`` take no verifier, so a
connector that uses PKCE reads it from its per-account config key ``code_verifier``: the
channels app makes one with :func:`new_code_verifier` when the connect flow starts, keeps
it with the ``state`` (server side, never in the browser) and passes it in the config of
the connector it builds for both calls.
"""

import base64
import hashlib
import secrets

_VERIFIER_BYTES = 48  # 64 characters of base64url; RFC 7636 allows 43 to 128


def new_code_verifier() -> str:
    """A fresh high-entropy verifier from the unreserved characters RFC 7636 allows."""
    return base64.urlsafe_b64encode(secrets.token_bytes(_VERIFIER_BYTES)).rstrip(b"=").decode()


def code_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding: the S256 challenge."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
