"""Mastodon timelines, replayed with respx after the documented API
(docs.joinmastodon.org: methods/timelines, entities/Status, api/guidelines#pagination)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from varde.listening.sources import get
from varde.listening.sources.base import SourceError
from varde.listening.sources.mastodon import PAGE
from varde.listening.sources.tests.conftest import soon

SERVER = "https://mastodon.example"
TAG_URL = f"{SERVER}/api/v1/timelines/tag/varde"


def status(id_: str, text: str = "Hei <b>Varde</b>!", **extra: object) -> dict:
    return {
        "id": id_,
        "created_at": "2024-10-01T08:00:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "nb",
        "uri": f"https://other.example/users/kari/statuses/{id_}",
        "url": f"https://other.example/@kari/{id_}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "content": f"<p>{text}</p>",
        "reblog": None,
        "account": {
            "id": "1",
            "username": "kari",
            "acct": "kari@other.example",
            "display_name": "Kari N.",
            "url": "https://other.example/@kari",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": "varde", "url": f"{SERVER}/tags/varde"}],
        **extra,
    }


def link(newest: str, oldest: str, url: str = TAG_URL) -> str:
    return f'<{url}?max_id={oldest}>; rel="next", <{url}?min_id={newest}>; rel="prev"'


@respx.mock
def test_the_first_read_takes_the_newest_page_and_sets_the_cursor():
    route = respx.get(TAG_URL).respond(
        200,
        json=[
            status("103", "Tredje <script>x</script>"),
            status("102", in_reply_to_id="90", spoiler_text="CW: kaffe", language="en"),
            status("101", account={"acct": "ola", "display_name": "Ola"}),
            status("100", visibility="direct"),
            status("99", reblog=status("50")),
        ],
        headers={"Link": link("103", "99"), "X-RateLimit-Remaining": "299"},
    )
    batch = get("mastodon").read({"server": SERVER, "hashtag": "#varde"}, None, deadline=soon())
    assert route.calls[0].request.url.params["limit"] == str(PAGE)
    assert "min_id" not in route.calls[0].request.url.params
    assert batch.cursor == "103"
    by_id = {i.extra["status_id"]: i for i in batch.items}
    assert set(by_id) == {"101", "102", "103"}  # no direct message, no boost
    assert by_id["103"].text == "Tredje"
    assert by_id["103"].external_id == "https://other.example/users/kari/statuses/103"
    assert by_id["103"].author_handle == "@kari@other.example"
    assert by_id["103"].author_name == "Kari N."
    assert by_id["103"].site == "other.example"
    assert by_id["103"].published_at == datetime(2024, 10, 1, 8, tzinfo=UTC)
    assert by_id["102"].text == "CW: kaffe\n\nHei Varde!"
    assert by_id["102"].lang == "en"
    assert by_id["102"].extra["in_reply_to"] == "90"
    assert by_id["101"].author_handle == "@ola@mastodon.example"  # local account made global
    assert batch.health["rate_limit_remaining"] == "299"


@respx.mock
def test_later_reads_page_forward_with_min_id_following_the_link_header():
    full = [status(str(200 + n)) for n in range(PAGE, 0, -1)]  # 240 … 201, newest first
    route = respx.get(TAG_URL)
    route.side_effect = [
        httpx.Response(200, json=full, headers={"Link": link("240", "201")}),
        httpx.Response(200, json=[status("241")], headers={"Link": link("241", "241")}),
    ]
    batch = get("mastodon").read(
        {"server": SERVER, "hashtag": "varde", "token": "secret"}, "200", deadline=soon()
    )
    sent = [call.request for call in route.calls]
    assert [r.url.params["min_id"] for r in sent] == ["200", "240"]
    assert sent[0].headers["Authorization"] == "Bearer secret"
    assert len(batch.items) == PAGE + 1
    assert batch.cursor == "241"
    assert batch.items[0].extra["status_id"] in {str(n) for n in range(201, 242)}


@respx.mock
def test_nothing_new_keeps_the_cursor():
    respx.get(f"{SERVER}/api/v1/timelines/public").respond(200, json=[])
    batch = get("mastodon").read({"server": SERVER, "local": "true"}, "500", deadline=soon())
    assert batch.items == []
    assert batch.cursor is None
    request = respx.calls[0].request
    assert request.url.params["local"] == "true"
    assert request.url.params["min_id"] == "500"


@respx.mock
def test_a_server_that_requires_a_token_says_so():
    respx.get(f"{SERVER}/api/v1/timelines/public").respond(
        401, json={"error": "This API requires an authenticated user"}
    )
    with pytest.raises(SourceError) as caught:
        get("mastodon").read({"server": SERVER}, None, deadline=soon())
    assert caught.value.code == "auth"
    assert caught.value.detail == "HTTP 401: This API requires an authenticated user"


@pytest.mark.parametrize("tag", ["a/b", "../x", "tag?x=1"])
def test_a_hashtag_cannot_change_the_path(tag):
    with pytest.raises(SourceError) as caught:
        get("mastodon").read({"server": SERVER, "hashtag": tag}, None, deadline=soon())
    assert caught.value.code == "bad_config"
