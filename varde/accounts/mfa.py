"""Time-based one-time passwords (TOTP, RFC 6238) that a user can turn on."""

from __future__ import annotations

import hmac
import io
import time
from typing import TYPE_CHECKING

import pyotp
import segno
from django.db import transaction
from django.utils.translation import gettext as _

from varde.accounts.models import User
from varde.lib.crypto import decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    pass

ISSUER = "Varde"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG, drawn here so no image service sees the secret."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def _cleaned(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def matching_step(*, secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code ``code`` is, or None.

    One step either side tolerates a phone clock that is up to 30 seconds off. The step is
    returned (not just "valid") so the caller can refuse the same code a second time."""
    cleaned = _cleaned(code)
    if len(cleaned) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if at is None else at)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), cleaned):
            return step
    return None


def code_is_valid(*, secret: str, code: str) -> bool:
    return matching_step(secret=secret, code=code) is not None


def user_code_is_valid(*, user: User, code: str) -> bool:
    """Whether ``code`` is the user's current code and has not been used before.

    RFC 6238 §5.2: a verifier must not accept the second attempt of the same OTP. The
    used step is claimed with a conditional UPDATE, so two requests racing with one code
    cannot both win."""
    if not user.mfa_enabled or not user.totp_secret_encrypted:
        return False
    step = matching_step(secret=decrypt_secret(user.totp_secret_encrypted), code=code)
    if step is None:
        return False
    claimed = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if claimed:
        user.totp_last_step = step
    return bool(claimed)


@transaction.atomic
def mfa_enable(*, user: User, secret: str, code: str) -> None:
    from varde.accounts.services import audit_record

    step = matching_step(secret=secret, code=code)
    if step is None:
        raise ValueError(_("That code did not match. Check the time on your phone and try again."))
    user.totp_secret_encrypted = encrypt_secret(secret)
    user.mfa_enabled = True
    user.totp_last_step = step  # the code that turned MFA on cannot also log in
    user.save(update_fields=["totp_secret_encrypted", "mfa_enabled", "totp_last_step"])
    audit_record(action="user.mfa_enabled", actor=user, target=user)


@transaction.atomic
def mfa_disable(*, user: User, code: str) -> None:
    from varde.accounts.services import audit_record

    if not user_code_is_valid(user=user, code=code):
        raise ValueError(_("That code did not match. Enter the current code from your app."))
    user.totp_secret_encrypted = ""
    user.mfa_enabled = False
    user.save(update_fields=["totp_secret_encrypted", "mfa_enabled"])
    audit_record(action="user.mfa_disabled", actor=user, target=user)
