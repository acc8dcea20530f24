"""WordPress specifics: Application Password auth, scheduling, media, comments, moderation."""

import base64
from datetime import UTC, datetime

import pytest

from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG
from varde.connectors.wordpress.connector import WordPressConnector, content_html, title_for

API = "/wp-json/wp/v2"


def _connector(fake: FakeNetwork) -> WordPressConnector:
    creds = Credentials(access_token="abcd efgh ijkl", extra={"username": "redaksjon"})
    return WordPressConnector(
        credentials=creds, config={"site": "https://blogg.varde.example"}, client=fake.client()
    )


def test_publish_uses_basic_auth_and_marks_the_post(fake: FakeNetwork) -> None:
    fake.on("POST", f"{API}/posts", reply(201, load("wordpress", "post")))
    result = _connector(fake).publish(
        PublishRequest(
            text="Blåbærsyltetøy\n\nLes mer: https://varde.example", idempotency_key="delivery-42"
        )
    )
    request = fake.calls("POST", f"{API}/posts")[0]
    expected = base64.b64encode(b"redaksjon:abcd efgh ijkl").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    body = fake.json_sent("POST", f"{API}/posts")
    assert body["status"] == "publish"
    assert body["title"] == "Blåbærsyltetøy"
    assert '<a href="https://varde.example">https://varde.example</a>' in body["content"]
    assert body["content"].endswith("<!-- varde:delivery-42 -->")
    assert result.url == "https://blogg.varde.example/blabaersyltetoy/"
    assert result.published_at == datetime(2025, 1, 1, 9, tzinfo=UTC)


def test_media_upload_headers_alt_text_and_featured_image(fake: FakeNetwork) -> None:
    fake.on("POST", f"{API}/media", reply(201, load("wordpress", "media")))
    fake.on("POST", f"{API}/media/88", reply(200, load("wordpress", "media")))
    fake.on("POST", f"{API}/posts", reply(201, load("wordpress", "post")))
    item = MediaItem(mime_type="image/png", data=PNG, alt_text='Bål "på" stranda')
    _connector(fake).publish(PublishRequest(text="Kveld", media=(item,), idempotency_key="k"))
    upload = fake.calls("POST", f"{API}/media")[0]
    assert upload.headers["Content-Disposition"] == 'attachment; filename="varde-1.png"'
    assert upload.headers["Content-Type"] == "image/png"
    assert upload.content == PNG
    assert fake.json_sent("POST", f"{API}/media/88") == {"alt_text": 'Bål "på" stranda'}
    body = fake.json_sent("POST", f"{API}/posts")
    assert body["featured_media"] == 88
    assert 'alt="Bål &quot;på&quot; stranda"' in body["content"]


def test_content_is_escaped() -> None:
    html = content_html("<script>alert(1)</script> & mer", [], "k")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_title_defaults_to_first_line_cut_at_a_word() -> None:
    long_line = "Ord " * 40
    title = title_for(PublishRequest(text=long_line, idempotency_key="k"))
    assert len(title) <= 71
    assert title.endswith("\u2026")


def test_find_published_searches_for_the_marker(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/posts", reply(200, load("wordpress", "posts_search")))
    connector = _connector(fake)
    found = connector.find_published(
        PublishRequest(text="x", idempotency_key="delivery-42"),
        since=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert found is not None
    assert found.network_post_id == "4711"
    assert fake.requests[0].url.params["search"] == "varde:delivery-42"
    assert fake.requests[0].url.params["context"] == "edit"
    missing = connector.find_published(
        PublishRequest(text="x", idempotency_key="delivery-99"),
        since=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert missing is None


def test_comments_are_mentions_with_a_numeric_cursor(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/comments", reply(200, load("wordpress", "comments")))
    page = _connector(fake).fetch_mentions(cursor="11")
    assert [m.id for m in page.items] == ["12", "13"]
    held, nested = page.items
    assert held.kind is MentionKind.COMMENT
    assert held.in_reply_to == "4711"
    assert nested.in_reply_to == "12"
    assert held.text == "Så fint! Takk"
    assert page.cursor == "13"
    assert fake.requests[0].url.params["status"] == "all"


def test_cursor_filters_seen_comments(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/comments", reply(200, load("wordpress", "comments")))
    page = _connector(fake).fetch_mentions(cursor="12")
    assert [m.id for m in page.items] == ["13"]


def test_comments_from_the_same_second_come_oldest_first(fake: FakeNetwork) -> None:
    # Found against a real WordPress (tests/e2e): the API lists newest first, and two
    # comments in the same second must not keep that order.
    comments = [
        {**load("wordpress", "comment"), "id": number, "date_gmt": "2026-06-01T10:00:00"}
        for number in (21, 20)
    ]
    fake.on("GET", f"{API}/comments", reply(200, comments))
    page = _connector(fake).fetch_mentions(cursor="19")
    assert [m.id for m in page.items] == ["20", "21"]


def test_hide_holds_and_unhide_approves(fake: FakeNetwork) -> None:
    fake.on("POST", f"{API}/comments/12", reply(200, load("wordpress", "comment")))
    connector = _connector(fake)
    connector.hide("12")
    connector.unhide("12")
    assert fake.json_sent("POST", f"{API}/comments/12", 0) == {"status": "hold"}
    assert fake.json_sent("POST", f"{API}/comments/12", 1) == {"status": "approved"}


def test_reply_to_a_comment(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/comments/12", reply(200, load("wordpress", "comment")))
    fake.on("POST", f"{API}/comments", reply(201, {**load("wordpress", "comment"), "id": 14}))
    result = _connector(fake).reply(to="12", text="Takk, Kari!", idempotency_key="r")
    assert fake.json_sent("POST", f"{API}/comments") == {
        "post": 4711,
        "parent": 12,
        "content": "Takk, Kari!",
    }
    assert result.network_post_id == "14"


def test_login_checks_the_application_password(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/users/me", reply(200, load("wordpress", "users_me")))
    creds = WordPressConnector(
        config={"site": "https://blogg.varde.example"}, client=fake.client()
    ).login(identifier="redaksjon", secret="abcd efgh ijkl")
    assert creds.extra == {"username": "redaksjon", "user_id": "1"}


def test_revoked_application_password(fake: FakeNetwork) -> None:
    fake.on("GET", f"{API}/users/me", reply(401, load("wordpress", "error_auth")))
    with pytest.raises(AuthExpired, match="invalid application password"):
        _connector(fake).get_account()


def test_delete_trashes_and_tolerates_already_trashed(fake: FakeNetwork) -> None:
    fake.on("DELETE", f"{API}/posts/4711", reply(410, load("wordpress", "error_already_trashed")))
    _connector(fake).delete("4711")
    assert "force" not in fake.requests[0].url.params


def test_metrics_count_comments(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        f"{API}/comments",
        reply(200, [load("wordpress", "comment")], headers={"X-WP-Total": "7"}),
    )
    [metrics] = _connector(fake).fetch_metrics(["4711"])
    assert metrics.replies == 7


def test_api_root_for_sites_without_pretty_permalinks(fake: FakeNetwork) -> None:
    connector = WordPressConnector(
        credentials=Credentials(access_token="p", extra={"username": "u"}),
        config={"site": "https://b.example", "api_root": "https://b.example/?rest_route="},
        client=fake.client(),
    )
    assert connector._api("/posts") == "https://b.example/?rest_route=/wp/v2/posts"
