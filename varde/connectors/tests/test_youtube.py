"""YouTube specifics: resumable upload with 308, PKCE, quota errors, comments, moderation."""

import base64
import hashlib
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import AuthExpired, RateLimited, Rejected, Transient
from varde.connectors.tests.conftest import FakeNetwork, fail, load, reply
from varde.connectors.tests.test_contract import YT_SESSION
from varde.connectors.youtube.connector import YouTubeConnector

UPLOAD = "/upload/youtube/v3/videos"
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
VIDEO_ID = "Ks-_Mh1QhMc"
CONTENT = bytes(range(256)) * 3  # 768 bytes: three 256-byte chunks in these tests


def _connector(fake: FakeNetwork, **config: str) -> YouTubeConnector:
    creds = Credentials(
        access_token="ya29.token",
        refresh_token="1//refresh",
        extra={"channel_id": CHANNEL, "uploads_playlist": "UU_x5XG1OV2P6uZZ5FSM9Ttw"},
    )
    connector = YouTubeConnector(
        credentials=creds,
        config={"client_id": "yt", "client_secret": "s", **config},
        client=fake.client(),
    )
    connector.upload_chunk_bytes = 256  # type: ignore[misc]
    return connector


def _video(text: str = "Fjorden i kveld 🌊", **kwargs: object) -> PublishRequest:
    video = MediaItem(mime_type="video/mp4", data=CONTENT)
    return PublishRequest(text=text, media=(video,), idempotency_key="k", **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def session(fake: FakeNetwork) -> FakeNetwork:
    return fake.on("POST", UPLOAD, reply(200, None, headers={"Location": YT_SESSION}))


def test_resumable_upload_with_308_in_the_middle(session: FakeNetwork) -> None:
    session.on(
        "PUT",
        UPLOAD,
        reply(308, None, headers={"Range": "bytes=0-255"}),
        # The server kept only part of the second chunk: resume from what it says it has.
        reply(308, None, headers={"Range": "bytes=0-399"}),
        reply(201, load("youtube", "video")),
    )
    result = _connector(session, privacy_status="unlisted").publish(
        _video(title="Fjorden", language="nb")
    )
    assert result.network_post_id == VIDEO_ID
    assert result.url == f"https://www.youtube.com/watch?v={VIDEO_ID}"
    start = session.calls("POST", UPLOAD)[0]
    assert start.url.params["uploadType"] == "resumable"
    assert start.url.params["part"] == "snippet,status"
    assert start.headers["X-Upload-Content-Length"] == "768"
    assert start.headers["X-Upload-Content-Type"] == "video/mp4"
    assert session.json_sent("POST", UPLOAD) == {
        "snippet": {
            "title": "Fjorden",
            "description": "Fjorden i kveld 🌊",
            "categoryId": "22",
            "defaultLanguage": "nb",
        },
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    }
    puts = session.calls("PUT", UPLOAD)
    assert [p.headers["Content-Range"] for p in puts] == [
        "bytes 0-255/768",
        "bytes 256-511/768",
        "bytes 400-655/768",
    ]
    assert puts[0].url.params["upload_id"] == "AEnB2UqVardeSession"
    assert puts[2].content == CONTENT[400:656]


def test_a_dropped_chunk_is_resumed_after_asking_the_session(session: FakeNetwork) -> None:
    session.on(
        "PUT",
        UPLOAD,
        fail(httpx.ReadError),
        reply(308, None, headers={"Range": "bytes=0-255"}),  # answer to "bytes */768"
        reply(308, None, headers={"Range": "bytes=0-511"}),
        reply(200, load("youtube", "video")),
    )
    _connector(session).publish(_video())
    ranges = [p.headers["Content-Range"] for p in session.calls("PUT", UPLOAD)]
    assert ranges == ["bytes 0-255/768", "bytes */768", "bytes 256-511/768", "bytes 512-767/768"]


def test_no_session_location_is_transient_and_sends_no_bytes(fake: FakeNetwork) -> None:
    fake.on("POST", UPLOAD, reply(200, None))
    with pytest.raises(Transient, match="no upload session"):
        _connector(fake).publish(_video())
    assert not fake.calls("PUT", UPLOAD)


def test_quota_exceeded_is_rate_limited(session: FakeNetwork) -> None:
    session.on("POST", UPLOAD, reply(403, load("youtube", "error_quota")))
    with pytest.raises(RateLimited, match="exceeded your quota"):
        _connector(session).publish(_video())


def test_titles_and_descriptions_follow_youtubes_rules(fake: FakeNetwork) -> None:
    with pytest.raises(Rejected, match="< or >"):
        _connector(fake).publish(_video("Så fint <3"))
    with pytest.raises(
        Rejected, match=r"text_too_long\(part=title, number=1, count=101, limit=100\)"
    ):
        _connector(fake).publish(_video(title="T" * 101))
    with pytest.raises(Rejected, match="5000 bytes"):
        _connector(fake).publish(_video("🫐" * 1300))  # 1,300 characters, 5,200 bytes
    with pytest.raises(Rejected, match="exactly one video"):
        _connector(fake).publish(PublishRequest(text="Bare tekst", idempotency_key="k"))
    assert not fake.requests


def test_long_first_line_becomes_a_shortened_title(session: FakeNetwork) -> None:
    session.on("PUT", UPLOAD, reply(200, load("youtube", "video")))
    connector = _connector(session)
    connector.upload_chunk_bytes = 1024  # type: ignore[misc]
    connector.publish(_video("Fjord " * 40))
    title = session.json_sent("POST", UPLOAD)["snippet"]["title"]
    assert len(title) == 100
    assert title.endswith("…")


def test_first_comment_is_a_comment_thread(session: FakeNetwork) -> None:
    session.on("PUT", UPLOAD, reply(200, load("youtube", "video")))
    session.on(
        "POST", "/youtube/v3/commentThreads", reply(200, load("youtube", "comment_thread_created"))
    )
    connector = _connector(session)
    connector.upload_chunk_bytes = 1024  # type: ignore[misc]
    result = connector.publish(_video(first_comment="Les mer i bloggen"))
    assert session.json_sent("POST", "/youtube/v3/commentThreads") == {
        "snippet": {
            "videoId": VIDEO_ID,
            "topLevelComment": {"snippet": {"textOriginal": "Les mer i bloggen"}},
        }
    }
    assert result.first_comment_id == "UgzFirst1"


def test_authorize_url_uses_pkce_and_offline_access(fake: FakeNetwork) -> None:
    verifier = "v" * 64
    url = (
        _connector(fake, code_verifier=verifier)
        .authorize_url(redirect_uri="https://varde.example/cb", state="st")
        .url
    )
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    query = parse_qs(urlsplit(url).query)
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert query["code_challenge"] == [digest.decode()]
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"]
    assert "https://www.googleapis.com/auth/youtube.force-ssl" in query["scope"][0].split()


def test_exchange_code_and_refresh(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        "/token",
        reply(200, load("youtube", "token")),
        reply(200, load("youtube", "token_refreshed")),
    )
    fake.on("GET", "/youtube/v3/channels", reply(200, load("youtube", "channel")))
    connector = YouTubeConnector(
        config={"client_id": "yt", "client_secret": "s", "code_verifier": "v" * 64},
        client=fake.client(),
    )
    creds = connector.exchange_code(code="4/0Ab", redirect_uri="https://varde.example/cb")
    assert creds.extra == {"channel_id": CHANNEL, "uploads_playlist": "UU_x5XG1OV2P6uZZ5FSM9Ttw"}
    form = parse_qs(fake.calls("POST", "/token")[0].content.decode())
    assert form["code_verifier"] == ["v" * 64]
    refreshed = YouTubeConnector(
        credentials=creds, config={"client_id": "yt", "client_secret": "s"}, client=fake.client()
    ).refresh()
    assert refreshed.access_token == "ya29.a0AfB_byVardeFresh"
    assert refreshed.refresh_token == "1//0gVardeRefresh"  # Google sends none on refresh


def test_revoked_refresh_token_is_auth_expired(fake: FakeNetwork) -> None:
    fake.on("POST", "/token", reply(400, load("youtube", "error_invalid_grant")))
    with pytest.raises(AuthExpired, match="expired or revoked"):
        _connector(fake).refresh()


def test_comment_threads_follow_page_tokens_and_skip_our_own(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        "/youtube/v3/commentThreads",
        reply(200, load("youtube", "comment_threads_page1")),
        reply(200, load("youtube", "comment_threads_page2")),
    )
    page = _connector(fake).fetch_mentions(cursor="2025-01-02T08:30:00+00:00")
    first = fake.requests[0].url.params
    assert first["allThreadsRelatedToChannelId"] == CHANNEL
    assert first["order"] == "time"
    assert fake.requests[1].url.params["pageToken"] == "QURTSl9pM2xfVGhyZWFkUGFnZTI"
    assert [m.id for m in page.items] == ["UgzOla1", "UgzKari1", "UgzKari1.AbcPer"]
    assert page.items[1].text == "Så fint! <3"
    assert page.items[1].in_reply_to == VIDEO_ID
    assert page.items[2].in_reply_to == "UgzKari1"
    assert page.cursor == "2025-01-02T10:10:00+00:00"


def test_reply_hide_unhide_metrics_account_find_and_delete(fake: FakeNetwork) -> None:
    fake.on("POST", "/youtube/v3/comments", reply(200, load("youtube", "comment_created")))
    fake.on("POST", "/youtube/v3/comments/setModerationStatus", reply(204))
    fake.on("GET", "/youtube/v3/videos", reply(200, load("youtube", "videos_statistics")))
    fake.on("GET", "/youtube/v3/channels", reply(200, load("youtube", "channel")))
    fake.on("GET", "/youtube/v3/playlistItems", reply(200, load("youtube", "playlist_items")))
    fake.on(
        "DELETE", "/youtube/v3/videos", reply(204), reply(404, load("youtube", "error_not_found"))
    )
    connector = _connector(fake)
    connector.reply(to="UgzKari1.AbcPer", text="Takk, Kari!", idempotency_key="r")
    assert fake.json_sent("POST", "/youtube/v3/comments") == {
        "snippet": {"parentId": "UgzKari1", "textOriginal": "Takk, Kari!"}
    }
    connector.hide("UgzKari1")
    connector.unhide("UgzKari1")
    statuses = [
        r.url.params["moderationStatus"]
        for r in fake.calls("POST", "/youtube/v3/comments/setModerationStatus")
    ]
    assert statuses == ["heldForReview", "published"]
    [metrics] = connector.fetch_metrics([VIDEO_ID])
    assert (metrics.likes, metrics.replies, metrics.views) == (211, 17, 5321)
    account = connector.get_account()
    assert (account.handle, account.followers) == ("@vardenorge", 4310)
    request = PublishRequest(
        text="Blåbærsyltetøy 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    found = connector.find_published(request, since=datetime(2025, 1, 2, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == VIDEO_ID
    connector.delete(VIDEO_ID)
    connector.delete(VIDEO_ID)  # already gone counts as deleted
    assert fake.calls("DELETE", "/youtube/v3/videos")[0].url.params["id"] == VIDEO_ID
