"""The two links a subscriber gets, and why neither needs a readable token in the database.

* Confirmation: a random token, stored only as its SHA-256, inside a link signed with a
  timestamp (``TimestampSigner``): it expires after ``CONFIRM_MAX_AGE`` and works once.
* Unsubscribe: a signature of the subscriber's public id (``Signer`` with its own salt).
  Nothing is stored, so it can be put in every newsletter, and it keeps working for as long
  as the secret key (or one of ``SECRET_KEY_FALLBACKS``) does. It can only unsubscribe.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "varde.newsletter.confirm"
UNSUBSCRIBE_SALT = "varde.newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_confirm_token() -> str:
    return secrets.token_urlsafe(24)


def confirm_link_token(public_id: str, raw_token: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{public_id}.{raw_token}")


def read_confirm_link(value: str) -> tuple[str, str] | None:
    """(public id, raw token), or None when forged, garbled or expired."""
    try:
        inner = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(value, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    public_id, _, raw = inner.partition(".")
    return (public_id, raw) if raw else None


def token_matches(raw_token: str, stored_hash: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(digest(raw_token), stored_hash)


def unsubscribe_token(public_id: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(public_id)


def read_unsubscribe_token(value: str) -> str | None:
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(value)
    except signing.BadSignature:
        return None
