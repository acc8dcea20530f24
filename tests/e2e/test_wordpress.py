"""The WordPress connector against a real WordPress: Debian's package (6.1), PHP's built-in
server on 127.0.0.1 and a fresh database on the machine's MariaDB, set up for each session by
tests/e2e/conftest.py (.ci/peers/wordpress-setup.sh installs it). Varde connects with an
Application Password, as a user does.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.e2e.media import png
from varde.connectors.contracts import MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired
from varde.connectors.http import utc_now
from varde.connectors.wordpress.connector import WordPressConnector
from varde.content.tests.videofiles import mp4

if TYPE_CHECKING:
    from tests.e2e.conftest import WordPressSite

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-wordpress")]


def _key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def connector(wordpress_site: WordPressSite) -> WordPressConnector:
    config = {"site": wordpress_site.url}
    credentials = WordPressConnector(config=config).login(
        identifier="admin", secret=wordpress_site.admin_password
    )
    return WordPressConnector(credentials=credentials, config=config)


def _api(site: WordPressSite, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(
        kwargs.pop("method", "GET"),
        f"{site.url}/wp-json/wp/v2{path}",
        auth=("admin", site.admin_password),
        timeout=30,
        **kwargs,
    )


def _as_reader(site: WordPressSite, path: str, **kwargs: Any) -> dict[str, Any]:
    answer = httpx.post(
        f"{site.url}/wp-json/wp/v2{path}",
        auth=("reader", site.reader_password),
        timeout=30,
        **kwargs,
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_connect_with_an_application_password(
    wordpress_site: WordPressSite, connector: WordPressConnector
):
    assert connector.credentials is not None
    assert connector.credentials.extra == {"username": "admin", "user_id": "1"}
    profile = connector.get_account()
    assert (profile.network_id, profile.handle, profile.url) == ("1", "admin", wordpress_site.url)
    with pytest.raises(AuthExpired):
        WordPressConnector(config={"site": wordpress_site.url}).login(
            identifier="admin", secret="wrong password"
        )


def test_a_post_with_an_image_alt_text_and_a_first_comment(
    wordpress_site: WordPressSite, connector: WordPressConnector
):
    request = PublishRequest(
        text="Sommerfest på kontoret 🎉\n\nVi griller <pølser> & spiser is.",
        title="Sommerfest",
        link="https://varde.example/fest",
        idempotency_key=_key(),
        media=(MediaItem(mime_type="image/png", data=png(), alt_text="Blå firkant"),),
        first_comment="Påmelding innen fredag!",
    )
    result = connector.publish(request)

    post = _api(wordpress_site, f"/posts/{result.network_post_id}?context=edit").json()
    assert post["status"] == "publish"
    assert post["title"]["raw"] == "Sommerfest"
    content = post["content"]["raw"]
    assert "Vi griller &lt;pølser&gt; &amp; spiser is." in content
    assert '<a href="https://varde.example/fest">' in content
    media = _api(wordpress_site, f"/media/{post['featured_media']}").json()
    assert media["mime_type"] == "image/png"
    assert media["alt_text"] == "Blå firkant"
    assert f'src="{media["source_url"]}"' in content
    assert result.url == post["link"]
    comment = _api(wordpress_site, f"/comments/{result.first_comment_id}").json()
    assert comment["post"] == post["id"]
    assert "Påmelding innen fredag!" in comment["content"]["rendered"]
    # Readers see it (anonymously, through the public API: the site has no theme installed).
    public = httpx.get(f"{wordpress_site.url}/wp-json/wp/v2/posts/{post['id']}", timeout=30)
    assert public.json()["title"]["rendered"] == "Sommerfest"


def test_find_published_by_its_marker_then_delete(
    wordpress_site: WordPressSite, connector: WordPressConnector
):
    request = PublishRequest(text="Finn meg igjen, æøå", idempotency_key=_key())
    result = connector.publish(request)
    twin = PublishRequest(text="Finn meg igjen, æøå", idempotency_key=_key())

    found = connector.find_published(request, since=utc_now() - timedelta(minutes=1))
    assert found is not None
    assert found.network_post_id == result.network_post_id
    # Same text, another delivery: the marker keeps them apart.
    assert connector.find_published(twin, since=utc_now() - timedelta(minutes=1)) is None

    connector.delete(result.network_post_id)
    trashed = _api(wordpress_site, f"/posts/{result.network_post_id}?context=edit").json()
    assert trashed["status"] == "trash"
    assert connector.find_published(request, since=utc_now() - timedelta(minutes=1)) is None
    _api(wordpress_site, f"/posts/{result.network_post_id}?force=true", method="DELETE")
    connector.delete(result.network_post_id)  # already gone counts as done


def test_comments_since_a_cursor_metrics_a_reply_and_hiding(
    wordpress_site: WordPressSite, connector: WordPressConnector
):
    post = connector.publish(PublishRequest(text="Hva synes dere?", idempotency_key=_key()))
    cursor = connector.fetch_mentions(cursor=None).cursor

    first = _as_reader(
        wordpress_site,
        "/comments",
        json={"post": int(post.network_post_id), "content": "Kjempebra! 👍"},
    )
    second = _as_reader(
        wordpress_site,
        "/comments",
        json={"post": int(post.network_post_id), "content": "Og <b>fet</b> skrift?"},
    )

    page = connector.fetch_mentions(cursor=cursor)
    assert [m.id for m in page.items] == [str(first["id"]), str(second["id"])]
    comment = page.items[0]
    assert comment.kind == MentionKind.COMMENT
    assert comment.in_reply_to == post.network_post_id
    assert comment.author_name == "reader"
    assert comment.text == "Kjempebra! 👍"
    assert page.items[1].text == "Og fet skrift?"  # untrusted HTML becomes plain text
    assert connector.fetch_mentions(cursor=page.cursor).items == ()

    reply = connector.reply(to=comment.id, text="Takk skal du ha!", idempotency_key=_key())
    sent = _api(wordpress_site, f"/comments/{reply.network_post_id}?context=edit").json()
    assert (sent["post"], sent["parent"]) == (int(post.network_post_id), first["id"])
    assert sent["author"] == 1
    # Our own reply is a comment too; the next poll shows it, answering the reader's.
    [own] = connector.fetch_mentions(cursor=page.cursor).items
    assert (own.id, own.in_reply_to) == (reply.network_post_id, comment.id)

    [metrics] = connector.fetch_metrics([post.network_post_id])
    assert metrics.replies == 3

    connector.hide(str(second["id"]))
    assert _api(wordpress_site, f"/comments/{second['id']}?context=edit").json()["status"] == (
        "hold"
    )
    connector.unhide(str(second["id"]))
    assert _api(wordpress_site, f"/comments/{second['id']}?context=edit").json()["status"] == (
        "approved"
    )


def test_a_post_with_a_video_lands_in_the_media_library_and_the_post(
    wordpress_site: WordPressSite, connector: WordPressConnector, tmp_path: Path
):
    # A real, if tiny, MP4 (box by box): WordPress checks the type from the bytes too.
    path = tmp_path / "fest.mp4"
    path.write_bytes(mp4(seconds=3.0, width=640, height=360))
    request = PublishRequest(
        text="Filmen fra sommerfesten",
        idempotency_key=_key(),
        media=(MediaItem(mime_type="video/mp4", path=path, alt_text="Folk som danser & ler"),),
    )
    result = connector.publish(request)

    post = _api(wordpress_site, f"/posts/{result.network_post_id}?context=edit").json()
    assert post["status"] == "publish"
    assert post["featured_media"] == 0
    content = post["content"]["raw"]
    block = re.search(r'<!-- wp:video \{"id":(\d+)\} -->', content)
    assert block is not None, content
    library = _api(wordpress_site, f"/media/{block[1]}?context=edit").json()
    videos = _api(wordpress_site, "/media", params={"media_type": "video"}).json()
    assert library["id"] in [item["id"] for item in videos]
    assert library["mime_type"] == "video/mp4"
    assert library["alt_text"] == "Folk som danser & ler"
    assert library["media_details"]["length"] == 3
    assert httpx.get(library["source_url"], timeout=30).content == path.read_bytes()
    assert f'<video controls src="{library["source_url"]}"></video>' in content
    assert "Folk som danser &amp; ler</figcaption>" in content
    # Readers get the video in the rendered post.
    public = httpx.get(f"{wordpress_site.url}/wp-json/wp/v2/posts/{post['id']}", timeout=30)
    assert f'src="{library["source_url"]}"' in public.json()["content"]["rendered"]
