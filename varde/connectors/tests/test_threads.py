"""Threads specifics: two-step containers, reply chains, emoji byte counting, replies."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import AuthExpired, NotSupported, Rejected, Transient
from varde.connectors.meta.threads import ThreadsConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.text import measure

USER = "25133481234567890"
CREATE = f"/v1.0/{USER}/threads"
PUBLISH = f"/v1.0/{USER}/threads_publish"
CONTAINER = "/v1.0/18038176834500001"
POST = "18051216148012345"
IMAGE = MediaItem(
    mime_type="image/jpeg", data=b"\xff\xd8", public_url="https://media.varde.example/bal.jpg"
)


def _connector(fake: FakeNetwork) -> ThreadsConnector:
    return ThreadsConnector(
        credentials=Credentials(
            access_token="th-token", extra={"user_id": USER, "username": "varde.norge"}
        ),
        config={"client_id": "th", "client_secret": "s"},
        client=fake.client(),
        sleep=lambda _: None,
    )


@pytest.fixture
def th(fake: FakeNetwork) -> FakeNetwork:
    fake.on("POST", CREATE, reply(200, load("threads", "container_created")))
    fake.on("GET", CONTAINER, reply(200, load("threads", "container_finished")))
    return fake


def test_emoji_count_as_their_utf8_bytes() -> None:
    limits = ThreadsConnector.limits
    assert measure("Blåbær", limits) == 6
    assert measure("🫐", limits) == 4
    text = "ø" * 496 + "🫐"
    assert measure(text, limits) == 500
    assert measure(text + "!", limits) == 501


def test_text_post_is_created_then_published(th: FakeNetwork) -> None:
    th.on("POST", PUBLISH, reply(200, load("threads", "published")))
    result = _connector(th).publish(PublishRequest(text="Hei fra Varde 🫐", idempotency_key="k"))
    assert th.json_sent("POST", CREATE) == {"media_type": "TEXT", "text": "Hei fra Varde 🫐"}
    assert th.json_sent("POST", PUBLISH) == {"creation_id": "18038176834500001"}
    assert result.url == f"https://www.threads.net/@varde.norge/post/{POST}"


def test_thread_parts_and_first_comment_reply_by_reply_to_id(th: FakeNetwork) -> None:
    th.on("POST", PUBLISH, *[reply(200, {"id": str(n)}) for n in (1, 2, 3)])
    request = PublishRequest(
        text="Del 1", thread=("Del 2",), first_comment="Kommentar", idempotency_key="k"
    )
    result = _connector(th).publish(request)
    bodies = [th.json_sent("POST", CREATE, i) for i in range(3)]
    assert "reply_to_id" not in bodies[0]
    assert bodies[1]["reply_to_id"] == "1"
    assert bodies[2]["reply_to_id"] == "1"
    assert (result.thread_ids, result.first_comment_id) == (("2",), "3")


def test_image_container_is_polled_until_finished(fake: FakeNetwork) -> None:
    fake.on("POST", CREATE, reply(200, load("threads", "container_created")))
    fake.on(
        "GET",
        CONTAINER,
        reply(200, load("threads", "container_in_progress")),
        reply(200, load("threads", "container_finished")),
    )
    fake.on("POST", PUBLISH, reply(200, load("threads", "published")))
    _connector(fake).publish(PublishRequest(text="Bål", media=(IMAGE,), idempotency_key="k"))
    assert fake.json_sent("POST", CREATE) == {
        "media_type": "IMAGE",
        "image_url": "https://media.varde.example/bal.jpg",
        "text": "Bål",
    }
    assert len(fake.calls("GET", CONTAINER)) == 2


def test_still_processing_is_transient_and_error_is_rejected(fake: FakeNetwork) -> None:
    fake.on("POST", CREATE, reply(200, load("threads", "container_created")))
    fake.on("GET", CONTAINER, reply(200, load("threads", "container_in_progress")))
    connector = _connector(fake)
    connector.container_poll_attempts = 2  # type: ignore[misc]
    with pytest.raises(Transient, match="still processing"):
        connector.publish(PublishRequest(text="x", media=(IMAGE,), idempotency_key="k"))
    fake.on("GET", CONTAINER, reply(200, load("threads", "container_error")))
    with pytest.raises(Rejected, match="FAILED_PROCESSING_VIDEO"):
        connector.publish(PublishRequest(text="x", media=(IMAGE,), idempotency_key="k"))
    assert not fake.calls("POST", PUBLISH)


def test_media_without_public_url_is_refused(fake: FakeNetwork) -> None:
    local = MediaItem(mime_type="image/jpeg", data=b"\xff\xd8")
    with pytest.raises(Rejected, match="public address"):
        _connector(fake).publish(PublishRequest(text="x", media=(local,), idempotency_key="k"))
    assert not fake.requests


def test_replies_from_the_conversation_skip_our_own(fake: FakeNetwork) -> None:
    fake.on("GET", CREATE, reply(200, {"data": [{"id": POST}]}))
    fake.on("GET", f"/v1.0/{POST}/conversation", reply(200, load("threads", "conversation")))
    page = _connector(fake).fetch_mentions(cursor=None)
    assert [m.id for m in page.items] == ["18051216148012400", "18051216148012402"]
    assert page.items[0].in_reply_to == POST
    assert page.items[1].in_reply_to == "18051216148012400"
    assert page.cursor == str(int(datetime(2025, 1, 2, 10, 10, tzinfo=UTC).timestamp()))
    again = _connector(fake).fetch_mentions(cursor=page.cursor)
    assert again.items == ()


def test_reply_hide_metrics_find_and_no_delete(th: FakeNetwork) -> None:
    reply_id = "18051216148012400"
    th.on("POST", PUBLISH, reply(200, load("threads", "published")))
    th.on("POST", f"/v1.0/{reply_id}/manage_reply", reply(200, load("threads", "manage_reply")))
    th.on("GET", f"/v1.0/{POST}/insights", reply(200, load("threads", "insights")))
    th.on("GET", CREATE, reply(200, load("threads", "threads_list")))
    connector = _connector(th)
    connector.reply(to=reply_id, text="Takk, Kari!", idempotency_key="r")
    assert th.json_sent("POST", CREATE)["reply_to_id"] == reply_id
    connector.hide(reply_id)
    connector.unhide(reply_id)
    hides = th.calls("POST", f"/v1.0/{reply_id}/manage_reply")
    assert [parse_qs(r.content.decode()) for r in hides] == [
        {"hide": ["true"]},
        {"hide": ["false"]},
    ]
    [metrics] = connector.fetch_metrics([POST])
    assert (metrics.views, metrics.likes, metrics.replies, metrics.reposts, metrics.quotes) == (
        950,
        31,
        4,
        2,
        1,
    )
    request = PublishRequest(
        text="Blåbærsyltetøy 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    found = connector.find_published(request, since=datetime(2025, 1, 2, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == POST
    with pytest.raises(NotSupported):
        connector.delete(POST)


def test_login_exchange_refresh_and_expired_token(fake: FakeNetwork) -> None:
    fake.on("POST", "/oauth/access_token", reply(200, load("threads", "token_short")))
    fake.on("GET", "/access_token", reply(200, load("threads", "token_long")))
    fake.on("GET", "/refresh_access_token", reply(200, load("threads", "token_long")))
    fake.on("GET", "/v1.0/me", reply(200, load("threads", "me")))
    fake.on("GET", f"/v1.0/{USER}/threads_insights", reply(200, load("threads", "followers")))
    connector = ThreadsConnector(
        config={"client_id": "th", "client_secret": "s"}, client=fake.client()
    )
    url = connector.authorize_url(redirect_uri="https://varde.example/cb", state="st").url
    assert url.startswith("https://threads.net/oauth/authorize?")
    assert "threads_content_publish" in parse_qs(urlsplit(url).query)["scope"][0].split(",")
    creds = connector.exchange_code(code="c", redirect_uri="https://varde.example/cb")
    assert creds.access_token == "THQVJLongLived"
    assert creds.extra == {"user_id": USER, "username": "varde.norge"}
    assert fake.calls("GET", "/access_token")[0].url.params["grant_type"] == "th_exchange_token"
    assert _connector(fake).get_account().followers == 1420
    refreshed = _connector(fake).refresh()
    assert fake.calls("GET", "/refresh_access_token")[0].url.params["grant_type"] == (
        "th_refresh_token"
    )
    assert refreshed.extra["user_id"] == USER
    fake.on("GET", "/refresh_access_token", reply(400, load("threads", "error_token_expired")))
    with pytest.raises(AuthExpired):
        _connector(fake).refresh()
