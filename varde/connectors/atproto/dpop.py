"""DPoP (RFC 9449) for AT Protocol OAuth: proof JWTs signed with a per-connection ES256 key,
and requests that retry once when the server asks for a fresh nonce.

The AT Protocol profile (https://atproto.com/specs/oauth) makes DPoP mandatory: every call to
the authorization server (PAR, token) and every XRPC call to the PDS carries a ``DPoP`` header,
a JWT of type ``dpop+jwt`` whose header holds the public key and whose claims bind it to the
request (``htm``, ``htu``), a one-time ``jti``, ``iat``, the server's latest ``nonce``, and for
resource calls ``ath``, the hash of the access token. Servers require nonces: an unknown or
stale one is answered with the error ``use_dpop_nonce`` (a JSON body from the authorization
server, a ``WWW-Authenticate: DPoP`` header from the PDS) and a ``DPoP-Nonce`` header to use.

Keys and proofs are made by ``joserfc``, a maintained JOSE library, rather than by hand: JWK
encoding, and the JWS signature in the raw ``r || s`` form that ES256 requires, are easy to get
subtly wrong. A key is stored as a private JWK (RFC 7517), written in the same member order as
before the library came, so keys already stored load unchanged and new ones read the same.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from joserfc.util import urlsafe_b64encode

from varde.connectors.http import ErrorReader, check_status, send

_HTTP_BAD_REQUEST = 400
_HTTP_UNAUTHORIZED = 401
_CURVE = "P-256"
_ALGORITHM = "ES256"
NONCE_ERROR = "use_dpop_nonce"


def access_token_hash(access_token: str) -> str:
    """The ``ath`` claim: base64url of the SHA-256 of the access token."""
    return urlsafe_b64encode(hashlib.sha256(access_token.encode("ascii")).digest()).decode()


def request_target(url: str) -> str:
    """The ``htu`` claim: the URL without its query and fragment (RFC 9449, section 4.2)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class DPoPKey:
    """One connection's ES256 key pair. Stored as a private JWK (with ``d``), encrypted with
    the channel's credentials; the public half travels in every proof's header."""

    def __init__(self, key: ECKey) -> None:
        self._key = key

    @classmethod
    def generate(cls) -> DPoPKey:
        return cls(ECKey.generate_key(_CURVE, private=True))

    @classmethod
    def from_jwk(cls, text: str) -> DPoPKey:
        msg = "not a private P-256 JWK"
        jwk = json.loads(text)
        if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != _CURVE:
            raise ValueError(msg)
        if "d" not in jwk:
            raise ValueError(msg)
        try:
            return cls(ECKey.import_key(jwk))
        except (JoseError, ValueError) as error:  # ValueError: a point off the curve
            raise ValueError(msg) from error

    def private_jwk(self) -> str:
        private = self._key.as_dict(private=True)
        return json.dumps({**self.public_jwk(), "d": private["d"]})

    def public_jwk(self) -> dict[str, str]:
        public = self._key.as_dict(private=False)
        return {"kty": "EC", "crv": _CURVE, "x": str(public["x"]), "y": str(public["y"])}

    def proof(
        self,
        method: str,
        url: str,
        *,
        nonce: str | None = None,
        access_token: str | None = None,
        now: float | None = None,
    ) -> str:
        """A DPoP proof JWT for one request."""
        header = {"typ": "dpop+jwt", "alg": _ALGORITHM, "jwk": self.public_jwk()}
        claims: dict[str, Any] = {
            "jti": secrets.token_urlsafe(16),
            "htm": method.upper(),
            "htu": request_target(url),
            "iat": int(now if now is not None else time.time()),
        }
        if nonce:
            claims["nonce"] = nonce
        if access_token:
            claims["ath"] = access_token_hash(access_token)
        return jwt.encode(header, claims, self._key, algorithms=[_ALGORITHM])


def asks_for_nonce(response: httpx.Response) -> bool:
    """Whether the server refused the proof only because it wants (another) nonce."""
    if response.status_code == _HTTP_UNAUTHORIZED:
        return NONCE_ERROR in response.headers.get("WWW-Authenticate", "")
    if response.status_code == _HTTP_BAD_REQUEST:
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("error") == NONCE_ERROR
    return False


class DPoPSender:
    """Sends requests with DPoP proofs, remembering each server's latest nonce (by origin:
    the authorization server and the PDS keep their own)."""

    def __init__(self, client: httpx.Client, key: DPoPKey, nonces: dict[str, str] | None = None):
        self.client = client
        self.key = key
        self.nonces: dict[str, str] = dict(nonces or {})

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def send(
        self,
        method: str,
        url: str,
        *,
        side_effect: bool,
        read_error: ErrorReader,
        network: str,
        access_token: str | None = None,
        auth_error_codes: Collection[str] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with a fresh proof; on ``use_dpop_nonce`` once more with the nonce the server
        gave. A refused proof was not acted on, so the retry is safe even for a post."""
        origin = self.origin(url)
        base_headers = dict(kwargs.pop("headers", {}))
        if access_token:
            base_headers["Authorization"] = f"DPoP {access_token}"
        response: httpx.Response | None = None
        for _ in range(2):
            proof = self.key.proof(
                method, url, nonce=self.nonces.get(origin), access_token=access_token
            )
            response = send(
                self.client,
                method,
                url,
                side_effect=side_effect,
                read_error=read_error,
                network=network,
                auth_error_codes=auth_error_codes,
                accept=(_HTTP_BAD_REQUEST, _HTTP_UNAUTHORIZED),
                headers={**base_headers, "DPoP": proof},
                **kwargs,
            )
            fresh = response.headers.get("DPoP-Nonce")
            retry = asks_for_nonce(response) and fresh and fresh != self.nonces.get(origin)
            if fresh:
                self.nonces[origin] = fresh
            if not retry:
                break
        assert response is not None  # noqa: S101  (the loop runs at least once)
        check_status(
            response,
            side_effect=side_effect,
            read_error=read_error,
            network=network,
            auth_error_codes=auth_error_codes,
        )
        return response
