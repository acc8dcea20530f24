"""Encryption of secrets kept in the database (channel tokens, MFA seeds).

Fernet (AES-128-CBC with HMAC-SHA256) with a key derived from ``settings.ENCRYPTION_KEY`` by
HKDF, so the configured key can be any long random string.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadableError(Exception):
    """The stored secret was encrypted with another key; the user must enter it again."""


@cache
def _fernet(key_material: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"varde-secrets-v1", info=b"fernet"
    ).derive(key_material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_secret(plain: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(plain.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadableError(
            "A stored secret could not be decrypted; VARDE_ENCRYPTION_KEY may have changed."
        ) from None
