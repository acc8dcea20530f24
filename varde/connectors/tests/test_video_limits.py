"""Each network's documented video length and shape, checked before any call is made."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from varde.connectors import registry
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.capabilities import Capability
from varde.connectors.checks import clock, problems, ratio
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


def test_lengths_and_ratios_in_plain_words():
    assert [clock(s) for s in (0.5, 140, 140.4, 300, 4500, 43_200)] == [
        "0.5 s",
        "2 min 20 s",
        "2 min 20.4 s",
        "5 min",
        "1 h 15 min",
        "12 h",
    ]
    assert [ratio(a) for a in (1 / 3, 3, 0.01, 10, 1 / 2.4)] == [
        "1:3",
        "3:1",
        "1:100",
        "10:1",
        "1:2.4",
    ]


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
    def length_problems(seconds: float) -> list[str]:
        # Only the length matters here, not the shape or the file type.
        return [p for p in problems(request(clip(seconds)), limits) if "video of" in p]

    if shortest is not None:
        assert not length_problems(shortest)
        [problem] = length_problems(shortest - 0.1)
        assert f"it must be at least {clock(shortest)}" in problem
    if longest is not None:
        assert not length_problems(longest)
        [problem] = length_problems(longest + 1)
        assert f"the limit is {clock(longest)}" in problem
    else:
        assert not length_problems(24 * 3600)


def test_shape_and_unknown_values():
    limits = XConnector.limits
    [problem] = problems(request(clip(10, width=1080, height=3840)), limits)
    assert problem == (
        "Media file 1 is 1080x3840 pixels; the width-to-height ratio must be between 1:3 and 3:1."
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
    with pytest.raises(Rejected, match=r"Media file 1 is a video of 0\.3 s"):
        connector.publish(request(clip(0.3)))
    assert fake.requests == []


@pytest.mark.parametrize(
    "limits", [X_LIMITS, MASTODON, LINKEDIN], ids=["x", "mastodon", "linkedin"]
)
def test_a_video_with_other_files_is_refused_where_the_network_says_so(limits):
    photo = MediaItem(mime_type="image/jpeg", data=b"\xff\xd8" + b"\0" * 62, alt_text="A bike")
    assert "A post with a video holds that one video and no other file." in problems(
        request(clip(30), photo), limits
    )
    assert not any("no other file" in problem for problem in problems(request(clip(30)), limits))
