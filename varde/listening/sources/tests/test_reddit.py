"""Reddit with the user's own OAuth app, replayed with respx after Reddit's documented API
(OAuth2 wiki: application-only client_credentials; /search, /r/NAME/new listings with
``after``; /api/info by fullname)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
import respx

from varde.listening.sources import get
from varde.listening.sources.base import SourceError
from varde.listening.sources.reddit import API, TOKEN_URL, RedditSource, forget_tokens
from varde.listening.sources.tests.conftest import soon

CONFIG = {
    "client_id": "app-id",
    "client_secret": "app-secret",
    "query": "varde",
    "username": "kari",
}


@pytest.fixture(autouse=True)
def _fresh_tokens():
    forget_tokens()
    yield
    forget_tokens()


def post(id36: str, created: int, **extra: object) -> dict:
    return {
        "kind": "t3",
        "data": {
            "name": f"t3_{id36}",
            "id": id36,
            "created_utc": float(created),
            "author": "kari",
            "title": "Noen som har prøvd Varde?",
            "selftext": "Tenker på **sosiale medier** & sånt",
            "subreddit": "norge",
            "permalink": f"/r/norge/comments/{id36}/noen_som/",
            "url": f"https://www.reddit.com/r/norge/comments/{id36}/noen_som/",
            **extra,
        },
    }


def listing(children: list[dict], after: str | None = None) -> httpx.Response:
    return httpx.Response(
        200,
        json={"kind": "Listing", "data": {"after": after, "before": None, "children": children}},
    )


def token_route():
    return respx.post(TOKEN_URL).respond(
        200,
        json={"access_token": "tok-1", "token_type": "bearer", "expires_in": 86400, "scope": "*"},
    )


@respx.mock
def test_search_with_an_app_only_token():
    token = token_route()
    search = respx.get(f"{API}/search").mock(
        return_value=listing([post("b2", 1010), post("a1", 1000)])
    )
    batch = get("reddit").read(CONFIG, None, deadline=soon())
    sent = token.calls[0].request
    assert (
        sent.headers["Authorization"] == "Basic " + base64.b64encode(b"app-id:app-secret").decode()
    )
    assert sent.content == b"grant_type=client_credentials"
    request = search.calls[0].request
    assert request.headers["Authorization"] == "Bearer tok-1"
    assert request.headers["User-Agent"] == "server:varde-listening-app-id:0.1 (by /u/kari)"
    assert (request.url.params["q"], request.url.params["sort"]) == ("varde", "new")
    first = batch.items[0]
    assert first.external_id == "t3_a1"
    assert first.url == "https://www.reddit.com/r/norge/comments/a1/noen_som/"
    assert first.text == "Noen som har prøvd Varde?\n\nTenker på **sosiale medier** & sånt"
    assert first.author_handle == "u/kari"
    assert first.extra["subreddit"] == "norge"
    assert json.loads(batch.cursor or "") == {"t": 1010, "ids": ["t3_b2"]}
    # The token is kept: a second read asks for none.
    get("reddit").read(CONFIG, batch.cursor, deadline=soon())
    assert token.call_count == 1


@respx.mock
def test_a_subreddit_is_paged_back_to_the_cursor():
    token_route()
    route = respx.get(f"{API}/r/norge/new")
    route.side_effect = [
        listing([post("d4", 1030), post("c3", 1020)], after="t3_c3"),
        listing([post("b2", 1010), post("a1", 1000)], after="t3_a1"),
    ]
    config = {**CONFIG, "query": "", "subreddit": "r/norge"}
    batch = get("reddit").read(config, json.dumps({"t": 1010, "ids": ["t3_b2"]}), deadline=soon())
    assert [r.request.url.params.get("after") for r in route.calls] == [None, "t3_c3"]
    assert [i.external_id for i in batch.items] == ["t3_c3", "t3_d4"]
    assert json.loads(batch.cursor or "")["t"] == 1030


@respx.mock
def test_deleted_and_removed_posts_are_found():
    token_route()
    info = respx.get(f"{API}/api/info").mock(
        return_value=listing(
            [
                post("a1", 1000),
                post("b2", 1001, author="[deleted]", selftext="[deleted]"),
                post("c3", 1002, removed_by_category="moderator", selftext="[removed]"),
            ]
        )
    )
    gone = RedditSource().check_deleted(
        CONFIG, ["t3_a1", "t3_b2", "t3_c3", "t3_d4", "junk"], deadline=soon()
    )
    assert info.calls[0].request.url.params["id"] == "t3_a1,t3_b2,t3_c3,t3_d4"
    assert gone == ["t3_b2", "t3_c3", "t3_d4"]  # d4: not returned at all


@respx.mock
def test_wrong_credentials_are_an_auth_error():
    respx.post(TOKEN_URL).respond(401, json={"message": "Unauthorized", "error": 401})
    with pytest.raises(SourceError) as caught:
        get("reddit").read(CONFIG, None, deadline=soon())
    assert caught.value.code == "auth"
