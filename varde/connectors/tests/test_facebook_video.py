"""Facebook Page videos: the resumable upload's byte ranges, a chunk that fails, the finish
whose answer is lost, and what delete, comments, metrics and reconciliation do with a video id.
Answers follow developers.facebook.com/docs/graph-api/video-uploads (fixtures/facebook/README)."""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import OutcomeUnknown, Rejected, Transient
from varde.connectors.meta import graph_api
from varde.connectors.meta.facebook import FacebookConnector
from varde.connectors.tests.conftest import FakeNetwork, fail, load, reply
from varde.connectors.tests.test_contract import PNG

PAGE = "104512345678901"
VIDEOS = f"/v21.0/{PAGE}/videos"
VIDEO_ID = "1564747010440105"
SESSION = "1564747013773438"
CONTENT = bytes(range(64))  # 64 bytes: the fixtures' ranges are 0-40 and 40-64


def _connector(fake: FakeNetwork) -> FacebookConnector:
    return FacebookConnector(
        credentials=Credentials(access_token="page-token", extra={"page_id": PAGE}),
        config={"client_id": "fb", "client_secret": "s", "page_id": PAGE},
        client=fake.client(),
    )


def _video_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MediaItem:
    path = tmp_path / "fest.mp4"
    path.write_bytes(CONTENT)

    def whole_file(self: MediaItem) -> bytes:
        raise AssertionError("the whole video was read into memory")

    monkeypatch.setattr(MediaItem, "read_bytes", whole_file)
    return MediaItem(mime_type="video/mp4", path=path, alt_text="Folk som danser")


def _fields(request: httpx.Request) -> dict[str, str]:
    """The form fields of a multipart or url-encoded request (not the file part)."""
    body = request.content
    if request.headers["content-type"].startswith("application/x-www-form-urlencoded"):
        return {key: values[0] for key, values in parse_qs(body.decode()).items()}
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    fields = {}
    for part in body.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="' in head and b"filename=" not in head:
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = value.removesuffix(b"\r\n").decode()
    return fields


def _chunk(request: httpx.Request) -> bytes:
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    for part in request.content.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="video_file_chunk"' in head:
            return value.removesuffix(b"\r\n")
    raise AssertionError("no video_file_chunk")


def _phases(fake: FakeNetwork) -> list[str]:
    return [_fields(request)["upload_phase"] for request in fake.calls("POST", VIDEOS)]


def _upload_answers(fake: FakeNetwork, *transfer_answers: object) -> None:
    """Answers in the order the phases come: start, the transfers, finish."""
    answers = [reply(200, load("facebook", "video_start")), *transfer_answers]
    answers.append(reply(200, load("facebook", "video_finish")))
    fake.on("POST", VIDEOS, *answers)  # type: ignore[arg-type]


