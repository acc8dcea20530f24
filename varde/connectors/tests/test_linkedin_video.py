"""LinkedIn video over the Videos API: ranges PUT in order, finalize with the etags, wait for
AVAILABLE, then the post; every failure typed, nothing posted before the video is ready."""

from pathlib import Path

import httpx
import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import AuthExpired, OutcomeUnknown, RateLimited, Rejected, Transient
from varde.connectors.linkedin.connector import LinkedInConnector
from varde.connectors.tests.conftest import FakeNetwork, fail, load, reply
from varde.connectors.tests.test_contract import PNG

ORG = "urn:li:organization:2414183"
POST = "urn:li:share:7280000000000000001"
VIDEO = "urn:li:video:C5F10AQGKQg_6y2a4sQ"
PARTS = "/dms-uploads/sp/v2/C5F10AQGKQg_6y2a4sQ/uploadedVideo"
ETAGS = (
    "/ambry-video/signedId/AQHa-part1",
    "/ambry-video/signedId/AQHb-part2",
    "/ambry-video/signedId/AQHc-part3",
)


def _video_routes(fake: FakeNetwork, init: str = "videos_initialize", **steps: object) -> None:
    """Every step answers as documented unless ``steps`` replaces it (initialize, part,
    finalize, status, post)."""
    etags = [reply(200, headers={"etag": etag}) for etag in ETAGS]
    answers = {
        "initialize": reply(200, load("linkedin", init)),
        "finalize": reply(200),
        "part": etags,
        "status": [
            reply(200, load("linkedin", "video_processing")),
            reply(200, load("linkedin", "video_available")),
        ],
        "post": reply(201, None, headers={"x-restli-id": POST}),
    } | steps
    # initializeUpload and finalizeUpload share the path; the fake answers them in turn.
    fake.on("POST", "/rest/videos", answers["initialize"], answers["finalize"])
    fake.on(
        "PUT", PARTS, *(answers["part"] if isinstance(answers["part"], list) else [answers["part"]])
    )
    fake.on(
        "GET",
        f"/rest/videos/{VIDEO}",
        *(answers["status"] if isinstance(answers["status"], list) else [answers["status"]]),
    )
    fake.on("POST", "/rest/posts", answers["post"])


def _video_connector(fake: FakeNetwork, slept: list[float] | None = None) -> LinkedInConnector:
    return LinkedInConnector(
        credentials=Credentials(access_token="li-token"),
        config={"client_id": "li", "client_secret": "s", "organization_id": "2414183"},
        client=fake.client(),
        sleep=(slept if slept is not None else []).append,
    )


def _clip(data: bytes = b"\x00" * 1_055_736, seconds: float = 42.0) -> MediaItem:
    return MediaItem(
        mime_type="video/mp4", data=data, duration_seconds=seconds, width=1920, height=1080
    )


def _video_request(*media: MediaItem, title: str | None = None) -> PublishRequest:
    return PublishRequest(
        text="Fra dugnaden", media=media or (_clip(),), title=title, idempotency_key="v"
    )


