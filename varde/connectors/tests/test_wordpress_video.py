"""WordPress videos: into the media library (streamed from disk), into the post as a video
block. The media answer was recorded from a real WordPress 6.1 (fixtures/wordpress/README)."""

from pathlib import Path

import pytest

from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import PNG
from varde.connectors.wordpress.connector import Uploaded, WordPressConnector, content_html

API = "/wp-json/wp/v2"
VIDEO_URL = "https://blogg.varde.example/wp-content/uploads/2026/11/varde-1.mp4"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00" * 3_000_000


def _connector(fake: FakeNetwork) -> WordPressConnector:
    creds = Credentials(access_token="abcd efgh ijkl", extra={"username": "redaksjon"})
    return WordPressConnector(
        credentials=creds, config={"site": "https://blogg.varde.example"}, client=fake.client()
    )


def test_a_video_is_uploaded_from_disk_and_shown_in_a_video_block(
    fake: FakeNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.on("POST", f"{API}/media", reply(201, load("wordpress", "media_video")))
    fake.on("POST", f"{API}/media/89", reply(200, load("wordpress", "media_video")))
    fake.on("POST", f"{API}/posts", reply(201, load("wordpress", "post")))
    path = tmp_path / "fest.mp4"
    path.write_bytes(MP4)

    def whole_file(self: MediaItem) -> bytes:
        raise AssertionError("the whole video was read into memory")

    monkeypatch.setattr(MediaItem, "read_bytes", whole_file)
    item = MediaItem(mime_type="video/mp4", path=path, alt_text="Folk <danser> & ler")
    _connector(fake).publish(PublishRequest(text="Fest", media=(item,), idempotency_key="k"))

    upload = fake.calls("POST", f"{API}/media")[0]
    assert upload.headers["Content-Disposition"] == 'attachment; filename="varde-1.mp4"'
    assert upload.headers["Content-Type"] == "video/mp4"
    # Sent in blocks with its length up front (no chunked encoding PHP may not take).
    assert upload.headers["Content-Length"] == str(len(MP4))
    assert "Transfer-Encoding" not in upload.headers
    assert upload.content == MP4
    assert fake.json_sent("POST", f"{API}/media/89") == {
        "alt_text": "Folk <danser> & ler",
        "caption": "Folk <danser> & ler",
    }
    body = fake.json_sent("POST", f"{API}/posts")
    assert "featured_media" not in body  # a theme would show it as a picture
    assert (
        '<!-- wp:video {"id":89} -->\n'
        f'<figure class="wp-block-video"><video controls src="{VIDEO_URL}"></video>'
        '<figcaption class="wp-element-caption">Folk &lt;danser&gt; &amp; ler</figcaption>'
        "</figure>\n<!-- /wp:video -->"
    ) in body["content"]


def test_with_an_image_and_a_video_the_image_is_featured(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        f"{API}/media",
        reply(201, load("wordpress", "media_video")),
        reply(201, load("wordpress", "media")),
    )
    fake.on("POST", f"{API}/posts", reply(201, load("wordpress", "post")))
    media = (
        MediaItem(mime_type="video/quicktime", data=MP4[:64]),
        MediaItem(mime_type="image/png", data=PNG),
    )
    _connector(fake).publish(PublishRequest(text="Fest", media=media, idempotency_key="k"))
    names = [r.headers["Content-Disposition"] for r in fake.calls("POST", f"{API}/media")]
    assert names == ['attachment; filename="varde-1.mov"', 'attachment; filename="varde-2.png"']
    body = fake.json_sent("POST", f"{API}/posts")
    assert body["featured_media"] == 88
    content = body["content"]
    assert content.index("wp:video") < content.index("wp-block-image")
    assert not fake.calls("POST", f"{API}/media/89")  # no alt text: nothing to set


def test_the_video_block_escapes_what_it_is_given() -> None:
    hostile = Uploaded(
        media_id=7,
        source_url='https://blogg.example/a.mp4" onerror="alert(1)',
        alt_text="</figcaption><script>alert(1)</script>",
        is_video=True,
    )
    html = content_html("Hei", [hostile], "k")
    assert 'onerror="' not in html
    assert "&quot; onerror=&quot;alert(1)" in html
    assert "<script>" not in html
    assert html.count("</figcaption>") == 1


def test_wordpress_declares_video_without_a_size_it_cannot_know() -> None:
    limits = WordPressConnector.limits
    assert {"video/mp4", "video/quicktime", "video/webm"} <= limits.media_types
    assert limits.max_video_bytes is None
