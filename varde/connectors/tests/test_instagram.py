"""Instagram specifics: containers polled until FINISHED, quota, carousels, comments."""

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import NotSupported, RateLimited, Rejected, Transient
from varde.connectors.meta.instagram import InstagramConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply

IG = "/v21.0/17841405822304914"
CONTAINER = "/v21.0/17889455560051444"
PUBLISH = f"{IG}/media_publish"
MEDIA = "17920238422030506"
JPEG = MediaItem(
    mime_type="image/jpeg", data=b"\xff\xd8", public_url="https://media.varde.example/bal.jpg"
)
VIDEO = MediaItem(
    mime_type="video/mp4", data=b"\x00" * 8, public_url="https://media.varde.example/fjord.mp4"
)


def _connector(fake: FakeNetwork) -> InstagramConnector:
    return InstagramConnector(
        credentials=Credentials(access_token="ig-token", extra={"username": "varde.norge"}),
        config={"client_id": "fb", "client_secret": "s", "ig_user_id": "17841405822304914"},
        client=fake.client(),
        sleep=lambda _: None,
    )


@pytest.fixture
def ig(fake: FakeNetwork) -> FakeNetwork:
    fake.on(
        "GET", f"{IG}/content_publishing_limit", reply(200, load("instagram", "publishing_limit"))
    )
    fake.on("POST", f"{IG}/media", reply(200, load("instagram", "container_created")))
    fake.on("POST", PUBLISH, reply(200, load("instagram", "media_published")))
    fake.on("GET", f"/v21.0/{MEDIA}", reply(200, load("instagram", "permalink")))
    return fake


def test_container_is_polled_until_finished_then_published(ig: FakeNetwork) -> None:
    ig.on(
        "GET",
        CONTAINER,
        reply(200, load("instagram", "container_in_progress")),
        reply(200, load("instagram", "container_in_progress")),
        reply(200, load("instagram", "container_finished")),
    )
    slept: list[float] = []
    connector = _connector(ig)
    connector.sleep = slept.append
    result = connector.publish(
        PublishRequest(text="Fjorden 🌊", media=(VIDEO,), idempotency_key="k")
    )
    assert ig.json_sent("POST", f"{IG}/media") == {
        "media_type": "REELS",
        "video_url": "https://media.varde.example/fjord.mp4",
        "caption": "Fjorden 🌊",
    }
    assert len(ig.calls("GET", CONTAINER)) == 3
    assert ig.calls("GET", CONTAINER)[0].url.params["fields"] == "status_code,status"
    assert slept == [10.0, 10.0]
    assert ig.json_sent("POST", PUBLISH) == {"creation_id": "17889455560051444"}
    assert result.url == "https://www.instagram.com/p/DEf1a2B3c4D/"


def test_media_still_processing_is_transient_and_publishes_nothing(ig: FakeNetwork) -> None:
    ig.on("GET", CONTAINER, reply(200, load("instagram", "container_in_progress")))
    connector = _connector(ig)
    connector.container_poll_attempts = 3  # type: ignore[misc]
    with pytest.raises(Transient, match="still processing"):
        connector.publish(PublishRequest(text="x", media=(VIDEO,), idempotency_key="k"))
    assert not ig.calls("POST", PUBLISH)


def test_container_error_is_rejected_with_instagrams_words(ig: FakeNetwork) -> None:
    ig.on("GET", CONTAINER, reply(200, load("instagram", "container_error")))
    with pytest.raises(Rejected, match="Video format is not supported") as caught:
        _connector(ig).publish(PublishRequest(text="x", media=(VIDEO,), idempotency_key="k"))
    assert caught.value.code == "ERROR"
    assert not ig.calls("POST", PUBLISH)


def test_carousel_children_then_parent(ig: FakeNetwork) -> None:
    ig.on("GET", CONTAINER, reply(200, load("instagram", "container_finished")))
    ig.on(
        "POST",
        f"{IG}/media",
        reply(200, {"id": "17889455560051444"}),
        reply(200, {"id": "17889455560051444"}),
        reply(200, {"id": "17889455560051444"}),
    )
    _connector(ig).publish(
        PublishRequest(text="To bilder", media=(JPEG, VIDEO), idempotency_key="k")
    )
    bodies = [ig.json_sent("POST", f"{IG}/media", i) for i in range(3)]
    assert bodies[0] == {"image_url": JPEG.public_url, "is_carousel_item": True}
    assert bodies[1] == {
        "media_type": "VIDEO",
        "video_url": VIDEO.public_url,
        "is_carousel_item": True,
    }
    assert bodies[2] == {
        "media_type": "CAROUSEL",
        "children": "17889455560051444,17889455560051444",
        "caption": "To bilder",
    }


def test_publishing_quota_used_up_is_rate_limited_before_any_container(ig: FakeNetwork) -> None:
    ig.on(
        "GET",
        f"{IG}/content_publishing_limit",
        reply(200, load("instagram", "publishing_limit_used")),
    )
    with pytest.raises(RateLimited, match="25 posts per 24 hours"):
        _connector(ig).publish(PublishRequest(text="x", media=(JPEG,), idempotency_key="k"))
    assert not ig.calls("POST", f"{IG}/media")


