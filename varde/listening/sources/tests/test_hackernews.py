"""Hacker News through Algolia's search API, replayed with respx after its documentation
(hn.algolia.com/api: search_by_date, numericFilters, hitsPerPage, page, nbHits, nbPages)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import respx

from varde.listening.sources import get
from varde.listening.sources.hackernews import API
from varde.listening.sources.tests.conftest import soon


def story(object_id: int, created: int, title: str = "Varde: self-hosted social media") -> dict:
    return {
        "objectID": str(object_id),
        "created_at_i": created,
        "created_at": datetime.fromtimestamp(created, tz=UTC).isoformat(),
        "author": "pg",
        "title": title,
        "url": "https://varde.example/",
        "story_text": None,
        "comment_text": None,
        "story_id": object_id,
        "_tags": ["story", "author_pg", f"story_{object_id}"],
    }


def comment(object_id: int, created: int, parent: int) -> dict:
    return {
        "objectID": str(object_id),
        "created_at_i": created,
        "author": "dang",
        "comment_text": "I tried <i>Varde</i> &amp; liked it.<p>Second paragraph",
        "story_id": 1,
        "story_title": "Varde: self-hosted social media",
        "parent_id": parent,
        "_tags": ["comment"],
    }


def answer(hits: list[dict], *, pages: int = 1, total: int | None = None) -> httpx.Response:
    return httpx.Response(
        200,
        json={"hits": hits, "nbHits": total if total is not None else len(hits), "nbPages": pages,
              "page": 0, "hitsPerPage": 100},
    )  # fmt: skip


@respx.mock
def test_first_read_takes_the_newest_page():
    route = respx.get(API).mock(return_value=answer([comment(12, 1000, 11), story(11, 990)]))
    batch = get("hackernews").read({"query": "varde"}, None, deadline=soon())
    params = route.calls[0].request.url.params
    assert (params["query"], params["tags"], params["hitsPerPage"]) == (
        "varde", "(story,comment)", "100",
    )  # fmt: skip
    by_id = {i.external_id: i for i in batch.items}
    assert by_id["12"].text == "I tried Varde & liked it.\nSecond paragraph"
    assert by_id["12"].extra["in_reply_to"] == "11"
    assert by_id["12"].url == "https://news.ycombinator.com/item?id=12"
    assert by_id["11"].text == "Varde: self-hosted social media"
    assert by_id["11"].extra["link"] == "https://varde.example/"
    assert by_id["11"].published_at == datetime.fromtimestamp(990, tz=UTC)
    assert json.loads(batch.cursor or "") == {"t": 1000, "ids": ["12"]}


@respx.mock
def test_later_reads_walk_pages_oldest_first_and_skip_what_was_read():
    route = respx.get(API)
    route.side_effect = [
        answer([story(15, 1010), comment(14, 1005, 11)], pages=2, total=3),  # page 0
        answer([comment(12, 1000, 11), comment(13, 1000, 11)], pages=2, total=3),  # page 1
    ]
    cursor = json.dumps({"t": 1000, "ids": ["12"]})
    batch = get("hackernews").read({"query": "varde"}, cursor, deadline=soon())
    pages = [call.request.url.params for call in route.calls]
    assert pages[0]["numericFilters"].startswith("created_at_i>=1000,created_at_i<=")
    # Page 0 is asked first (for the counts) and used last; the window is fixed meanwhile.
    assert [p["page"] for p in pages] == ["0", "1"]
    assert pages[0]["numericFilters"] == pages[1]["numericFilters"]
    assert [i.external_id for i in batch.items] == ["13", "14", "15"]
    assert json.loads(batch.cursor or "") == {"t": 1010, "ids": ["15"]}


@respx.mock
def test_a_window_too_large_for_paging_is_narrowed():
    route = respx.get(API)
    route.side_effect = [
        answer([], pages=50, total=5000),
        answer([story(20, 1001)], pages=1, total=1),
    ]
    batch = get("hackernews").read(
        {"query": "varde"}, json.dumps({"t": 1000, "ids": []}), deadline=soon()
    )
    second = route.calls[1].request.url.params["numericFilters"]
    upper = int(second.rsplit("<=", 1)[1])
    first_upper = int(route.calls[0].request.url.params["numericFilters"].rsplit("<=", 1)[1])
    assert upper == 1000 + (first_upper - 1000) // 2
    assert [i.external_id for i in batch.items] == ["20"]
    assert batch.health["more"] == "yes"


@respx.mock
def test_nothing_new_keeps_the_cursor():
    respx.get(API).mock(return_value=answer([]))
    batch = get("hackernews").read(
        {"query": "varde"}, json.dumps({"t": 1000, "ids": ["12"]}), deadline=soon()
    )
    assert batch.items == []
    assert batch.cursor is None
