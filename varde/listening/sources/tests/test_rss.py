"""RSS/Atom: documented HTTP exchanges replayed with respx, then a real local server."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
import respx

from varde.listening.sources import get
from varde.listening.sources.base import SourceError
from varde.listening.sources.rss import FeedSource
from varde.listening.sources.tests.conftest import fixture_bytes, soon

FEED = "https://nyheter.example.no/rss"


@respx.mock
def test_a_feed_is_read_as_plain_text_items_with_guid_ids():
    respx.get(FEED).respond(
        200,
        content=fixture_bytes("feed.rss"),
        headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'},
    )
    batch = get("rss").read({"url": FEED}, None, deadline=soon())
    assert [i.external_id for i in batch.items] == [
        f"{FEED}#nyhet-1001",
        "https://nyheter.example.no/uten-guid",
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
    ]
    first = batch.items[0]
    assert first.text == (
        "Varde lanserer ny tjeneste\n\nKaffe på fjellet & sosiale medier.\n\nAndre avsnitt."
    )
    assert "alert" not in first.text
    assert first.author_name == "Kari Nordmann"
    assert first.lang == "nb"
    assert first.site == "nyheter.example.no"
    assert first.published_at == datetime(2024, 10, 1, 6, 30, tzinfo=UTC)
    assert first.extra["title"] == "Varde lanserer ny tjeneste"
    assert batch.items[2].url == ""  # javascript: links are dropped
    assert batch.items[2].site == "nyheter.example.no"
    assert json.loads(batch.cursor or "")["etag"] == '"v1"'
    assert batch.health["feed_title"] == "Nyheter fra Fjellet"


@respx.mock
def test_conditional_get_sends_the_validators_and_304_is_not_modified():
    route = respx.get(FEED)
    route.side_effect = [
        httpx.Response(
            200,
            content=fixture_bytes("feed.rss"),
            headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Oct 2024 07:00:00 GMT"},
        ),
        httpx.Response(304),
    ]
    source = FeedSource()
    first = source.read({"url": FEED}, None, deadline=soon())
    second = source.read({"url": FEED}, first.cursor, deadline=soon())
    sent = route.calls[1].request.headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 01 Oct 2024 07:00:00 GMT"
    assert second.not_modified
    assert second.items == []
    assert second.cursor is None  # keep the previous one


@respx.mock
def test_only_entries_not_in_the_previous_document_are_new():
    atom = fixture_bytes("feed.atom")
    grown = atom.replace(
        b"<entry>",
        b"<entry><title>Newer</title><id>tag:blog.example.com,2024:newer</id>"
        b"<updated>2024-10-03T10:00:00Z</updated><summary>Second post</summary></entry><entry>",
        1,
    )
    respx.get("https://blog.example.com/feed").mock(
        side_effect=[httpx.Response(200, content=atom), httpx.Response(200, content=grown)]
    )
    source = FeedSource()
    first = source.read({"url": "https://blog.example.com/feed"}, None, deadline=soon())
    assert [i.text for i in first.items] == [
        "Social listening in practice\n\nWe tried Varde for a month."
    ]
    assert first.items[0].lang == "en"
    assert first.items[0].author_name == "Ann Author"
    assert first.items[0].published_at == datetime(2024, 10, 2, 9, 0, tzinfo=UTC)
    second = source.read({"url": "https://blog.example.com/feed"}, first.cursor, deadline=soon())
    assert [i.external_id for i in second.items] == ["tag:blog.example.com,2024:newer"]


@respx.mock
def test_a_feed_larger_than_the_limit_is_refused():
    respx.get(FEED).respond(200, headers={"Content-Length": str(50 * 1024 * 1024)}, content=b"x")
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon())
    assert caught.value.code == "too_large"


@respx.mock
def test_a_feed_streaming_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("varde.listening.sources.rss.MAX_FEED_BYTES", 1000)
    respx.get(FEED).respond(200, content=b"<rss>" + b" " * 5000)
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon())
    assert caught.value.code == "too_large"


@respx.mock
def test_html_is_not_a_feed_and_errors_are_structured():
    respx.get(FEED).respond(200, content=b"<html><body>Hello</body></html>")
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon())
    assert caught.value.code == "not_a_feed"
    respx.get(FEED).respond(429, headers={"Retry-After": "120"})
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon())
    assert (caught.value.code, caught.value.retry_after) == ("rate_limited", 120.0)
    respx.get(FEED).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon())
    assert caught.value.code == "timeout"


@respx.mock
def test_a_permanent_redirect_is_followed_and_reported():
    respx.get(FEED).respond(301, headers={"Location": "https://ny.example.no/feed.xml"})
    respx.get("https://ny.example.no/feed.xml").respond(200, content=fixture_bytes("feed.rss"))
    batch = FeedSource().read({"url": FEED}, None, deadline=soon())
    assert len(batch.items) == 3
    assert batch.health["moved_to"] == "https://ny.example.no/feed.xml"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed", "https://user:pw@example.com/", ""]
)
def test_urls_other_than_plain_http_are_refused(url):
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": url}, None, deadline=soon())
    assert caught.value.code == "bad_config"


def test_the_deadline_is_kept():
    with pytest.raises(SourceError) as caught:
        FeedSource().read({"url": FEED}, None, deadline=soon(-1))
    assert caught.value.code == "timeout"


# -- a real local HTTP server -------------------------------------------------------------------


def _serve_feed(handler: BaseHTTPRequestHandler) -> None:
    body = fixture_bytes("feed.rss")
    if handler.headers.get("If-None-Match") == '"feed-v1"':
        handler.send_response(304)
        handler.send_header("ETag", '"feed-v1"')
        handler.end_headers()
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    handler.send_header("ETag", '"feed-v1"')
    handler.send_header("Last-Modified", "Tue, 01 Oct 2024 07:00:00 GMT")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_a_local_server_is_read_with_conditional_get(local_server):
    server = local_server(_serve_feed)
    config = {"url": f"{server.url}/feed.xml", "allow_private": "true"}
    first = get("rss").read(config, None, deadline=soon())
    second = get("rss").read(config, first.cursor, deadline=soon())
    assert len(first.items) == 3
    assert second.not_modified
    assert second.health["http_status"] == "304"
    assert server.requests[1]["if-none-match"] == '"feed-v1"'
    assert server.requests[1]["if-modified-since"] == "Tue, 01 Oct 2024 07:00:00 GMT"


def test_a_local_server_is_refused_without_allow_private(local_server):
    server = local_server(_serve_feed)
    with pytest.raises(SourceError) as caught:
        get("rss").read({"url": f"{server.url}/feed.xml"}, None, deadline=soon())
    assert caught.value.code == "unsafe_url"
    assert server.requests == []


def test_a_redirect_into_the_private_network_is_refused():
    # The first host is public (respx answers), its redirect points at the metadata service.
    with respx.mock(assert_all_called=False) as mock:
        mock.get(FEED).respond(302, headers={"Location": "http://169.254.169.254/latest/"})
        mock.route(host="169.254.169.254").pass_through()
        with pytest.raises(SourceError) as caught:
            FeedSource().read({"url": FEED}, None, deadline=soon())
    assert caught.value.code == "unsafe_url"
