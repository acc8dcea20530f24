"""The engine sends the whole post, not just its text: what the composer prepared for the
channel (``post_content_for``: link with UTM, thread, first comment, media), each where the
channel's network can take it (found by the Bluesky end-to-end test)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
import time_machine
from django.core.files.base import ContentFile

from varde.channels.services import channel_connect
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Limits, PublishRequest, PublishResult
from varde.content.models import PostMedia
from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState
from varde.publishing.tests.conftest import NOON
from varde.sandbox.models import SandboxPost

pytestmark = pytest.mark.django_db
W = "test-worker"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class RecordingConnector:
    """Takes threads, first comments and images, and remembers what it was asked to send."""

    key: ClassVar[str] = "recording"
    label: ClassVar[str] = "Recording"
    capabilities: ClassVar[Capability] = (
        Capability.TEXT | Capability.THREADS | Capability.FIRST_COMMENT | Capability.IMAGES
    )

    def __init__(self) -> None:
        self.sent: list[PublishRequest] = []

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def effective_limits(self) -> Limits:
        return Limits(text_max=500, max_media=4, threads=True)

    def publish(self, request: PublishRequest) -> PublishResult:
        self.sent.append(request)
        return PublishResult(network_post_id="p1", url="https://example.test/p1", published_at=NOON)


def _fill(post: Any) -> None:
    post.thread = ["Part two", "  ", "Part three"]
    post.first_comment = "Tickets: see the link"
    post.link_url = "https://example.test/tickets"
    post.save()
    PostMedia.objects.create(
        post=post,
        file=ContentFile(PNG, name="a.png"),
        kind=PostMedia.Kind.IMAGE,
        mime_type="image/png",
        size_bytes=len(PNG),
        alt_text="A blue square",
    )


def test_thread_first_comment_link_and_media_are_sent(post, workspace, editor, monkeypatch):
    _fill(post)
    # A Bluesky channel (threads, first comments, images), answered by a recording connector.
    channel = channel_connect(workspace=workspace, connector_key="bluesky", label="Bluesky")
    recording = RecordingConnector()
    monkeypatch.setattr(engine, "connector_for", lambda channel: recording)
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)

    [request] = recording.sent
    assert request.thread == ("Part two", "Part three")
    assert request.first_comment == "Tickets: see the link"
    # The composer's link for this channel: the post's link with the channel's UTM parameters.
    assert request.link is not None
    assert request.link.startswith("https://example.test/tickets?utm_source=bluesky")
    assert request.full_text == f"Hello from Varde\n\n{request.link}"
    [image] = request.media
    assert (image.mime_type, image.alt_text, image.read_bytes()) == (
        "image/png",
        "A blue square",
        PNG,
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    # The reconciler looks for the text exactly as sent, link included.
    assert delivery.attempts.get().request_summary["text"] == request.full_text


def test_parts_a_network_cannot_take_are_left_out(post, channel, editor):
    _fill(post)  # the sandbox takes text only: no threads, comments or images
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED, delivery.last_error
    text = SandboxPost.objects.get().text
    assert text.startswith("Hello from Varde\n\nhttps://example.test/tickets?utm_source=sandbox")


class RecordingVideoConnector(RecordingConnector):
    capabilities: ClassVar[Capability] = Capability.TEXT | Capability.VIDEO


def test_a_video_carries_its_length_and_size_to_the_connector(post, workspace, editor, monkeypatch):
    # The connector's own limit check needs what Varde read from the file at upload.
    PostMedia.objects.create(
        post=post,
        file=ContentFile(b"\0" * 64, name="clip.mp4"),
        kind=PostMedia.Kind.VIDEO,
        mime_type="video/mp4",
        size_bytes=64,
        width=1080,
        height=1920,
        duration_seconds=190.5,
    )
    channel = channel_connect(workspace=workspace, connector_key="bluesky", label="Bluesky")
    recording = RecordingVideoConnector()
    monkeypatch.setattr(engine, "connector_for", lambda channel: recording)
    services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)
    [video] = recording.sent[0].media
    assert (video.mime_type, video.width, video.height, video.duration_seconds) == (
        "video/mp4",
        1080,
        1920,
        190.5,
    )
