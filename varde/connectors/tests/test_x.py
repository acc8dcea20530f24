"""X specifics: weighted length with t.co links, PKCE, token refresh, media, pagination."""

import base64
import hashlib
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired, RateLimited, Rejected, Transient
from varde.connectors.oauth import code_challenge, new_code_verifier
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG
from varde.connectors.text import measure
from varde.connectors.x.connector import XConnector

TWEETS = "/2/tweets"
ME = "2244994945"


def _connector(fake: FakeNetwork, **config: str) -> XConnector:
    creds = Credentials(
        access_token="x-token",
        refresh_token="x-refresh",
        extra={"user_id": ME, "username": "varde_no"},
    )
    return XConnector(
        credentials=creds,
        config={"client_id": "x-client", **config},
        client=fake.client(),
        sleep=lambda _: None,
    )


def test_every_url_counts_23(fake: FakeNetwork) -> None:
    limits = XConnector.limits
    long_link = "https://varde.example/" + "a" * 300
    assert measure(f"Se {long_link}", limits) == 3 + 23
    assert measure("Se https://x.no", limits) == 3 + 23  # short links count 23 too
    fake.on("POST", TWEETS, reply(201, load("x", "tweet_created")))
    text = "ø" * (280 - 24) + " " + long_link  # 256 + 1 + 23 = 280: exactly at the limit
    _connector(fake).publish(PublishRequest(text=text, idempotency_key="k"))
    assert fake.json_sent("POST", TWEETS) == {"text": text}
    with pytest.raises(
        Rejected, match=r"text_too_long\(part=post, number=1, count=281, limit=280\)"
    ):
        _connector(fake).publish(PublishRequest(text="ø" + text, idempotency_key="k"))


def test_weighted_length_counts_emoji_and_cjk_twice() -> None:
    limits = XConnector.limits
    assert measure("Blåbær", limits) == 6
    assert measure("🫐", limits) == 2
    assert measure("👨\u200d👩\u200d👧", limits) == 2
    assert measure("日本", limits) == 4


def test_authorize_url_has_a_verifiable_s256_challenge(fake: FakeNetwork) -> None:
    verifier = new_code_verifier()
    assert 43 <= len(verifier) <= 128
    connector = XConnector(config={"client_id": "x-client", "code_verifier": verifier})
    url = connector.authorize_url(redirect_uri="https://varde.example/cb", state="st8").url
    assert url.startswith("https://x.com/i/oauth2/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert query["code_challenge"] == [expected.rstrip(b"=").decode()]
    assert query["code_challenge"] == [code_challenge(verifier)]
    assert "offline.access" in query["scope"][0].split()
    assert query["state"] == ["st8"]
    # RFC 7636 appendix B test vector.
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_exchange_code_sends_the_verifier_and_reads_the_user(fake: FakeNetwork) -> None:
    fake.on("POST", "/2/oauth2/token", reply(200, load("x", "token")))
    fake.on("GET", "/2/users/me", reply(200, load("x", "users_me")))
    connector = XConnector(
        config={"client_id": "x-client", "client_secret": "sec", "code_verifier": "v" * 43},
        client=fake.client(),
    )
    creds = connector.exchange_code(code="c0de", redirect_uri="https://varde.example/cb")
    form = parse_qs(fake.calls("POST", "/2/oauth2/token")[0].content.decode())
    assert form["code_verifier"] == ["v" * 43]
    assert form["grant_type"] == ["authorization_code"]
    auth = fake.calls("POST", "/2/oauth2/token")[0].headers["Authorization"]
    assert auth == "Basic " + base64.b64encode(b"x-client:sec").decode()
    assert creds.extra == {"user_id": ME, "username": "varde_no"}
    assert creds.refresh_token
    assert creds.expires_at is not None
    assert "offline.access" in creds.scopes


def test_refresh_keeps_the_old_refresh_token_when_none_comes_back(fake: FakeNetwork) -> None:
    token = {k: v for k, v in load("x", "token").items() if k != "refresh_token"}
    fake.on("POST", "/2/oauth2/token", reply(200, token))
    creds = _connector(fake).refresh()
    assert creds.refresh_token == "x-refresh"
    assert creds.extra["user_id"] == ME
    form = parse_qs(fake.requests[0].content.decode())
    assert form == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["x-refresh"],
        "client_id": ["x-client"],
    }


def test_refresh_with_a_revoked_grant_is_auth_expired(fake: FakeNetwork) -> None:
    fake.on("POST", "/2/oauth2/token", reply(400, load("x", "error_oauth_invalid_request")))
    with pytest.raises(AuthExpired, match="token was invalid"):
        _connector(fake).refresh()