def test_video_goes_up_in_parts_from_disk_and_is_posted_once_available(
    fake: FakeNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size, part = 10 * 1024 * 1024, 4 * 1024 * 1024
    movie = tmp_path / "dugnad.mp4"
    movie.write_bytes(bytes([1]) * part + bytes([2]) * part + bytes([3]) * (size - 2 * part))
    # The file is streamed range by range; reading it whole would fail here.
    monkeypatch.setattr(MediaItem, "read_bytes", lambda self: pytest.fail("read whole"))
    _video_routes(fake)
    slept: list[float] = []
    item = MediaItem(
        mime_type="video/mp4", path=movie, duration_seconds=42.0, width=1920, height=1080
    )
    result = _video_connector(fake, slept).publish(_video_request(item, title="Dugnad 2025"))
    assert result.network_post_id == POST
    assert [(r.method, r.url.path) for r in fake.requests] == [
        ("POST", "/rest/videos"),
        *[("PUT", PARTS)] * 3,
        ("POST", "/rest/videos"),
        ("GET", f"/rest/videos/{VIDEO}"),
        ("GET", f"/rest/videos/{VIDEO}"),
        ("POST", "/rest/posts"),
    ]
    init, finalize = fake.calls("POST", "/rest/videos")
    assert (init.url.params["action"], finalize.url.params["action"]) == (
        "initializeUpload",
        "finalizeUpload",
    )
    assert fake.json_sent("POST", "/rest/videos") == {
        "initializeUploadRequest": {
            "owner": ORG,
            "fileSizeBytes": size,
            "uploadCaptions": False,
            "uploadThumbnail": False,
        }
    }
    puts = fake.calls("PUT", PARTS)
    assert [put.url.params["partNumber"] for put in puts] == ["1", "2", "3"]
    assert [len(put.content) for put in puts] == [part, part, size - 2 * part]
    assert [set(put.content) for put in puts] == [{1}, {2}, {3}]
    assert {put.headers["Content-Type"] for put in puts} == {"application/octet-stream"}
    # Streamed with its length declared, not in chunked encoding.
    assert puts[0].headers["Content-Length"] == str(part)
    assert "Transfer-Encoding" not in puts[0].headers
    assert fake.json_sent("POST", "/rest/videos", 1) == {
        "finalizeUploadRequest": {
            "video": VIDEO,
            "uploadToken": "ViYRmBkmz2QxZH1FiT8nUYx8KJrEcyg0o5Akg0n6nDz3fcS3OJMw7Q==",
            "uploadedPartIds": list(ETAGS),
        }
    }
    assert finalize.headers["LinkedIn-Version"].isdigit()
    assert slept == [LinkedInConnector.video_poll_interval]
    body = fake.json_sent("POST", "/rest/posts")
    assert body["content"] == {"media": {"id": VIDEO, "title": "Dugnad 2025"}}
    assert body["author"] == ORG
    assert body["commentary"] == "Fra dugnaden"


def test_single_part_video_without_a_title(fake: FakeNetwork) -> None:
    _video_routes(
        fake,
        "videos_initialize_single",
        part=reply(200, headers={"etag": ETAGS[0]}),
        status=reply(200, load("linkedin", "video_available")),
    )
    clip = _clip()
    _video_connector(fake).publish(_video_request(clip))
    assert fake.calls("PUT", PARTS)[0].content == clip.data
    assert fake.json_sent("POST", "/rest/videos", 1)["finalizeUploadRequest"][
        "uploadedPartIds"
    ] == [ETAGS[0]]
    assert fake.json_sent("POST", "/rest/posts")["content"] == {"media": {"id": VIDEO}}


def test_processing_failed_is_refused_and_nothing_is_posted(fake: FakeNetwork) -> None:
    _video_routes(
        fake,
        "videos_initialize_single",
        status=reply(200, load("linkedin", "video_processing_failed")),
    )
    with pytest.raises(Rejected, match="could not process the video") as caught:
        _video_connector(fake).publish(_video_request())
    assert caught.value.code == "PROCESSING_FAILED"
    assert not fake.calls("POST", "/rest/posts")


def test_still_processing_after_the_wait_is_transient(
    fake: FakeNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LinkedInConnector, "video_poll_attempts", 3)
    _video_routes(
        fake, "videos_initialize_single", status=reply(200, load("linkedin", "video_processing"))
    )
    slept: list[float] = []
    with pytest.raises(Transient, match="still processing"):
        _video_connector(fake, slept).publish(_video_request())
    assert len(fake.calls("GET", f"/rest/videos/{VIDEO}")) == 3
    assert len(slept) == 2  # no pointless wait after the last look
    assert not fake.calls("POST", "/rest/posts")


_STEPS = ("initialize", "part", "finalize", "status", "post")


@pytest.mark.parametrize("step", _STEPS)
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (reply(401, load("linkedin", "error_revoked")), AuthExpired),
        (reply(429, None, headers={"Retry-After": "60"}), RateLimited),
        (reply(503, raw=b"<html>Service Unavailable</html>"), Transient),
    ],
    ids=["401", "429", "503"],
)
def test_errors_at_every_step_are_typed_and_stop_there(
    fake: FakeNetwork, step: str, answer: object, error: type[Exception]
) -> None:
    _video_routes(fake, "videos_initialize_single", **{step: answer})
    with pytest.raises(error):
        _video_connector(fake).publish(_video_request())
    reached = {
        "initialize": len(fake.calls("POST", "/rest/videos")) >= 1,
        "part": bool(fake.calls("PUT", PARTS)),
        "finalize": len(fake.calls("POST", "/rest/videos")) == 2,
        "status": bool(fake.calls("GET", f"/rest/videos/{VIDEO}")),
        "post": bool(fake.calls("POST", "/rest/posts")),
    }
    assert [name for name in _STEPS if reached[name]] == list(_STEPS[: _STEPS.index(step) + 1])


def test_failure_after_the_upload_started_sends_no_more_and_posts_nothing(
    fake: FakeNetwork,
) -> None:
    # Part 2 of 3 times out: the upload is invisible until a post points at it, so this is
    # Transient (a later publish starts a fresh upload), not OutcomeUnknown.
    _video_routes(fake, part=[reply(200, headers={"etag": ETAGS[0]}), fail(httpx.ReadTimeout)])
    with pytest.raises(Transient):
        _video_connector(fake).publish(_video_request(_clip(b"\x07" * (10 * 1024 * 1024))))
    assert len(fake.calls("PUT", PARTS)) == 2
    assert len(fake.calls("POST", "/rest/videos")) == 1  # never finalized
    assert not fake.calls("POST", "/rest/posts")


def test_post_lost_after_the_video_is_outcome_unknown(fake: FakeNetwork) -> None:
    _video_routes(fake, "videos_initialize_single", post=reply(504, raw=b"Gateway Timeout"))
    with pytest.raises(OutcomeUnknown):
        _video_connector(fake).publish(_video_request())


def test_part_without_etag_or_instructions_that_miss_bytes_are_transient(fake: FakeNetwork) -> None:
    _video_routes(fake, "videos_initialize_single", part=reply(200))
    with pytest.raises(Transient, match="no etag"):
        _video_connector(fake).publish(_video_request())
    short = FakeNetwork()
    _video_routes(short, "videos_initialize_single")
    with pytest.raises(Transient, match="do not cover"):
        _video_connector(short).publish(_video_request(_clip(b"\x00" * 2_000_000)))
    assert not short.calls("PUT", PARTS)


@pytest.mark.parametrize(
    "media",
    [
        (_clip(), MediaItem(mime_type="image/png", data=PNG)),
        (_clip(), _clip()),
        (_clip(seconds=2.0),),
        (MediaItem(mime_type="video/quicktime", data=b"\x00" * 64),),
    ],
    ids=["video-and-image", "two-videos", "too-short", "not-mp4"],
)
def test_video_posts_linkedin_cannot_take_are_refused_before_any_call(
    fake: FakeNetwork, media: tuple[MediaItem, ...]
) -> None:
    with pytest.raises(Rejected) as caught:
        _video_connector(fake).publish(_video_request(*media))
    assert caught.value.code == "limits"
    assert fake.requests == []
