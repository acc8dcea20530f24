"""Facebook Page specifics: Graph error codes, photos, comments, hiding, insights, login."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import AuthExpired, RateLimited
from varde.connectors.meta.facebook import FacebookConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG

PAGE = "104512345678901"
POST = "104512345678901_122100123456789012"
FEED = f"/v21.0/{PAGE}/feed"


def _connector(fake: FakeNetwork) -> FacebookConnector:
    return FacebookConnector(
        credentials=Credentials(access_token="page-token", extra={"page_id": PAGE}),
        config={"client_id": "fb", "client_secret": "s", "page_id": PAGE},
        client=fake.client(),
    )


def test_code_190_on_any_status_is_auth_expired(fake: FakeNetwork) -> None:
    fake.on("GET", f"/v21.0/{PAGE}", reply(400, load("facebook", "error_token_expired")))
    with pytest.raises(AuthExpired, match="Session has expired"):
        _connector(fake).get_account()


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_graph_throttling_codes_are_rate_limited(fake: FakeNetwork, code: int) -> None:
    body = load("facebook", "error_rate_limit")
    body["error"]["code"] = code
    usage = json.dumps(
        {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    )
    fake.on("POST", FEED, reply(400, body, headers={"X-Business-Use-Case-Usage": usage}))
    with pytest.raises(RateLimited) as caught:
        _connector(fake).publish(PublishRequest(text="Hei", idempotency_key="k"))
    assert caught.value.retry_after == 7 * 60


def test_photos_are_uploaded_unpublished_and_attached(fake: FakeNetwork) -> None:
    fake.on("POST", f"/v21.0/{PAGE}/photos", reply(200, load("facebook", "photo_unpublished")))
    fake.on("POST", FEED, reply(200, load("facebook", "feed_created")))
    image = MediaItem(mime_type="image/png", data=PNG, alt_text="Bål på stranda")
    request = PublishRequest(text="Bål", media=(image,), idempotency_key="k")
    _connector(fake).publish(request)
    upload = fake.calls("POST", f"/v21.0/{PAGE}/photos")[0]
    assert b'name="published"\r\n\r\nfalse' in upload.content
    assert "Bål på stranda".encode() in upload.content
    assert upload.headers["Authorization"] == "Bearer page-token"
    sent = fake.json_sent("POST", FEED)
    assert sent == {"message": "Bål", "attached_media": [{"media_fbid": "122100987654321098"}]}


def test_link_and_first_comment(fake: FakeNetwork) -> None:
    fake.on("POST", FEED, reply(200, load("facebook", "feed_created")))
    fake.on("POST", f"/v21.0/{POST}/comments", reply(200, load("facebook", "comment_created")))
    request = PublishRequest(
        text="Ny blogg",
        link="https://varde.example/blog",
        first_comment="Si hva du synes!",
        idempotency_key="k",
    )
    result = _connector(fake).publish(request)
    assert fake.json_sent("POST", FEED) == {
        "message": "Ny blogg\n\nhttps://varde.example/blog",
        "link": "https://varde.example/blog",
    }
    assert fake.json_sent("POST", f"/v21.0/{POST}/comments") == {"message": "Si hva du synes!"}
    assert result.first_comment_id == "122100123456789012_987654321098765"


def test_comments_skip_the_pages_own_and_older_ones(fake: FakeNetwork) -> None:
    fake.on("GET", f"/v21.0/{PAGE}/posts", reply(200, {"data": [{"id": POST}]}))
    fake.on("GET", f"/v21.0/{POST}/comments", reply(200, load("facebook", "comments")))
    cursor = str(int(datetime(2025, 1, 2, 9, tzinfo=UTC).timestamp()))
    page = _connector(fake).fetch_mentions(cursor=cursor)
    assert [m.id for m in page.items] == ["122100123456789012_111", "122100123456789012_113"]
    first, answer = page.items
    assert (first.author_name, first.in_reply_to) == ("Kari Nordmann", POST)
    assert answer.in_reply_to == "122100123456789012_111"
    assert answer.author_name == ""  # Graph left out `from`
    assert page.cursor == str(int(datetime(2025, 1, 2, 10, 10, tzinfo=UTC).timestamp()))
    assert fake.calls("GET", f"/v21.0/{POST}/comments")[0].url.params["since"] == cursor


def test_reply_hide_and_unhide(fake: FakeNetwork) -> None:
    comment = "122100123456789012_111"
    fake.on("POST", f"/v21.0/{comment}/comments", reply(200, load("facebook", "comment_created")))
    fake.on("POST", f"/v21.0/{comment}", reply(200, load("facebook", "success")))
    connector = _connector(fake)
    connector.reply(to=comment, text="Takk, Kari!", idempotency_key="r")
    assert fake.json_sent("POST", f"/v21.0/{comment}/comments") == {"message": "Takk, Kari!"}
    connector.hide(comment)
    connector.unhide(comment)
    hides = fake.calls("POST", f"/v21.0/{comment}")
    assert [parse_qs(r.content.decode()) for r in hides] == [
        {"is_hidden": ["true"]},
        {"is_hidden": ["false"]},
    ]


def test_find_published_metrics_account_and_delete(fake: FakeNetwork) -> None:
    fake.on("GET", f"/v21.0/{PAGE}/posts", reply(200, load("facebook", "posts")))
    fake.on("GET", f"/v21.0/{POST}", reply(200, load("facebook", "post_counts")))
    fake.on("GET", f"/v21.0/{POST}/insights", reply(200, load("facebook", "post_insights")))
    fake.on("GET", f"/v21.0/{PAGE}", reply(200, load("facebook", "page")))
    fake.on("DELETE", f"/v21.0/{POST}", reply(200, load("facebook", "success")))
    fake.on("DELETE", f"/v21.0/{PAGE}_1", reply(404, load("facebook", "error_not_found")))
    connector = _connector(fake)
    request = PublishRequest(
        text="Blåbærsyltetøy 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    since = datetime(2025, 1, 2, tzinfo=UTC)
    found = connector.find_published(request, since=since)
    assert found is not None
    assert (found.network_post_id, found.url) == (
        POST,
        "https://www.facebook.com/vardenorge/posts/pfbid0xyz",
    )
    assert fake.requests[0].url.params["since"] == str(int(since.timestamp()))
    [metrics] = connector.fetch_metrics([POST])
    assert (metrics.likes, metrics.replies, metrics.reposts, metrics.views) == (42, 5, 3, 1870)
    account = connector.get_account()
    assert (account.handle, account.followers) == ("vardenorge", 3150)
    connector.delete(POST)
    connector.delete(f"{PAGE}_1")  # already gone counts as deleted


def test_login_swaps_the_code_for_a_page_token(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        "/v21.0/oauth/access_token",
        reply(200, load("facebook", "oauth_short")),
        reply(200, load("facebook", "oauth_long")),
    )
    fake.on("GET", f"/v21.0/{PAGE}", reply(200, load("facebook", "page_token")))
    connector = _connector(fake)
    url = connector.authorize_url(redirect_uri="https://varde.example/cb", state="st").url
    assert url.startswith("https://www.facebook.com/v21.0/dialog/oauth?")
    assert "pages_manage_posts" in parse_qs(urlsplit(url).query)["scope"][0].split(",")
    creds = connector.exchange_code(code="c", redirect_uri="https://varde.example/cb")
    assert creds.access_token == "EAAGm0PX4ZCpsBAPageTokenNeverExpires"
    assert creds.extra == {"page_id": PAGE}
    swap = fake.calls("GET", "/v21.0/oauth/access_token")[1].url.params
    assert swap["grant_type"] == "fb_exchange_token"
    assert swap["fb_exchange_token"] == "EAAGm0PX4ZCpsBAShortLived"
    page_call = fake.calls("GET", f"/v21.0/{PAGE}")[0]
    assert page_call.headers["Authorization"] == "Bearer EAAGm0PX4ZCpsBALongLived"