def test_refresh_server_error_stays_transient(fake: FakeNetwork) -> None:
    fake.on("POST", "/2/oauth2/token", reply(503, raw=b"down"))
    with pytest.raises(Transient):
        _connector(fake).refresh()


def test_x_rate_limit_reset_header(fake: FakeNetwork) -> None:
    reset = int(datetime.now(UTC).timestamp()) + 600
    fake.on(
        "POST",
        TWEETS,
        reply(429, load("x", "error_rate_limit"), headers={"x-rate-limit-reset": str(reset)}),
    )
    with pytest.raises(RateLimited) as caught:
        _connector(fake).publish(PublishRequest(text="Hei", idempotency_key="k"))
    assert caught.value.retry_after is not None
    assert 590 < caught.value.retry_after <= 600


def test_thread_and_first_comment_reply_to_the_right_posts(fake: FakeNetwork) -> None:
    answers = [reply(201, {"data": {"id": str(n), "text": "x"}}) for n in (11, 12, 13)]
    fake.on("POST", TWEETS, *answers)
    request = PublishRequest(
        text="Del 1", thread=("Del 2",), first_comment="Kommentar", idempotency_key="k"
    )
    result = _connector(fake).publish(request)
    bodies = [fake.json_sent("POST", TWEETS, i) for i in range(3)]
    assert "reply" not in bodies[0]
    assert bodies[1]["reply"] == {"in_reply_to_tweet_id": "11"}
    assert bodies[2]["reply"] == {"in_reply_to_tweet_id": "11"}
    assert (result.thread_ids, result.first_comment_id) == (("12",), "13")
    assert result.url == "https://x.com/varde_no/status/11"


def test_image_upload_with_alt_text(fake: FakeNetwork) -> None:
    fake.on("POST", "/2/media/upload", reply(200, load("x", "media_upload")))
    fake.on("POST", "/2/media/metadata", reply(200, load("x", "media_metadata")))
    fake.on("POST", TWEETS, reply(201, load("x", "tweet_created")))
    image = MediaItem(mime_type="image/png", data=PNG, alt_text="Bål på stranda i kveld")
    _connector(fake).publish(PublishRequest(text="Bål", media=(image,), idempotency_key="k"))
    upload = fake.calls("POST", "/2/media/upload")[0]
    assert b'name="media_category"' in upload.content
    assert b"tweet_image" in upload.content
    assert fake.json_sent("POST", "/2/media/metadata") == {
        "id": "1880028106020515840",
        "metadata": {"alt_text": {"text": "Bål på stranda i kveld"}},
    }
    assert fake.json_sent("POST", TWEETS)["media"] == {"media_ids": ["1880028106020515840"]}


def _video_routes(fake: FakeNetwork, *statuses: str) -> None:
    media = "1880028106020515841"
    fake.on("POST", "/2/media/upload/initialize", reply(200, load("x", "media_init")))
    fake.on("POST", f"/2/media/upload/{media}/append", reply(200, None))
    fake.on(
        "POST", f"/2/media/upload/{media}/finalize", reply(200, load("x", "media_finalize_pending"))
    )
    fake.on("GET", "/2/media/upload", *[reply(200, load("x", name)) for name in statuses])


def test_video_is_chunked_and_polled_until_processed(fake: FakeNetwork) -> None:
    _video_routes(fake, "media_status_in_progress", "media_status_succeeded")
    fake.on("POST", TWEETS, reply(201, load("x", "tweet_created")))
    slept: list[float] = []
    connector = _connector(fake)
    connector.sleep = slept.append
    video = MediaItem(mime_type="video/mp4", data=b"\x00" * 64)
    connector.publish(PublishRequest(text="Fjorden", media=(video,), idempotency_key="k"))
    assert fake.json_sent("POST", "/2/media/upload/initialize") == {
        "media_type": "video/mp4",
        "total_bytes": 64,
        "media_category": "tweet_video",
    }
    assert fake.requests[-2].url.params["command"] == "STATUS"
    assert slept == [1.0, 5.0]
    assert fake.json_sent("POST", TWEETS)["media"] == {"media_ids": ["1880028106020515841"]}


def test_video_still_processing_is_transient_and_posts_nothing(fake: FakeNetwork) -> None:
    _video_routes(fake, "media_status_in_progress")
    connector = _connector(fake)
    connector.media_poll_attempts = 3  # type: ignore[misc]
    video = MediaItem(mime_type="video/mp4", data=b"\x00" * 64)
    with pytest.raises(Transient, match="still processing"):
        connector.publish(PublishRequest(text="x", media=(video,), idempotency_key="k"))
    assert not fake.calls("POST", TWEETS)