def test_text_only_and_media_without_public_url_are_refused(ig: FakeNetwork) -> None:
    with pytest.raises(Rejected, match="need an image or a video"):
        _connector(ig).publish(PublishRequest(text="Bare tekst", idempotency_key="k"))
    local = MediaItem(mime_type="image/jpeg", data=b"\xff\xd8")
    with pytest.raises(Rejected, match="public address"):
        _connector(ig).publish(PublishRequest(text="x", media=(local,), idempotency_key="k"))
    png = MediaItem(mime_type="image/png", data=b"\x89P", public_url="https://m.example/a.png")
    with pytest.raises(Rejected, match=r"media_type\(number=1, type=image/png\)"):
        _connector(ig).publish(PublishRequest(text="x", media=(png,), idempotency_key="k"))
    assert not ig.requests


def test_first_comment(ig: FakeNetwork) -> None:
    ig.on("GET", CONTAINER, reply(200, load("instagram", "container_finished")))
    ig.on("POST", f"/v21.0/{MEDIA}/comments", reply(200, load("instagram", "comment_created")))
    result = _connector(ig).publish(
        PublishRequest(text="x", media=(JPEG,), first_comment="#varde #fjell", idempotency_key="k")
    )
    assert ig.json_sent("POST", f"/v21.0/{MEDIA}/comments") == {"message": "#varde #fjell"}
    assert result.first_comment_id == "17871234567890123"


def test_comments_and_replies_newer_than_cursor(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        f"{IG}/media",
        reply(
            200, {"data": [{"id": MEDIA, "permalink": "https://www.instagram.com/p/DEf1a2B3c4D/"}]}
        ),
    )
    fake.on("GET", f"/v21.0/{MEDIA}/comments", reply(200, load("instagram", "comments")))
    cursor = str(int(datetime(2025, 1, 2, tzinfo=UTC).timestamp()))
    page = _connector(fake).fetch_mentions(cursor=cursor)
    assert [m.id for m in page.items] == ["17858893269000001", "17858893269000003"]
    top, answer = page.items
    assert (top.kind, top.author_handle, top.in_reply_to) == (
        MentionKind.COMMENT,
        "kari.nordmann",
        MEDIA,
    )
    assert answer.in_reply_to == "17858893269000001"
    assert page.cursor == str(int(datetime(2025, 1, 2, 10, 10, tzinfo=UTC).timestamp()))


def test_reply_hide_metrics_find_and_no_delete(fake: FakeNetwork) -> None:
    comment = "17858893269000001"
    fake.on("POST", f"/v21.0/{comment}/replies", reply(200, load("instagram", "comment_created")))
    fake.on("POST", f"/v21.0/{comment}", reply(200, {"success": True}))
    fake.on("GET", f"/v21.0/{MEDIA}", reply(200, load("instagram", "media_counts")))
    fake.on("GET", f"{IG}/media", reply(200, load("instagram", "media_list")))
    connector = _connector(fake)
    assert connector.reply(to=comment, text="Takk! 🫐", idempotency_key="r").network_post_id == (
        "17871234567890123"
    )
    assert fake.json_sent("POST", f"/v21.0/{comment}/replies") == {"message": "Takk! 🫐"}
    connector.hide(comment)
    connector.unhide(comment)
    hides = fake.calls("POST", f"/v21.0/{comment}")
    assert [parse_qs(r.content.decode()) for r in hides] == [
        {"hide": ["true"]},
        {"hide": ["false"]},
    ]
    [metrics] = connector.fetch_metrics([MEDIA])
    assert (metrics.likes, metrics.replies) == (88, 6)
    request = PublishRequest(
        text="Blåbærsyltetøy 🫐",
        link="https://varde.example/blog",
        media=(JPEG,),
        idempotency_key="k",
    )
    found = connector.find_published(request, since=datetime(2025, 1, 2, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == MEDIA
    with pytest.raises(NotSupported):
        connector.delete(MEDIA)


def test_login_and_refresh_extend_the_user_token(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        "/v21.0/oauth/access_token",
        reply(200, load("facebook", "oauth_short")),
        reply(200, load("facebook", "oauth_long")),
    )
    fake.on("GET", IG, reply(200, load("instagram", "user")))
    creds = _connector(fake).exchange_code(code="c", redirect_uri="https://varde.example/cb")
    assert creds.access_token == "EAAGm0PX4ZCpsBALongLived"
    assert creds.extra == {"ig_user_id": "17841405822304914", "username": "varde.norge"}
    assert creds.expires_at is not None
    account = _connector(fake).get_account()
    assert (account.handle, account.followers) == ("varde.norge", 2760)
    refreshed = _connector(fake).refresh()
    params = fake.calls("GET", "/v21.0/oauth/access_token")[-1].url.params
    assert params["grant_type"] == "fb_exchange_token"
    assert params["fb_exchange_token"] == "ig-token"
    assert refreshed.extra["username"] == "varde.norge"
