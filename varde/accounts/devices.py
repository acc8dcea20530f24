"""Device cookies: a browser an account has logged in from before is not a stranger.

Throttling by e-mail alone lets anyone lock a user out by typing wrong passwords for their
address; throttling by address alone locks out everyone behind the same proxy or office
NAT. OWASP's answer ("Slow Down Online Guessing Attacks with Device Cookies") is used here:
after a successful login the browser gets a signed cookie naming the account (by a digest of
its e-mail, never the address itself). The account-wide and address-wide limits do not
apply to such a browser, so its owner still gets in while strangers are slowed down.
Nothing is trusted beyond that: the password (and the TOTP code) is still checked.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "varde_device"
_SALT = "varde.accounts.devices"
MAX_AGE_SECONDS = 180 * 24 * 3600
# A shared computer may be used by a few people; more than this and the oldest is dropped.
MAX_ACCOUNTS = 5


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _accounts(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(COOKIE_NAME, "")
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


def is_known_device(request: HttpRequest, *, email: str) -> bool:
    """Whether this browser carries a valid device cookie for ``email``."""
    return _digest(email) in _accounts(request)


def remember_device(request: HttpRequest, response: HttpResponse, *, email: str) -> None:
    """Mark this browser as one ``email`` has logged in from (after a successful login)."""
    digest = _digest(email)
    accounts = [item for item in _accounts(request) if item != digest]
    accounts = [*accounts, digest][-MAX_ACCOUNTS:]
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(accounts, salt=_SALT),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
