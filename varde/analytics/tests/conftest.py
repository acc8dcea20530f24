"""Read-back tests: Bluesky over respx with the connectors' documented fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from varde.channels import services as channel_services
from varde.connectors.contracts import Credentials
from varde.connectors.tests.conftest import load as fixture  # the documented answers
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery

PDS = "https://pds.example"
XRPC = f"{PDS}/xrpc/"
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
HEAD_URI = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Forecasts and period sums are cached (goals, selectors); ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def bluesky_channel(workspace, owner, label: str = "Bluesky"):
    return channel_services.channel_connect(
        workspace=workspace,
        connector_key="bluesky",
        label=label,
        handle="varde.bsky.social",
        credentials=Credentials(
            access_token="access",
            refresh_token="refresh",
            expires_at=NOW + timedelta(days=3650),
            extra={"did": "did:plc:z72i7hdynmk6r22z27h6tvur"},
        ),
        config={"service": PDS},
        actor=owner,
    )


def published(channel, *, network_post_id: str = HEAD_URI, at: datetime | None = None):
    post = post_create(
        workspace=channel.workspace,
        author=None,
        text="Høstkampanjen starter i dag!",
        approval_state=ApprovalState.APPROVED,
    )
    return Delivery.objects.create(
        workspace=channel.workspace,
        post=post,
        channel=channel,
        state=DeliveryState.PUBLISHED,
        network_post_id=network_post_id,
        network_url="https://bsky.app/profile/varde.bsky.social/post/3l6oveex3ii2l",
        published_at=at or NOW - timedelta(hours=2),
    )


@pytest.fixture
def bluesky_routes(respx_mock):
    """The PDS answers getPosts, listNotifications and getPostThread from the documented
    fixtures: the post counts 3 replies, the notifications give one of them, the thread two
    (and the account's own thread part)."""
    return {
        "metrics": respx_mock.get(f"{XRPC}app.bsky.feed.getPosts").respond(
            json=fixture("bluesky", "getPosts")
        ),
        "mentions": respx_mock.get(f"{XRPC}app.bsky.notification.listNotifications").respond(
            json=fixture("bluesky", "listNotifications")
        ),
        "thread": respx_mock.get(f"{XRPC}app.bsky.feed.getPostThread").respond(
            json=fixture("bluesky", "getPostThread")
        ),
        # Followers, read once a day.
        "profile": respx_mock.get(f"{XRPC}app.bsky.actor.getProfile").respond(
            json=fixture("bluesky", "getProfile")
        ),
    }
