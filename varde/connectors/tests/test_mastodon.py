"""Mastodon specifics: Idempotency-Key, instance limits, media processing, notifications."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import Rejected, Transient
from varde.connectors.mastodon.connector import MastodonConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG

INSTANCE = "https://mastodon.example"
STATUSES = "/api/v1/statuses"


def _connector(fake: FakeNetwork, **config: str) -> MastodonConnector:
    creds = Credentials(access_token="token", extra={"account_id": "109382", "acct": "varde"})
    return MastodonConnector(
        credentials=creds,
        config={"instance": INSTANCE, "client_id": "cid", "client_secret": "csecret", **config},
        client=fake.client(),
        sleep=lambda _: None,
    )


@pytest.fixture
def instance(fake: FakeNetwork) -> FakeNetwork:
    return fake.on("GET", "/api/v2/instance", reply(200, load("mastodon", "instance_v2")))


def test_idempotency_key_is_sent_and_distinct_per_thread_part(instance: FakeNetwork) -> None:
    answers = [reply(200, {**load("mastodon", "status"), "id": str(n)}) for n in (1, 2, 3)]
    instance.on("POST", STATUSES, *answers)
    request = PublishRequest(
        text="Del 1", thread=("Del 2",), first_comment="Kommentar", idempotency_key="delivery-42"
    )
    result = _connector(instance).publish(request)
    keys = [r.headers["Idempotency-Key"] for r in instance.calls("POST", STATUSES)]
    assert keys == ["delivery-42", "delivery-42:2", "delivery-42:comment"]
    bodies = [instance.json_sent("POST", STATUSES, i) for i in range(3)]
    assert "in_reply_to_id" not in bodies[0]
    assert bodies[1]["in_reply_to_id"] == "1"
    assert bodies[2]["in_reply_to_id"] == "1"
    assert result.thread_ids == ("2",)
    assert result.first_comment_id == "3"


def test_instance_limits_replace_the_defaults(instance: FakeNetwork) -> None:
    limits = _connector(instance).effective_limits()
    assert limits.text_max == 1000
    assert limits.link_length == 23
    assert "video/webm" not in limits.media_types
    assert limits.max_alt_text == 1500


def test_links_count_as_23_characters(instance: FakeNetwork) -> None:
    instance.on("POST", STATUSES, reply(200, load("mastodon", "status")))
    long_link = "https://varde.example/" + "a" * 2000
    text = "ø" * (1000 - 24) + " " + long_link  # 976 + 1 + 23 = 1000: exactly at the limit
    _connector(instance).publish(PublishRequest(text=text, idempotency_key="k"))
    assert instance.calls("POST", STATUSES)


def test_media_is_polled_while_processing(instance: FakeNetwork) -> None:
    instance.on("POST", "/api/v2/media", reply(202, load("mastodon", "media_processing")))
    instance.on(
        "GET",
        "/api/v1/media/22348641",
        reply(206, None),
        reply(206, None),
        reply(200, load("mastodon", "media_ready")),
    )
    instance.on("POST", STATUSES, reply(200, load("mastodon", "status")))
    slept: list[float] = []
    connector = _connector(instance)
    connector.sleep = slept.append
    video = MediaItem(mime_type="video/mp4", data=b"\x00" * 64, alt_text="En video av fjorden")
    connector.publish(PublishRequest(text="Fjorden", media=(video,), idempotency_key="k"))
    assert len(instance.calls("GET", "/api/v1/media/22348641")) == 3
    assert slept == [2.0, 2.0]
    assert instance.json_sent("POST", STATUSES)["media_ids"] == ["22348641"]
    upload = instance.calls("POST", "/api/v2/media")[0]
    assert b'name="description"' in upload.content
    assert b"En video av fjorden" in upload.content


def test_media_still_processing_is_transient_and_posts_nothing(instance: FakeNetwork) -> None:
    instance.on("POST", "/api/v2/media", reply(202, load("mastodon", "media_processing")))
    instance.on("GET", "/api/v1/media/22348641", reply(206, None))
    connector = _connector(instance)
    connector.media_poll_attempts = 3  # type: ignore[misc]
    video = MediaItem(mime_type="video/mp4", data=b"\x00" * 64)
    with pytest.raises(Transient, match="still processing"):
        connector.publish(PublishRequest(text="x", media=(video,), idempotency_key="k"))
    assert not instance.calls("POST", STATUSES)


def test_image_ready_at_once_is_not_polled(instance: FakeNetwork) -> None:
    instance.on("POST", "/api/v2/media", reply(200, load("mastodon", "media_ready")))
    instance.on("POST", STATUSES, reply(200, load("mastodon", "status")))
    image = MediaItem(mime_type="image/png", data=PNG, alt_text="Bål")
    _connector(instance).publish(PublishRequest(text="x", media=(image,), idempotency_key="k"))
    assert not instance.calls("GET", "/api/v1/media/22348641")


def test_app_registration_and_oauth(fake: FakeNetwork) -> None:
    fake.on("POST", "/api/v1/apps", reply(200, load("mastodon", "app")))
    fake.on("POST", "/oauth/token", reply(200, load("mastodon", "token")))
    fake.on(
        "GET",
        "/api/v1/accounts/verify_credentials",
        reply(200, load("mastodon", "verify_credentials")),
    )
    connector = MastodonConnector(config={"instance": INSTANCE}, client=fake.client())
    app = connector.register_app(redirect_uri="https://varde.example/cb")
    assert app["client_id"] == "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"
    connector = MastodonConnector(config={"instance": INSTANCE, **app}, client=fake.client())
    url = connector.authorize_url(redirect_uri="https://varde.example/cb", state="xyz").url
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{INSTANCE}/oauth/authorize?")
    assert query["response_type"] == ["code"]
    assert query["state"] == ["xyz"]
    assert "write:statuses" in query["scope"][0].split()
    creds = connector.exchange_code(code="abc", redirect_uri="https://varde.example/cb")
    assert creds.access_token == "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"
    assert creds.extra == {"account_id": "109382", "acct": "varde"}
    token_form = parse_qs(fake.calls("POST", "/oauth/token")[0].content.decode())
    assert token_form["grant_type"] == ["authorization_code"]


def test_bad_oauth_code_gives_the_description(fake: FakeNetwork) -> None:
    fake.on("POST", "/oauth/token", reply(400, load("mastodon", "error_invalid_grant")))
    with pytest.raises(Rejected, match="authorization grant is invalid") as caught:
        _connector(fake).exchange_code(code="bad", redirect_uri="https://varde.example/cb")
    assert caught.value.code == "invalid_grant"


def test_notifications_follow_link_pages_from_the_cursor(fake: FakeNetwork) -> None:
    first = reply(
        200,
        load("mastodon", "notifications"),
        headers={
            "Link": f'<{INSTANCE}/api/v1/notifications?max_id=34975861>; rel="next", '
            f'<{INSTANCE}/api/v1/notifications?min_id=34975900>; rel="prev"'
        },
    )
    fake.on("GET", "/api/v1/notifications", first, reply(200, []))
    page = _connector(fake).fetch_mentions(cursor="34975000")
    assert fake.requests[0].url.params["min_id"] == "34975000"
    assert fake.requests[0].url.params["types[]"] == "mention"
    assert fake.requests[1].url.params["min_id"] == "34975900"
    assert page.cursor == "34975900"
    comment, dm = page.items
    assert comment.kind is MentionKind.COMMENT
    assert comment.author_handle == "kari@social.example"
    assert comment.text == "@varde Så fint! <3"
    assert comment.in_reply_to == "103254962155278888"
    assert dm.kind is MentionKind.DM


def test_reply_to_a_direct_message_stays_direct(fake: FakeNetwork) -> None:
    dm = load("mastodon", "notifications")[0]["status"]
    fake.on("GET", f"{STATUSES}/{dm['id']}", reply(200, dm))
    fake.on("POST", STATUSES, reply(200, load("mastodon", "status")))
    _connector(fake).reply(to=dm["id"], text="Gjerne!", idempotency_key="r-1")
    sent = fake.json_sent("POST", STATUSES)
    assert sent["visibility"] == "direct"
    assert sent["status"] == "@per Gjerne!"
    assert sent["in_reply_to_id"] == dm["id"]


def test_find_published_compares_rendered_content(fake: FakeNetwork) -> None:
    fake.on(
        "GET", "/api/v1/accounts/109382/statuses", reply(200, load("mastodon", "account_statuses"))
    )
    request = PublishRequest(
        text="Blåbærsyltetøy 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    found = _connector(fake).find_published(request, since=datetime(2024, 12, 31, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == "103254962155278888"
    assert fake.requests[0].url.params["exclude_reblogs"] == "true"


def test_metrics_and_delete(fake: FakeNetwork) -> None:
    fake.on("GET", f"{STATUSES}/103254962155278888", reply(200, load("mastodon", "status")))
    fake.on("DELETE", f"{STATUSES}/gone", reply(404, load("mastodon", "error_not_found")))
    connector = _connector(fake)
    [metrics] = connector.fetch_metrics(["103254962155278888"])
    assert (metrics.likes, metrics.reposts, metrics.replies) == (19, 7, 2)
    connector.delete("gone")  # already deleted counts as deleted


def test_instance_settings_come_from_v2_instance(instance: FakeNetwork) -> None:
    settings = _connector(instance).read_instance_settings()
    assert settings == {"max_characters": "1000", "max_media_attachments": "4"}
    assert "Authorization" not in instance.calls("GET", "/api/v2/instance")[0].headers


def test_instance_settings_fall_back_to_v1_instance(fake: FakeNetwork) -> None:
    fake.on("GET", "/api/v2/instance", reply(404, load("mastodon", "error_not_found")))
    fake.on("GET", "/api/v1/instance", reply(200, load("mastodon", "instance_v1")))
    settings = _connector(fake).read_instance_settings()
    assert settings == {"max_characters": "700", "max_media_attachments": "6"}


def test_instance_settings_skip_missing_or_odd_values(fake: FakeNetwork) -> None:
    body = {"configuration": {"statuses": {"max_characters": "lots", "max_media_attachments": 0}}}
    fake.on("GET", "/api/v2/instance", reply(200, body))
    assert _connector(fake).read_instance_settings() == {}
