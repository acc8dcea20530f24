"""Varde as an AT Protocol OAuth client: its ``client_id`` and the metadata document behind it.

A Bluesky sign-in needs no app registered by the operator: the ``client_id`` is the address
of a JSON document Varde serves (``/oauth/bluesky/client-metadata.json``), which the
person's sign-in server fetches. That needs a public https address (``VARDE_BASE_URL``). On a
development machine (127.0.0.1 or localhost) Varde uses the spec's loopback client instead,
``http://localhost?redirect_uri=…&scope=…``, which no server fetches.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from varde.connectors.atproto import oauth as atproto_oauth

CLIENT_NAME = "Varde"


def redirect_uri() -> str:
    """Where the sign-in server sends people back: the shared OAuth callback, on 127.0.0.1
    instead of ``localhost`` for a development machine (the spec allows only IP addresses)."""
    return atproto_oauth.loopback_redirect_uri(
        f"{settings.BASE_URL}{reverse('channels_oauth:callback')}"
    )


def client_id() -> str | None:
    """Varde's client id, or None when Varde cannot be an AT Protocol client at its address
    (plain http on a host that is not this machine)."""
    base = settings.BASE_URL
    if atproto_oauth.is_loopback(base):
        return atproto_oauth.loopback_client_id(redirect_uri())
    if not base.startswith("https://"):
        return None
    return f"{base}{reverse('atproto_client_metadata')}"


def app_credentials() -> dict[str, str] | None:
    """What the operator decides for every Bluesky sign-in (``connector_config`` adds it)."""
    found = client_id()
    if found is None:
        return None
    return {"client_id": found, "plc_directory": settings.VARDE_ATPROTO_PLC_URL}


def metadata() -> dict[str, Any] | None:
    found = client_id()
    if found is None or atproto_oauth.is_loopback(settings.BASE_URL):
        return None
    return atproto_oauth.client_metadata(
        client_id=found,
        redirect_uri=redirect_uri(),
        client_name=CLIENT_NAME,
        client_uri=settings.BASE_URL,
    )
