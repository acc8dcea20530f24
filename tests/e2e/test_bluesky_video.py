"""Bluesky video posts against the real local network (docs/e2e-tests.md).

The PDS and AppView are Bluesky's own code (@atproto/dev-env); the network has no video
service, so the video-service path runs against a stand-in that stores the file on the real
PDS with the connector's service-auth token (``bluesky_video_service``): the PDS decides
whether that token is right. The PDS path needs no stand-in.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from tests.e2e.bluesky_accounts import Account, get_record
from tests.e2e.bluesky_video_service import video_service
from tests.e2e.peers import port_base
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.contracts import MediaItem, PublishRequest
from varde.content.tests import videofiles

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky")]


@pytest.fixture(scope="module")
def carol(bluesky_network: BlueskyNetwork) -> Account:
    return Account.sign_up(bluesky_network, "carol")


def _connector(account: Account, **config: str) -> BlueskyConnector:
    """Signed in with an app password of its own (their names are unique per account)."""
    config = {"service": account.network.pds_url, **config}
    credentials = BlueskyConnector(config=config).login(
        identifier=account.handle, secret=account.app_password(f"Varde {uuid.uuid4().hex[:8]}")
    )
    return BlueskyConnector(
        credentials=credentials,
        config=config,
        sleep=lambda _: None,  # the stand-in's job is done at the first look
    )


def _clip(alt: str) -> MediaItem:
    data = videofiles.mp4(seconds=4, width=1280, height=720)
    return MediaItem(
        mime_type="video/mp4",
        data=data,
        alt_text=alt,
        width=1280,
        height=720,
        duration_seconds=4,
    )


def _video_view(network: BlueskyNetwork, account: Account, uri: str) -> dict:
    def embed() -> dict | None:
        posts = account.call("app.bsky.feed.getPosts", params={"uris": [uri]})["posts"]
        return posts[0].get("embed") if posts else None

    return network.until(embed) or {}


def test_a_video_straight_to_the_pds(bluesky_network: BlueskyNetwork, carol: Account):
    connector = _connector(carol, video_upload="pds")
    result = connector.publish(
        PublishRequest(
            text="Sankthansbål 🔥",
            idempotency_key=uuid.uuid4().hex,
            media=(_clip("Bål på stranda i kveld"),),
        )
    )
    embed = get_record(bluesky_network, result.network_post_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert embed["video"]["mimeType"] == "video/mp4"
    assert embed["alt"] == "Bål på stranda i kveld"
    assert embed["aspectRatio"] == {"width": 1280, "height": 720}

    # The AppView shows it as a video, with the alt text and shape Bluesky's app will use.
    view = _video_view(bluesky_network, carol, result.network_post_id)
    assert view["$type"] == "app.bsky.embed.video#view"
    assert view["cid"] == embed["video"]["ref"]["$link"]
    assert view["alt"] == "Bål på stranda i kveld"
    assert view["aspectRatio"] == {"width": 1280, "height": 720}


def test_the_video_service_flow_with_the_pdss_own_service_auth(
    bluesky_network: BlueskyNetwork, carol: Account
):
    with video_service(bluesky_network.pds_url, port_base() + 9) as service:
        connector = _connector(carol, video_service=service.url)
        result = connector.publish(
            PublishRequest(
                text="Via videotjenesten",
                idempotency_key=uuid.uuid4().hex,
                media=(_clip("Bølger"),),
            )
        )
    limits_token, upload_token = service.seen_tokens
    assert limits_token["aud"] == "did:web:127.0.0.1"
    assert limits_token["lxm"] == "app.bsky.video.getUploadLimits"
    # The real PDS took the file with this token: its audience and method were right.
    assert upload_token["aud"] == "did:web:localhost"
    assert upload_token["lxm"] == "com.atproto.repo.uploadBlob"
    assert upload_token["iss"] == carol.did
    assert 25 * 60 < upload_token["exp"] - upload_token["iat"] <= 30 * 60

    embed = get_record(bluesky_network, result.network_post_id)["value"]["embed"]
    [job] = service.jobs.values()
    assert embed["video"] == job["blob"]
    view = _video_view(bluesky_network, carol, result.network_post_id)
    assert view["$type"] == "app.bsky.embed.video#view"
    assert view["alt"] == "Bølger"
