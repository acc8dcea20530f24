"""The Bluesky connector against a real local AT Protocol network.

PLC + PDS + AppView from npm @atproto/dev-env, the same server code as bsky.social, on
127.0.0.1 (tests/e2e/conftest.py starts it; .ci/peers/bluesky-setup.sh installs it). The
AppView indexes asynchronously: ``network.sync()`` waits for it before every read.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from tests.e2e.bluesky_accounts import (
    Account,
    get_record,
    list_posts,
    record_exists,
    strong_ref,
)
from tests.e2e.media import png
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.contracts import MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired
from varde.connectors.http import utc_now

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky")]


def _key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def alice(bluesky_network: BlueskyNetwork) -> Account:
    return Account.sign_up(bluesky_network, "alice")


@pytest.fixture(scope="module")
def bob(bluesky_network: BlueskyNetwork) -> Account:
    return Account.sign_up(bluesky_network, "bob")


@pytest.fixture(scope="module")
def connector(alice: Account) -> BlueskyConnector:
    return alice.connector()


def test_connect_with_an_app_password_and_read_the_profile(
    bluesky_network: BlueskyNetwork, alice: Account, bob: Account, connector: BlueskyConnector
):
    assert connector.credentials is not None
    assert connector.credentials.extra == {"did": alice.did, "handle": alice.handle}
    assert connector.credentials.expires_at is not None  # read from the session's JWT

    bob.follow(alice)
    bluesky_network.sync()
    profile = connector.get_account()
    assert (profile.network_id, profile.handle, profile.followers) == (alice.did, alice.handle, 1)

    refreshed = connector.refresh()
    assert refreshed.extra["did"] == alice.did
    assert refreshed.access_token

    with pytest.raises(AuthExpired):
        BlueskyConnector(config={"service": bluesky_network.pds_url}).login(
            identifier=alice.handle, secret="wrong-app-password"
        )


def test_text_with_a_link_a_tag_and_a_mention_gets_byte_exact_facets(
    bluesky_network: BlueskyNetwork, bob: Account, connector: BlueskyConnector
):
    text = f"Blåbær 🫐 med @{bob.handle}: https://varde.example/bær #sommer"
    result = connector.publish(PublishRequest(text=text, idempotency_key=_key()))

    record = get_record(bluesky_network, result.network_post_id)["value"]
    assert record["text"] == text
    encoded = text.encode()
    spans = {
        facet["features"][0]["$type"].split("#")[1]: (
            encoded[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode(),
            facet["features"][0],
        )
        for facet in record["facets"]
    }
    assert spans["mention"] == (f"@{bob.handle}", spans["mention"][1])
    assert spans["mention"][1]["did"] == bob.did
    assert spans["link"][0] == "https://varde.example/bær"
    assert spans["tag"] == ("#sommer", spans["tag"][1])
    assert spans["tag"][1]["tag"] == "sommer"


def test_an_image_with_alt_text_and_a_thread(
    bluesky_network: BlueskyNetwork, alice: Account, connector: BlueskyConnector
):
    before = len(list_posts(bluesky_network, alice.did))
    result = connector.publish(
        PublishRequest(
            text="Ny logo! 💙",
            idempotency_key=_key(),
            media=(MediaItem(mime_type="image/png", data=png(), alt_text="En blå firkant"),),
            thread=("Del to av tråden.", "Del tre – slutt."),
        )
    )

    head = get_record(bluesky_network, result.network_post_id)
    [image] = head["value"]["embed"]["images"]
    assert image["alt"] == "En blå firkant"
    assert image["image"]["mimeType"] == "image/png"
    assert len(result.thread_ids) == 2
    root = {"uri": result.network_post_id, "cid": head["cid"]}
    second = get_record(bluesky_network, result.thread_ids[0])["value"]
    third = get_record(bluesky_network, result.thread_ids[1])["value"]
    assert second["reply"] == {"root": root, "parent": root}
    assert third["reply"]["root"] == root
    assert third["reply"]["parent"]["uri"] == result.thread_ids[0]
    assert len(list_posts(bluesky_network, alice.did)) == before + 3

    # The AppView sees the image and the thread the way Bluesky's app will show them.
    bluesky_network.sync()
    thread = alice.call(
        "app.bsky.feed.getPostThread", params={"uri": result.network_post_id, "depth": 5}
    )["thread"]
    assert thread["post"]["embed"]["images"][0]["alt"] == "En blå firkant"
    assert thread["replies"][0]["post"]["uri"] == result.thread_ids[0]


def test_find_published_then_delete(bluesky_network: BlueskyNetwork, connector: BlueskyConnector):
    since = utc_now() - timedelta(seconds=5)
    request = PublishRequest(text=f"Finn meg igjen, æøå {_key()[:8]}", idempotency_key=_key())
    result = connector.publish(request)

    found = connector.find_published(request, since=since)
    assert found is not None
    assert found.network_post_id == result.network_post_id
    other = PublishRequest(text="Aldri publisert", idempotency_key=_key())
    assert connector.find_published(other, since=since) is None
    assert connector.find_published(request, since=utc_now() + timedelta(minutes=1)) is None

    connector.delete(result.network_post_id)
    assert not record_exists(bluesky_network, result.network_post_id)
    assert connector.find_published(request, since=since) is None
    connector.delete(result.network_post_id)  # already gone counts as done


def test_replies_and_mentions_since_a_cursor_metrics_and_a_reply(
    bluesky_network: BlueskyNetwork, alice: Account, bob: Account, connector: BlueskyConnector
):
    post = connector.publish(PublishRequest(text="Hva synes dere? 🤔", idempotency_key=_key()))
    bluesky_network.sync()
    first = connector.fetch_mentions(cursor=None)
    cursor, earlier = first.cursor, {mention.id for mention in first.items}

    target = strong_ref(bluesky_network, post.network_post_id)
    answer = bob.reply(target, target, "Kjempebra! 👍")
    shout = bob.mention(alice, before="Se her, ", after=" 🎉")
    bob.like(target)
    bob.repost(target)
    bluesky_network.sync()

    page = connector.fetch_mentions(cursor=cursor)
    by_id = {mention.id: mention for mention in page.items}
    # Everything since the cursor, and what the ten minutes before it held again (read back in
    # case of late indexing; the inbox keeps items by id).
    assert set(by_id) - earlier == {answer["uri"], shout["uri"]}
    comment = by_id[answer["uri"]]
    assert comment.kind == MentionKind.COMMENT
    assert comment.in_reply_to == post.network_post_id
    assert comment.author_handle == bob.handle
    assert comment.text == "Kjempebra! 👍"
    assert by_id[shout["uri"]].kind == MentionKind.MENTION
    assert [m.created_at for m in page.items] == sorted(m.created_at for m in page.items)

    [metrics] = connector.fetch_metrics([post.network_post_id])
    assert (metrics.likes, metrics.reposts, metrics.replies) == (1, 1, 1)

    reply = connector.reply(to=comment.id, text="Takk, Bob!", idempotency_key=_key())
    record = get_record(bluesky_network, reply.network_post_id)["value"]
    # The reply hangs under Bob's answer, in the thread that started with our post.
    assert record["reply"]["parent"]["uri"] == answer["uri"]
    assert record["reply"]["root"]["uri"] == post.network_post_id

    bluesky_network.sync()
    again = {mention.id for mention in connector.fetch_mentions(cursor=page.cursor).items}
    assert again <= set(by_id) | earlier  # nothing new
