from __future__ import annotations

import pytest

from varde.connectors.tests.smtpd import PASSWORD, USER, smtp_server
from varde.newsletter import services

__all__ = ["smtp_server"]


@pytest.fixture
def https_base(settings):
    settings.BASE_URL = "https://varde.test"


@pytest.fixture(autouse=True)
def local_smtp_allowed(settings):
    """The test mail server listens on 127.0.0.1, which only this lets past the SSRF guard."""
    settings.VARDE_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def newsletter(workspace, owner, smtp_server, https_base):
    """A newsletter channel on the local SMTP server, verified by logging in, and its list."""
    channel, subscriber_list = services.newsletter_channel_create(
        workspace=workspace,
        actor=owner,
        label="Nyhetsbrev",
        host=smtp_server.host,
        port=smtp_server.port,
        security="none",  # the test server speaks plain SMTP on 127.0.0.1 only
        username=USER,
        password=PASSWORD,
        from_address="nyheter@bryggensykkel.test",
        from_name="Bryggen Sykkel",
        list_name="Sykkelnytt",
        rate_per_minute=0,
    )
    return channel, subscriber_list
