"""Bluesky video: the video service's flow (service auth, upload, job polling), the PDS path,
limits and errors, replayed from the documented exchanges (fixtures/bluesky/README.md)."""

from pathlib import Path

import httpx
import pytest

from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.bluesky import media as bluesky_media
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import Rejected, Transient
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import BSKY_DID, PNG

XRPC = "/xrpc/"
CREATE = XRPC + "com.atproto.repo.createRecord"
SERVICE_AUTH = XRPC + "com.atproto.server.getServiceAuth"
SESSION = XRPC + "com.atproto.server.getSession"
LIMITS = XRPC + "app.bsky.video.getUploadLimits"
UPLOAD = XRPC + "app.bsky.video.uploadVideo"
JOB = XRPC + "app.bsky.video.getJobStatus"
UPLOAD_BLOB = XRPC + "com.atproto.repo.uploadBlob"
CLIP = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 40


def _clip(**options: object) -> MediaItem:
    fields: dict = {
        "mime_type": "video/mp4",
        "data": CLIP,
        "alt_text": "Bål på stranda",
        "width": 1080,
        "height": 1920,
        "duration_seconds": 42.0,
        **options,
    }
    return MediaItem(**fields)


def _request(*media: MediaItem) -> PublishRequest:
    return PublishRequest(text="Sankthans", idempotency_key="v-1", media=media or (_clip(),))


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _connector(
    fake: FakeNetwork, sleeps: Sleeps | None = None, *, creds: Credentials | None = None, **config
) -> BlueskyConnector:
    creds = creds or Credentials(
        access_token="access-jwt", extra={"did": BSKY_DID, "handle": "varde.bsky.social"}
    )
    return BlueskyConnector(
        credentials=creds,
        config=config,
        client=fake.client(),
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


def _video_service(fake: FakeNetwork, *jobs: str) -> FakeNetwork:
    fake.on("GET", SESSION, reply(200, load("bluesky", "getSession")))
    fake.on("GET", SERVICE_AUTH, reply(200, load("bluesky", "getServiceAuth")))
    fake.on("GET", LIMITS, reply(200, load("bluesky", "video_getUploadLimits")))
    fake.on("POST", UPLOAD, reply(200, load("bluesky", "video_uploadVideo")))
    fake.on("GET", JOB, *(reply(200, load("bluesky", job)) for job in jobs))
    fake.on("POST", CREATE, reply(200, load("bluesky", "createRecord")))
    return fake


def test_video_goes_through_the_video_service_then_into_the_post(fake: FakeNetwork) -> None:
    _video_service(fake, "video_getJobStatus_encoding", "video_getJobStatus_completed")
    sleeps = Sleeps()
    result = _connector(fake, sleeps).publish(_request())
    assert result.network_post_id.startswith(f"at://{BSKY_DID}/app.bsky.feed.post/")

    limits_auth, upload_auth = (r.url.params for r in fake.calls("GET", SERVICE_AUTH))
    # The limits are asked of the video service, with a token for it and that one method.
    assert limits_auth["aud"] == "did:web:video.bsky.app"
    assert limits_auth["lxm"] == "app.bsky.video.getUploadLimits"
    # The upload token is for the account's PDS (from the session's DID document, not the
    # bsky.social entryway), for uploadBlob, valid for the tutorial's 30 minutes.
    assert upload_auth["aud"] == "did:web:amanita.us-east.host.bsky.network"
    assert upload_auth["lxm"] == "com.atproto.repo.uploadBlob"
    [limits] = fake.calls("GET", LIMITS)
    assert limits.url.host == "video.bsky.app"
    assert limits.headers["Authorization"] == "Bearer " + load("bluesky", "getServiceAuth")["token"]
    [upload] = fake.calls("POST", UPLOAD)
    assert upload.url.host == "video.bsky.app"
    assert dict(upload.url.params) == {"did": BSKY_DID, "name": "video.mp4"}
    assert upload.headers["Content-Type"] == "video/mp4"
    assert upload.headers["Authorization"].startswith("Bearer eyJ")
    assert upload.content == CLIP
    assert all(r.url.params["jobId"] == "jobx7k2m4q9vzr3t" for r in fake.calls("GET", JOB))
    assert "Authorization" not in fake.calls("GET", JOB)[0].headers
    # Created → sleep → encoding → sleep → completed: bounded, and no real sleeping.
    assert sleeps == [bluesky_media.POLL_SECONDS] * 2

    embed = fake.json_sent("POST", CREATE)["record"]["embed"]
    assert embed == {
        "$type": "app.bsky.embed.video",
        "video": load("bluesky", "video_getJobStatus_completed")["jobStatus"]["blob"],
        "alt": "Bål på stranda",
        "aspectRatio": {"width": 1080, "height": 1920},
    }
    assert not fake.calls("POST", UPLOAD_BLOB)


def test_the_file_name_and_a_configured_video_service(fake: FakeNetwork, tmp_path: Path) -> None:
    _video_service(fake, "video_getJobStatus_completed")
    clip = tmp_path / "sankthans.mp4"
    clip.write_bytes(CLIP)
    connector = _connector(fake, video_service="https://video.example.no/")
    connector.publish(_request(_clip(data=None, path=clip, width=None, height=None, alt_text="")))
    [upload] = fake.calls("POST", UPLOAD)
    assert upload.url.host == "video.example.no"
    assert upload.url.params["name"] == "sankthans.mp4"
    assert fake.calls("GET", SERVICE_AUTH)[0].url.params["aud"] == "did:web:video.example.no"
    # Nothing the file did not say is invented.
    embed = fake.json_sent("POST", CREATE)["record"]["embed"]
    assert set(embed) == {"$type", "video"}


def test_without_a_did_document_the_configured_server_is_the_audience(fake: FakeNetwork) -> None:
    _video_service(fake, "video_getJobStatus_completed")
    session = {k: v for k, v in load("bluesky", "getSession").items() if k != "didDoc"}
    fake.on("GET", SESSION, reply(200, session))
    _connector(fake, service="https://pds.varde.example").publish(_request())
    upload_auth = fake.calls("GET", SERVICE_AUTH)[1].url.params
    assert upload_auth["aud"] == "did:web:pds.varde.example"


def test_an_already_processed_video_reuses_its_blob(fake: FakeNetwork) -> None:
    _video_service(fake, "video_getJobStatus_already_exists")
    _connector(fake).publish(_request())
    embed = fake.json_sent("POST", CREATE)["record"]["embed"]
    assert embed["video"]["ref"]["$link"].startswith("bafkrei")


def test_a_reached_daily_limit_is_said_before_any_upload(fake: FakeNetwork) -> None:
    _video_service(fake)
    fake.on("GET", LIMITS, reply(200, load("bluesky", "video_getUploadLimits_exceeded")))
    with pytest.raises(Rejected) as caught:
        _connector(fake).publish(_request())
    assert caught.value.code == "video_upload_limit"
    assert "You have reached your daily upload limit" in caught.value.reason
    assert "per day" in caught.value.reason
    assert not fake.calls("POST", UPLOAD)
    assert not fake.calls("POST", CREATE)


def test_a_video_larger_than_the_bytes_left_today_is_refused(fake: FakeNetwork) -> None:
    _video_service(fake)
    left = {**load("bluesky", "video_getUploadLimits"), "remainingDailyBytes": len(CLIP) - 1}
    fake.on("GET", LIMITS, reply(200, left))
    with pytest.raises(Rejected, match="daily video allowance") as caught:
        _connector(fake).publish(_request())
    assert caught.value.code == "video_upload_limit"
    assert not fake.calls("POST", UPLOAD)


def test_a_failed_job_is_refused_with_the_services_words(fake: FakeNetwork) -> None:
    _video_service(fake, "video_getJobStatus_failed")
    with pytest.raises(Rejected) as caught:
        _connector(fake).publish(_request())
    assert caught.value.code == "video_failed"
    assert (
        caught.value.reason
        == "Bluesky's video service could not process the video: Video is too long"
    )
    assert not fake.calls("POST", CREATE)


def test_polling_is_bounded_and_posts_nothing(fake: FakeNetwork) -> None:
    _video_service(fake, "video_getJobStatus_encoding")
    sleeps = Sleeps()
    with pytest.raises(Transient, match="still processing") as caught:
        _connector(fake, sleeps).publish(_request())
    assert caught.value.partial is None
    assert len(sleeps) == bluesky_media.POLL_ATTEMPTS
    assert len(fake.calls("GET", JOB)) == bluesky_media.POLL_ATTEMPTS
    assert not fake.calls("POST", CREATE)


def test_an_upload_refusal_keeps_the_services_reason(fake: FakeNetwork) -> None:
    _video_service(fake)
    fake.on("POST", UPLOAD, reply(400, load("bluesky", "video_error_unconfirmed_email")))
    with pytest.raises(Rejected) as caught:
        _connector(fake).publish(_request())
    assert caught.value.code == "unconfirmed_email"
    assert "confirm your email" in caught.value.reason
    assert not fake.calls("POST", CREATE)


def test_a_refused_service_token_is_not_a_sign_in_problem(fake: FakeNetwork) -> None:
    # A 401 from the video service would otherwise read as an expired session: the engine
    # would refresh a session that is fine and then ask the person to reconnect.
    _video_service(fake)
    fake.on("POST", UPLOAD, reply(401, {"error": "BadJwtAudience", "message": "jwt audience"}))
    with pytest.raises(Rejected) as caught:
        _connector(fake).publish(_request())
    assert caught.value.code == "video_service_auth"
    assert "video_upload = pds" in caught.value.reason


def test_a_lost_upload_answer_is_safe_to_retry(fake: FakeNetwork) -> None:
    _video_service(fake)

    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("simulated", request=request)

    fake.on("POST", UPLOAD, drop)
    with pytest.raises(Transient):
        _connector(fake).publish(_request())
    assert not fake.calls("POST", CREATE)


def test_straight_to_the_pds_when_configured(fake: FakeNetwork) -> None:
    blob = {**load("bluesky", "uploadBlob")["blob"], "mimeType": "video/mp4"}
    fake.on("POST", UPLOAD_BLOB, reply(200, {"blob": blob}))
    fake.on("POST", CREATE, reply(200, load("bluesky", "createRecord")))
    _connector(fake, video_upload="pds").publish(_request())
    [upload] = fake.calls("POST", UPLOAD_BLOB)
    assert upload.headers["Content-Type"] == "video/mp4"
    assert upload.content == CLIP
    assert fake.json_sent("POST", CREATE)["record"]["embed"]["video"] == blob
    assert not fake.calls("GET", SERVICE_AUTH)


def test_oauth_accounts_ask_for_the_token_with_dpop_and_upload_with_it(
    fake: FakeNetwork,
) -> None:
    creds = Credentials(
        access_token="oauth-at",
        extra={
            "did": BSKY_DID,
            "handle": "varde.bsky.social",
            "auth": "oauth",
            "dpop_key": DPoPKey.generate().private_jwk(),
        },
    )
    _video_service(fake, "video_getJobStatus_completed")
    _connector(fake, creds=creds).publish(_request())
    for asked in fake.calls("GET", SERVICE_AUTH):
        assert asked.headers["Authorization"] == "DPoP oauth-at"
        assert "DPoP" in asked.headers
    # The video service gets the PDS's service token as a plain bearer, never the DPoP token.
    [upload] = fake.calls("POST", UPLOAD)
    assert upload.headers["Authorization"].startswith("Bearer eyJ")
    assert "DPoP" not in upload.headers


@pytest.mark.parametrize(
    ("media", "words"),
    [
        ((_clip(), MediaItem(mime_type="image/png", data=PNG)), r"video_not_alone\(\)"),
        ((_clip(), _clip()), r"video_not_alone\(\)"),
        ((_clip(duration_seconds=180.5),), r"video_too_long\(number=1, seconds=180.5, limit=180\)"),
        ((_clip(mime_type="video/quicktime"),), r"media_type\(number=1, type=video/quicktime\)"),
    ],
)
def test_what_bluesky_cannot_take_is_refused_before_any_call(
    fake: FakeNetwork, media: tuple[MediaItem, ...], words: str
) -> None:
    with pytest.raises(Rejected, match=words):
        _connector(fake).publish(_request(*media))
    assert fake.requests == []


def test_the_size_limit_is_checked_before_any_call(fake: FakeNetwork, tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(bluesky_media.MAX_VIDEO_BYTES + 1)  # sparse: nothing written
    with pytest.raises(
        Rejected, match=r"media_too_large\(number=1, size=100000001, limit=100000000\)"
    ):
        _connector(fake).publish(_request(_clip(data=None, path=big)))
    assert fake.requests == []
