"""Channels tests: HTTP through respx with bodies from the connectors' documented fixtures,
and a resolver that answers a public address, so no test needs DNS or the internet."""

from __future__ import annotations

import pytest

from varde.channels import connecting
from varde.connectors.tests.conftest import load as fixture  # the documented answers

PUBLIC_ADDRESS = "93.184.216.34"


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English; the bokmål catalogue is checked by i18n_check."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def public_dns(monkeypatch):
    """Every host name resolves to one public address; tests that need another patch again."""
    monkeypatch.setattr(connecting, "resolver", lambda host, port: [PUBLIC_ADDRESS])


@pytest.fixture
def oauth_apps(settings):
    settings.VARDE_OAUTH_APPS = {
        "x": {"client_id": "x-client", "client_secret": ""},
        "linkedin": {"client_id": "", "client_secret": ""},
        "google": {"client_id": "g-client", "client_secret": "g-secret"},
        "meta": {"client_id": "meta-app", "client_secret": "meta-secret"},
        "threads": {"client_id": "", "client_secret": ""},
    }
    settings.BASE_URL = "https://varde.example"
    return settings.VARDE_OAUTH_APPS


@pytest.fixture
def mastodon_instance(respx_mock):
    """mastodon.example announces its own limits (1000 characters) on /api/v2/instance."""
    return respx_mock.get("https://mastodon.example/api/v2/instance").respond(
        json=fixture("mastodon", "instance_v2")
    )