def test_video_processing_failure_is_rejected_with_xs_words(fake: FakeNetwork) -> None:
    _video_routes(fake, "media_status_failed")
    video = MediaItem(mime_type="video/mp4", data=b"\x00" * 64)
    with pytest.raises(Rejected, match="Unsupported video format"):
        _connector(fake).publish(PublishRequest(text="x", media=(video,), idempotency_key="k"))


def test_find_published_expands_tco_links_and_entities(fake: FakeNetwork) -> None:
    fake.on("GET", f"/2/users/{ME}/tweets", reply(200, load("x", "user_tweets")))
    request = PublishRequest(
        text="Blåbærsyltetøy & vafler 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    since = datetime(2025, 1, 2, 7, 0, tzinfo=UTC)
    found = _connector(fake).find_published(request, since=since)
    assert found is not None
    assert found.network_post_id == "1445880548472328192"
    assert found.published_at == datetime(2025, 1, 2, 8, 0, tzinfo=UTC)
    assert fake.requests[0].url.params["start_time"] == "2025-01-02T07:00:00Z"
    other = PublishRequest(text="Blåbærsyltetøy 🫐", idempotency_key="k")
    assert _connector(fake).find_published(other, since=since) is None


def test_mentions_page_forward_from_since_id(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        f"/2/users/{ME}/mentions",
        reply(200, load("x", "mentions")),
        reply(200, load("x", "mentions_page2")),
    )
    page = _connector(fake).fetch_mentions(cursor="1445880548472328000")
    assert fake.requests[0].url.params["since_id"] == "1445880548472328000"
    assert fake.requests[1].url.params["pagination_token"] == (
        "7140dibdnow9c7btw3z2vwioavpvutgzrzm9icis4ndix"
    )
    assert page.cursor == "1445880548472328300"
    assert [m.id for m in page.items] == [
        "1445880548472328210",
        "1445880548472328250",
        "1445880548472328300",
    ]
    reply_to_us = page.items[-1]
    assert reply_to_us.kind is MentionKind.COMMENT
    assert reply_to_us.text == "@varde_no Så fint! <3"
    assert reply_to_us.author_handle == "kari_n"
    assert reply_to_us.in_reply_to == "1445880548472328192"
    assert page.items[1].kind is MentionKind.MENTION


def test_first_mentions_call_reads_one_page(fake: FakeNetwork) -> None:
    fake.on("GET", f"/2/users/{ME}/mentions", reply(200, load("x", "mentions")))
    page = _connector(fake).fetch_mentions(cursor=None)
    assert len(fake.requests) == 1
    assert "since_id" not in fake.requests[0].url.params
    assert page.cursor == "1445880548472328300"


def test_metrics_account_hide_and_delete(fake: FakeNetwork) -> None:
    fake.on("GET", TWEETS, reply(200, load("x", "tweets_metrics")))
    fake.on("GET", "/2/users/me", reply(200, load("x", "users_me")))
    fake.on("PUT", "/2/tweets/55/hidden", reply(200, load("x", "hidden")))
    fake.on("DELETE", "/2/tweets/gone", reply(404, load("x", "error_not_found")))
    connector = _connector(fake)
    [metrics] = connector.fetch_metrics(["1445880548472328192"])
    assert (metrics.likes, metrics.reposts, metrics.replies, metrics.quotes) == (19, 7, 2, 1)
    assert metrics.views == 1200
    assert fake.requests[0].url.params["tweet.fields"] == "public_metrics"
    account = connector.get_account()
    assert (account.handle, account.followers) == ("varde_no", 5120)
    connector.hide("55")
    assert fake.json_sent("PUT", "/2/tweets/55/hidden") == {"hidden": True}
    connector.unhide("55")
    assert fake.json_sent("PUT", "/2/tweets/55/hidden", 1) == {"hidden": False}
    connector.delete("gone")  # already deleted counts as deleted


def test_reply_answers_the_tweet(fake: FakeNetwork) -> None:
    fake.on("POST", TWEETS, reply(201, load("x", "tweet_created")))
    result = _connector(fake).reply(to="1445880548472328300", text="Takk! 🫐", idempotency_key="r")
    assert fake.json_sent("POST", TWEETS) == {
        "text": "Takk! 🫐",
        "reply": {"in_reply_to_tweet_id": "1445880548472328300"},
    }
    assert result.network_post_id == "1445880548472328192"
