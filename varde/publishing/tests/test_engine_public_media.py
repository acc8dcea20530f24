"""Networks that download media (Instagram, Threads) get a signed public address for each file
from the engine, and a post with media fails with a clear reason, before any call, when Varde
has no public address (``content.public_media``)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client

from varde.channels.services import channel_connect
from varde.connectors.contracts import Credentials
from varde.connectors.meta.instagram import InstagramConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.content.models import PostMedia
from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState, FailureKind
from varde.publishing.tests.conftest import NOON

pytestmark = pytest.mark.django_db
W = "test-worker"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
IG = "/v21.0/17841405822304914"
CONTAINER = "/v21.0/17889455560051444"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def instagram(workspace, monkeypatch):
    """An Instagram channel answered by Instagram's recorded replies (connectors fixtures)."""
    fake = FakeNetwork()
    fake.on(
        "GET", f"{IG}/content_publishing_limit", reply(200, load("instagram", "publishing_limit"))
    )
    fake.on("POST", f"{IG}/media", reply(200, load("instagram", "container_created")))
    fake.on("GET", CONTAINER, reply(200, load("instagram", "container_finished")))
    fake.on("POST", f"{IG}/media_publish", reply(200, load("instagram", "media_published")))
    fake.on("GET", "/v21.0/17920238422030506", reply(200, load("instagram", "permalink")))
    connector = InstagramConnector(
        credentials=Credentials(access_token="ig-token", extra={"username": "varde.norge"}),
        config={"client_id": "fb", "client_secret": "s", "ig_user_id": "17841405822304914"},
        client=fake.client(),
        sleep=lambda _: None,
    )
    monkeypatch.setattr(engine, "connector_for", lambda channel: connector)
    channel = channel_connect(workspace=workspace, connector_key="instagram", label="Instagram")
    return channel, fake


def _with_photo(post):
    PostMedia.objects.create(
        post=post,
        file=ContentFile(JPEG, name="bal.jpg"),
        kind=PostMedia.Kind.IMAGE,
        mime_type="image/jpeg",
        size_bytes=len(JPEG),
        alt_text="Ballet",
    )


def test_instagram_gets_a_signed_address_that_serves_the_file(settings, post, editor, instagram):
    settings.BASE_URL = "https://varde.example.no"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no"]
    channel, fake = instagram
    _with_photo(post)
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.PUBLISHED, delivery.last_error
        image_url = fake.json_sent("POST", f"{IG}/media")["image_url"]
        assert image_url.startswith("https://varde.example.no/m/")
        assert image_url.endswith("/bal.jpg")
        # What Instagram's servers then fetch: the file itself, without logging in.
        response = Client().get(urlsplit(image_url).path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    # The live address is not kept in the attempt's record.
    assert image_url not in str(delivery.attempts.get().request_summary)


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000", "https://localhost"])
def test_without_a_public_address_the_post_fails_before_any_call(
    settings, post, editor, instagram, address
):
    settings.BASE_URL = address
    channel, fake = instagram
    _with_photo(post)
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.failure_kind == FailureKind.MISCONFIGURED
    assert "VARDE_BASE_URL" in delivery.last_error
    assert fake.requests == []
