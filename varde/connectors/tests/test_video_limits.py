"""Each network's documented video length and shape, checked before any call is made."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from varde.connectors import registry
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.capabilities import Capability
from varde.connectors.checks import Problem, problems
from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import Rejected
from varde.connectors.linkedin.api import LIMITS as LINKEDIN
from varde.connectors.mastodon.api import DEFAULT_LIMITS as MASTODON
from varde.connectors.meta.instagram import InstagramConnector
from varde.connectors.meta.threads import ThreadsConnector
from varde.connectors.x.api import LIMITS as X_LIMITS
from varde.connectors.x.connector import XConnector
from varde.connectors.youtube.api import LIMITS as YOUTUBE

if TYPE_CHECKING:
    from varde.connectors.tests.conftest import FakeNetwork


def clip(seconds: float | None, width: int = 1280, height: int = 720) -> MediaItem:
    return MediaItem(
        mime_type="video/mp4",
        data=b"\0" * 64,
        width=width,
        height=height,
        duration_seconds=seconds,
        public_url="https://varde.example.no/m/t/clip.mp4",
    )


def request(*media: MediaItem) -> PublishRequest:
    return PublishRequest(text="Look", idempotency_key="k", media=media)


@pytest.mark.parametrize(
    ("limits", "shortest", "longest"),
    [
        (XConnector.limits, 0.5, 125 * 60),
        (BlueskyConnector.limits, None, 3 * 60),
        (ThreadsConnector.limits, None, 300),
        (InstagramConnector.limits, 3, 15 * 60),
        (YOUTUBE, None, 12 * 3600),
        (LINKEDIN, 3, 30 * 60),
        (MASTODON, None, None),
    ],
)
def test_documented_lengths_hold_at_their_edges(limits, shortest, longest):
    def length_problems(seconds: float) -> list[Problem]:
        # Only the length matters here, not the shape or the file type.
        return [
            p
            for p in problems(request(clip(seconds)), limits)
            if p.code in {"video_too_long", "video_too_short"}
        ]

    if shortest is not None:
        assert not length_problems(shortest)
        [problem] = length_problems(shortest - 0.1)
        assert problem == Problem(
            "video_too_short", {"number": 1, "seconds": shortest - 0.1, "limit": shortest}
        )
    if longest is not None:
        assert not length_problems(longest)
        [problem] = length_problems(longest + 1)
        assert problem == Problem(
            "video_too_long", {"number": 1, "seconds": longest + 1, "limit": longest}
        )
    else:
        assert not length_problems(24 * 3600)


def test_shape_and_unknown_values():
    limits = XConnector.limits
    [problem] = problems(request(clip(10, width=1080, height=3840)), limits)
    assert problem == Problem(
        "video_aspect", {"number": 1, "width": 1080, "height": 3840, "low": 1 / 3, "high": 3}
    )
    # What the file did not say is not checked (the network will, when it processes it).
    assert not problems(request(clip(None, width=0, height=0)), limits)
    assert not problems(request(clip(10, width=100, height=3000)), MASTODON)


def test_every_video_network_documents_a_length_or_says_why_not():
    # Mastodon documents none (None on purpose); every other video network has a cap.
    for key in ("x", "bluesky", "threads", "instagram", "youtube", "linkedin"):
        connector = registry.get(key)
        assert Capability.VIDEO in connector.capabilities
        assert connector.limits.max_video_seconds is not None, key


def test_x_refuses_a_too_short_video_before_any_call(fake: FakeNetwork):
    connector = XConnector(
        credentials=Credentials(access_token="t", extra={"user_id": "1", "username": "v"}),
        config={"client_id": "c"},
        client=fake.client(),
        sleep=lambda _: None,
    )
    with pytest.raises(Rejected, match=r"video_too_short\(number=1, seconds=0.3, limit=0.5\)"):
        connector.publish(request(clip(0.3)))
    assert fake.requests == []


@pytest.mark.parametrize(
    "limits", [X_LIMITS, MASTODON, LINKEDIN], ids=["x", "mastodon", "linkedin"]
)
def test_a_video_with_other_files_is_refused_where_the_network_says_so(limits):
    photo = MediaItem(mime_type="image/jpeg", data=b"\xff\xd8" + b"\0" * 62, alt_text="A bike")
    assert Problem("video_not_alone") in problems(request(clip(30), photo), limits)
    assert Problem("video_not_alone") not in problems(request(clip(30)), limits)
