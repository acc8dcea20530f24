"""A feed served by a real HTTP server on 127.0.0.1, read through the app: the first read
stores what matches, the second asks with the feed's ETag and Last-Modified, gets 304, and
stores nothing new (issue 12, item 12)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from varde.listening import pipeline, services
from varde.listening.models import Mention, Source, SourceRun

ETAG = '"v1"'


def _feed() -> bytes:
    when = format_datetime(timezone.now())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lokale nyheter</title><link>http://127.0.0.1/</link>
<item><guid>n1</guid><title>Varde åpner kontor i Bergen</title><link>http://127.0.0.1/n1</link>
<description>Selskapet Varde åpner et nytt kontor på Bryggen.</description>
<pubDate>{when}</pubDate></item>
<item><guid>n2</guid><title>Været i helga</title><link>http://127.0.0.1/n2</link>
<description>Regn og vind på Vestlandet.</description><pubDate>{when}</pubDate></item>
</channel></rss>""".encode()


@pytest.fixture
def feed_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    body = _feed()
    modified = format_datetime(timezone.now(), usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({k.lower(): v for k, v in self.headers.items()})
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", ETAG)
            self.send_header("Last-Modified", modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml", seen
    server.shutdown()
    server.server_close()


def test_a_local_feed_is_read_with_conditional_get(workspace, settings, feed_server):
    url, seen = feed_server
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    pipeline.forget_matchers()
    services.query_create(workspace=workspace, name="Brand", text="varde")
    source = services.source_create(workspace=workspace, kind="rss", url=url)

    first = services.source_read(source_id=source.pk)
    second = services.source_read(source_id=source.pk)

    assert first is not None
    assert first.ok
    assert (first.read, first.stored) == (2, 1)
    assert second is not None
    assert second.ok
    assert second.not_modified
    assert second.stored == 0
    assert "if-none-match" not in seen[0]
    assert seen[1]["if-none-match"] == ETAG
    assert "if-modified-since" in seen[1]
    mention = Mention.objects.get()
    assert mention.language == "no"
    assert "Bryggen" in mention.text
    source.refresh_from_db()
    assert source.health.get("http_status") == "304"
    assert list(SourceRun.objects.values_list("not_modified", flat=True).order_by("id")) == [
        False,
        True,
    ]


def test_without_the_setting_a_private_address_is_refused_and_shown(
    workspace, settings, feed_server
):
    url, seen = feed_server
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    source = services.source_create(workspace=workspace, kind="rss", url=url)
    outcome = services.source_read(source_id=source.pk)
    assert outcome is not None
    assert (outcome.ok, outcome.error_code) == (False, "unsafe_url")
    assert seen == []
    assert Source.objects.get().error_code == "unsafe_url"