def _request(item: MediaItem, **kwargs: object) -> PublishRequest:
    return PublishRequest(
        text="Se filmen fra sommerfesten 🎉",
        idempotency_key="video-1",
        media=(item,),
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_video_goes_up_in_the_ranges_facebook_asks_for(
    fake: FakeNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _upload_answers(
        fake,
        reply(200, load("facebook", "video_transfer")),
        reply(200, load("facebook", "video_transfer_last")),
    )
    item = _video_on_disk(tmp_path, monkeypatch)
    result = _connector(fake).publish(_request(item, title="Sommerfest"))

    assert _phases(fake) == ["start", "transfer", "transfer", "finish"]
    start, first, second, finish = fake.calls("POST", VIDEOS)
    assert _fields(start) == {"upload_phase": "start", "file_size": "64"}
    assert start.headers["Authorization"] == "Bearer page-token"
    assert _fields(first) == {
        "upload_phase": "transfer",
        "upload_session_id": SESSION,
        "start_offset": "0",
    }
    assert _chunk(first) == CONTENT[:40]
    assert _fields(second)["start_offset"] == "40"
    assert _chunk(second) == CONTENT[40:]
    assert _fields(finish) == {
        "upload_phase": "finish",
        "upload_session_id": SESSION,
        "description": "Se filmen fra sommerfesten 🎉",
        "title": "Sommerfest",
    }
    # The video id is the post id; Facebook may still be processing it, which is no error.
    assert result.network_post_id == VIDEO_ID
    assert result.url == f"https://www.facebook.com/{PAGE}/videos/{VIDEO_ID}/"
    assert not fake.calls("POST", f"/v21.0/{PAGE}/feed")


def test_a_chunk_that_fails_is_sent_again_from_the_same_offset(fake: FakeNetwork) -> None:
    _upload_answers(
        fake,
        reply(200, load("facebook", "video_transfer")),
        reply(503, raw=b"Service Unavailable"),
        fail(httpx.ReadTimeout),
        reply(200, load("facebook", "video_transfer_last")),
    )
    item = MediaItem(mime_type="video/mp4", data=CONTENT)
    result = _connector(fake).publish(_request(item))

    transfers = fake.calls("POST", VIDEOS)[1:-1]
    assert [_fields(request)["start_offset"] for request in transfers] == ["0", "40", "40", "40"]
    assert {_chunk(request) for request in transfers[1:]} == {CONTENT[40:]}
    assert result.network_post_id == VIDEO_ID


def test_a_transfer_that_keeps_failing_stops_before_anything_is_published(
    fake: FakeNetwork,
) -> None:
    """What the engine sees: a Transient with nothing published (an unfinished upload is never
    shown), so sending the post again later is right, and no finish was sent."""
    fake.on(  # the last answer repeats: every later chunk fails
        "POST",
        VIDEOS,
        reply(200, load("facebook", "video_start")),
        reply(200, load("facebook", "video_transfer")),
        reply(500, raw=b"oops"),
    )
    item = MediaItem(mime_type="video/mp4", data=CONTENT)
    with pytest.raises(Transient) as caught:
        _connector(fake).publish(_request(item, first_comment="Flere bilder kommer!"))

    assert caught.value.partial is None
    assert _phases(fake) == ["start", "transfer"] + ["transfer"] * graph_api.CHUNK_ATTEMPTS
    assert not fake.calls("POST", f"/v21.0/{VIDEO_ID}/comments")


def test_a_refused_chunk_is_rejected_with_facebooks_reason(fake: FakeNetwork) -> None:
    _upload_answers(fake, reply(400, load("facebook", "error_invalid_param")))
    with pytest.raises(Rejected, match="mindre enn 4 MB"):
        _connector(fake).publish(_request(MediaItem(mime_type="video/mp4", data=CONTENT)))
    assert _phases(fake) == ["start", "transfer"]


def test_a_lost_answer_to_finish_is_outcome_unknown_and_found_among_the_videos(
    fake: FakeNetwork,
) -> None:
    fake.on(
        "POST",
        VIDEOS,
        reply(200, load("facebook", "video_start")),
        reply(200, load("facebook", "video_transfer")),
        reply(200, load("facebook", "video_transfer_last")),
        fail(httpx.ReadTimeout),
    )
    fake.on("GET", VIDEOS, reply(200, load("facebook", "videos")))
    connector = _connector(fake)
    request = _request(MediaItem(mime_type="video/mp4", data=CONTENT))
    with pytest.raises(OutcomeUnknown):
        connector.publish(request)

    found = connector.find_published(request, since=datetime(2025, 6, 1, 12, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == VIDEO_ID
    assert found.url == f"https://www.facebook.com/{PAGE}/videos/{VIDEO_ID}/"
    asked = fake.calls("GET", VIDEOS)[0].url.params
    assert asked["fields"] == "id,description,created_time,permalink_url"
    assert not fake.calls("GET", f"/v21.0/{PAGE}/posts")


def test_the_engines_text_only_look_up_finds_a_video_still_processing(fake: FakeNetwork) -> None:
    """The engine reconciles with the text alone: the Page's posts first (a processed video's
    feed story is there), then its videos (one still processing is only there)."""
    fake.on("GET", f"/v21.0/{PAGE}/posts", reply(200, {"data": []}))
    fake.on("GET", VIDEOS, reply(200, load("facebook", "videos")))
    candidate = PublishRequest(text="Se filmen fra sommerfesten 🎉", idempotency_key="video-1")
    found = _connector(fake).find_published(
        candidate, since=datetime(2025, 6, 1, 11, 50, tzinfo=UTC)
    )
    assert found is not None
    assert found.network_post_id == VIDEO_ID
    assert [request.url.path for request in fake.requests] == [f"/v21.0/{PAGE}/posts", VIDEOS]
    # Too old for the window: not found, so sending again cannot make a duplicate.
    late = datetime(2025, 6, 2, tzinfo=UTC)
    assert _connector(fake).find_published(candidate, since=late) is None


def test_finish_without_success_is_rejected(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        VIDEOS,
        reply(200, load("facebook", "video_start")),
        reply(200, load("facebook", "video_transfer")),
        reply(200, load("facebook", "video_transfer_last")),
        reply(200, {"success": False}),
    )
    with pytest.raises(Rejected) as caught:
        _connector(fake).publish(_request(MediaItem(mime_type="video/mp4", data=CONTENT)))
    assert caught.value.code == "video_not_published"


def test_the_first_comment_goes_on_the_video_and_a_failure_keeps_the_video(
    fake: FakeNetwork,
) -> None:
    _upload_answers(
        fake,
        reply(200, load("facebook", "video_transfer")),
        reply(200, load("facebook", "video_transfer_last")),
    )
    fake.on("POST", f"/v21.0/{VIDEO_ID}/comments", reply(503, raw=b"down"))
    request = _request(MediaItem(mime_type="video/mp4", data=CONTENT), first_comment="Hei!")
    with pytest.raises(Transient) as caught:
        _connector(fake).publish(request)
    assert caught.value.partial is not None
    assert caught.value.partial.network_post_id == VIDEO_ID


def test_a_video_post_is_one_video_alone(fake: FakeNetwork) -> None:
    video = MediaItem(mime_type="video/mp4", data=CONTENT)
    image = MediaItem(mime_type="image/png", data=PNG)
    for media in ((video, image), (video, video)):
        request = PublishRequest(text="x", idempotency_key="k", media=media)
        with pytest.raises(Rejected) as caught:
            _connector(fake).publish(request)
        assert caught.value.code == "limits"
    assert not fake.requests


def test_a_video_over_the_documented_size_is_refused_before_any_call(
    fake: FakeNetwork, tmp_path: Path
) -> None:
    path = tmp_path / "huge.mp4"
    with path.open("wb") as sparse:  # a sparse file: it takes no room on disk
        sparse.truncate(graph_api.VIDEO_MAX_BYTES + 1)
    request = _request(MediaItem(mime_type="video/mp4", path=path))
    with pytest.raises(Rejected, match=r"media_too_large\(.*limit=10000000000\)"):
        _connector(fake).publish(request)
    assert not fake.requests


def test_webm_is_not_a_facebook_format(fake: FakeNetwork) -> None:
    with pytest.raises(Rejected, match="video/webm"):
        _connector(fake).publish(_request(MediaItem(mime_type="video/webm", data=CONTENT)))


def test_metrics_of_a_video_come_from_its_own_fields_and_video_insights(
    fake: FakeNetwork,
) -> None:
    fake.on("GET", f"/v21.0/{VIDEO_ID}", reply(200, load("facebook", "video_counts")))
    fake.on(
        "GET", f"/v21.0/{VIDEO_ID}/video_insights", reply(200, load("facebook", "video_insights"))
    )
    (metrics,) = _connector(fake).fetch_metrics([VIDEO_ID])
    assert (metrics.likes, metrics.replies, metrics.reposts, metrics.views) == (12, 3, 0, 89)
    # A video has no "shares" field: asking for it would make Graph refuse the whole call.
    assert "shares" not in fake.calls("GET", f"/v21.0/{VIDEO_ID}")[0].url.params["fields"]
    assert fake.calls("GET", f"/v21.0/{VIDEO_ID}/video_insights")[0].url.params["metric"] == (
        "total_video_views"
    )


def test_a_video_is_deleted_by_its_id(fake: FakeNetwork) -> None:
    fake.on("DELETE", f"/v21.0/{VIDEO_ID}", reply(200, load("facebook", "success")))
    _connector(fake).delete(VIDEO_ID)
    assert len(fake.calls("DELETE", f"/v21.0/{VIDEO_ID}")) == 1
