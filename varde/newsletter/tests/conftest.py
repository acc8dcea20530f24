from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from varde.channels.connect_methods import credential_method
from varde.channels.connecting import verify_credentials
from varde.channels.services import channel_connect_verified
from varde.connectors.tests.smtpd import PASSWORD, USER, smtp_server
from varde.newsletter import services

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.newsletter.models import SubscriberList

__all__ = ["connect_newsletter", "smtp_server"]


def connect_newsletter(
    *,
    workspace: Workspace,
    owner: User,
    host: str,
    port: int,
    user: str = USER,
    password: str = PASSWORD,
    from_address: str = "nyheter@bryggensykkel.test",
    from_name: str = "",
    label: str = "Nyhetsbrev",
    list_name: str = "",
) -> tuple[ConnectedAccount, SubscriberList]:
    """Connect a newsletter as a person does: the channels page's connect form (its fields, as
    the connector declares them) checked by logging in to the server, the channel stored by
    the channels app, then a list made for it on the newsletter page."""
    verified = verify_credentials(
        method=credential_method("newsletter"),
        values={
            "host": host,
            "port": str(port),
            "security": "none",  # the test server speaks plain SMTP on 127.0.0.1 only
            "user": user,
            "password": password,
            "from": from_address,
            "from_name": from_name,
        },
    )
    channel = channel_connect_verified(
        workspace=workspace, verified=verified, actor=owner, label=label
    )
    subscriber_list = services.list_create(
        workspace=workspace, channel=channel, name=list_name or label, actor=owner
    )
    return channel, subscriber_list


@pytest.fixture
def https_base(settings):
    settings.BASE_URL = "https://varde.test"


@pytest.fixture(autouse=True)
def local_smtp_allowed(settings):
    """The test mail server listens on 127.0.0.1, which only this lets past the SSRF guard."""
    settings.VARDE_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def newsletter(workspace, owner, smtp_server, https_base):
    """A newsletter channel on the local SMTP server, connected as the UI does, and its list."""
    channel, subscriber_list = connect_newsletter(
        workspace=workspace,
        owner=owner,
        host=smtp_server.host,
        port=smtp_server.port,
        from_name="Bryggen Sykkel",
        list_name="Sykkelnytt",
    )
    # An operator's setting the connect form does not offer: no pause between test mails.
    channel.config = {**channel.config, "rate_per_minute": "0"}
    channel.save(update_fields=["config"])
    return channel, subscriber_list
