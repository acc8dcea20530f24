"""Time-based one-time passwords (TOTP, RFC 6238) that a user can turn on."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pyotp
import segno
from django.db import transaction
from django.utils.translation import gettext as _

from varde.lib.crypto import decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    from varde.accounts.models import User

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


def code_is_valid(*, secret: str, code: str) -> bool:
    cleaned = "".join(ch for ch in code if ch.isdigit())
    # One step either side tolerates a phone clock that is up to 30 seconds off.
    return len(cleaned) == 6 and pyotp.TOTP(secret).verify(cleaned, valid_window=1)


def user_code_is_valid(*, user: User, code: str) -> bool:
    if not user.mfa_enabled or not user.totp_secret_encrypted:
        return False
    return code_is_valid(secret=decrypt_secret(user.totp_secret_encrypted), code=code)


@transaction.atomic
def mfa_enable(*, user: User, secret: str, code: str) -> None:
    from varde.accounts.services import audit_record

    if not code_is_valid(secret=secret, code=code):
        raise ValueError(_("That code did not match. Check the time on your phone and try again."))
    user.totp_secret_encrypted = encrypt_secret(secret)
    user.mfa_enabled = True
    user.save(update_fields=["totp_secret_encrypted", "mfa_enabled"])
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
