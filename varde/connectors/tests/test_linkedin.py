"""LinkedIn specifics: x-restli-id, Rest.li headers, Little Text, images, comments, OAuth.

Video publishing has its own module, test_linkedin_video.py."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired, OutcomeUnknown, Rejected
from varde.connectors.linkedin.api import escape_little_text, unescape_little_text
from varde.connectors.linkedin.connector import LinkedInConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG

ORG = "urn:li:organization:2414183"
POST = "urn:li:share:7280000000000000001"
SECOND = "urn:li:share:7280000000000000002"
UPLOAD = "/dms-uploads/sp/v2/D4E10AQFakeUpload/uploaded-image/0"


def _connector(fake: FakeNetwork, creds: Credentials | None = None) -> LinkedInConnector:
    return LinkedInConnector(
        credentials=creds or Credentials(access_token="li-token"),
        config={"client_id": "li", "client_secret": "s", "organization_id": "2414183"},
        client=fake.client(),
    )


def _created(urn: str = POST) -> object:
    return reply(201, None, headers={"x-restli-id": urn})


def test_post_id_comes_from_x_restli_id_and_headers_are_versioned(fake: FakeNetwork) -> None:
    fake.on("POST", "/rest/posts", _created("urn:li:ugcPost:7280000000000000009"))
    result = _connector(fake).publish(
        PublishRequest(text="Hei #fjell (test) @varde", idempotency_key="k")
    )
    assert result.network_post_id == "urn:li:ugcPost:7280000000000000009"
    assert result.url == "https://www.linkedin.com/feed/update/urn:li:ugcPost:7280000000000000009/"
    sent = fake.calls("POST", "/rest/posts")[0]
    assert sent.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert sent.headers["LinkedIn-Version"].isdigit()
    body = fake.json_sent("POST", "/rest/posts")
    assert body["author"] == ORG
    assert body["commentary"] == r"Hei \#fjell \(test\) \@varde"
    assert body["lifecycleState"] == "PUBLISHED"
    assert "content" not in body


def test_missing_x_restli_id_is_outcome_unknown(fake: FakeNetwork) -> None:
    fake.on("POST", "/rest/posts", reply(201, None))
    with pytest.raises(OutcomeUnknown, match="x-restli-id"):
        _connector(fake).publish(PublishRequest(text="Hei", idempotency_key="k"))


def test_little_text_round_trip() -> None:
    text = r"a\b | {c} [d] (e) <f> #g *h* _i_ ~j~ @k"
    assert unescape_little_text(escape_little_text(text)) == text


def test_images_are_initialized_then_put(fake: FakeNetwork) -> None:
    fake.on("POST", "/rest/images", reply(200, load("linkedin", "images_initialize")))
    fake.on("PUT", UPLOAD, reply(201))
    fake.on("POST", "/rest/posts", _created())
    images = tuple(MediaItem(mime_type="image/png", data=PNG, alt_text=f"Bål {n}") for n in (1, 2))
    _connector(fake).publish(PublishRequest(text="Bål", media=images, idempotency_key="k"))
    init = fake.calls("POST", "/rest/images")[0]
    assert init.url.params["action"] == "initializeUpload"
    assert fake.json_sent("POST", "/rest/images") == {"initializeUploadRequest": {"owner": ORG}}
    put = fake.calls("PUT", UPLOAD)[0]
    assert put.content == PNG
    assert put.headers["Authorization"] == "Bearer li-token"
    content = fake.json_sent("POST", "/rest/posts")["content"]
    assert content["multiImage"]["images"][1] == {
        "id": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
        "altText": "Bål 2",
    }


def test_first_comment_is_posted_as_the_page(fake: FakeNetwork) -> None:
    fake.on("POST", "/rest/posts", _created())
    fake.on(
        "POST",
        f"/rest/socialActions/{POST}/comments",
        reply(201, load("linkedin", "comment_created")),
    )
    result = _connector(fake).publish(
        PublishRequest(text="Hei", first_comment="Les mer i bloggen", idempotency_key="k")
    )
    sent = fake.json_sent("POST", f"/rest/socialActions/{POST}/comments")
    assert sent == {"actor": ORG, "object": POST, "message": {"text": "Les mer i bloggen"}}
    assert result.first_comment_id == (
        "urn:li:comment:(urn:li:activity:7280000000000000100,7280000000000000300)"
    )
    # The URN is percent-encoded in the path, as Rest.li 2.0 requires.
    raw = fake.calls("POST", f"/rest/socialActions/{POST}/comments")[0].url.raw_path
    assert b"urn%3Ali%3Ashare%3A7280000000000000001" in raw


def test_reply_to_a_comment_is_nested_under_it(fake: FakeNetwork) -> None:
    comment = "urn:li:comment:(urn:li:activity:7280000000000000100,7280000000000000201)"
    fake.on(
        "POST",
        f"/rest/socialActions/{comment}/comments",
        reply(201, load("linkedin", "comment_created")),
    )
    _connector(fake).reply(to=comment, text="Takk for det! 🫐", idempotency_key="r")
    sent = fake.json_sent("POST", f"/rest/socialActions/{comment}/comments")
    assert sent["object"] == "urn:li:activity:7280000000000000100"
    assert sent["parentComment"] == comment
    assert sent["actor"] == ORG


def test_comments_newer_than_the_cursor_skip_the_pages_own(fake: FakeNetwork) -> None:
    fake.on("GET", "/rest/posts", reply(200, load("linkedin", "posts_by_author")))
    fake.on("GET", f"/rest/socialActions/{SECOND}/comments", reply(200, {"elements": []}))
    fake.on("GET", f"/rest/socialActions/{POST}/comments", reply(200, load("linkedin", "comments")))
    page = _connector(fake).fetch_mentions(cursor="1735810000000")
    assert fake.requests[0].url.params["q"] == "author"
    assert fake.requests[0].url.params["author"] == ORG
    [comment] = page.items
    assert comment.kind is MentionKind.COMMENT
    assert comment.text == "Så fint! <3"
    assert comment.in_reply_to == POST
    assert comment.created_at == datetime(2025, 1, 2, 11, 0, tzinfo=UTC)
    assert page.cursor == "1735815600000"


def test_find_published_unescapes_little_text(fake: FakeNetwork) -> None:
    fake.on("GET", "/rest/posts", reply(200, load("linkedin", "posts_by_author")))
    request = PublishRequest(
        text="Blåbærsyltetøy (hjemmelaget) 🫐",
        link="https://varde.example/blog",
        idempotency_key="k",
    )
    found = _connector(fake).find_published(request, since=datetime(2025, 1, 2, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == POST
    later = datetime(2025, 1, 2, 10, tzinfo=UTC)
    assert _connector(fake).find_published(request, since=later) is None


def test_account_followers_metrics_and_delete(fake: FakeNetwork) -> None:
    fake.on("GET", "/rest/organizations/2414183", reply(200, load("linkedin", "organization")))
    fake.on("GET", f"/rest/networkSizes/{ORG}", reply(200, load("linkedin", "network_size")))
    fake.on("GET", f"/rest/socialActions/{POST}", reply(200, load("linkedin", "social_actions")))
    fake.on("DELETE", f"/rest/posts/{POST}", reply(204))
    fake.on("DELETE", f"/rest/posts/{SECOND}", reply(404, {"status": 404, "message": "Not found"}))
    connector = _connector(fake)
    account = connector.get_account()
    assert (account.display_name, account.followers) == ("Varde Norge AS", 8412)
    sizes = fake.calls("GET", f"/rest/networkSizes/{ORG}")[0]
    assert sizes.url.params["edgeType"] == "COMPANY_FOLLOWED_BY_MEMBER"
    [metrics] = connector.fetch_metrics([POST])
    assert (metrics.likes, metrics.replies) == (27, 4)
    connector.delete(POST)
    connector.delete(SECOND)  # already gone counts as deleted


def test_oauth_without_pkce_and_refresh(fake: FakeNetwork) -> None:
    connector = _connector(fake)
    url = connector.authorize_url(redirect_uri="https://varde.example/cb", state="st").url
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert "code_challenge" not in query
    assert "w_organization_social" in query["scope"][0].split()
    fake.on("POST", "/oauth/v2/accessToken", reply(200, load("linkedin", "token")))
    creds = connector.exchange_code(code="c", redirect_uri="https://varde.example/cb")
    assert creds.refresh_token == "AQWAft_WjYZKwuWXLC5hQlghgTam"
    assert creds.extra == {"organization_urn": ORG}
    assert "w_organization_social" in creds.scopes
    form = parse_qs(fake.calls("POST", "/oauth/v2/accessToken")[0].content.decode())
    assert form["client_secret"] == ["s"]
    refreshed = _connector(fake, creds).refresh()
    assert refreshed.access_token == "AQUvlL_DYEzvT2wz1QJiEPeLioeA"


def test_refresh_without_a_refresh_token_or_with_a_revoked_one(fake: FakeNetwork) -> None:
    with pytest.raises(AuthExpired, match="no refresh token"):
        _connector(fake).refresh()
    fake.on(
        "POST", "/oauth/v2/accessToken", reply(400, load("linkedin", "error_oauth_invalid_grant"))
    )
    creds = Credentials(access_token="a", refresh_token="r")
    with pytest.raises(AuthExpired, match="revoked"):
        _connector(fake, creds).refresh()


def test_missing_organization_is_a_clear_refusal(fake: FakeNetwork) -> None:
    connector = LinkedInConnector(credentials=Credentials(access_token="a"), client=fake.client())
    with pytest.raises(Rejected, match="organization_id"):
        connector.publish(PublishRequest(text="Hei", idempotency_key="k"))
