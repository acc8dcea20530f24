"""Hiding a fan's reply on the local Bluesky network, and showing it again.

Bluesky keeps the replies a thread's author hides in the thread's ``app.bsky.feed.threadgate``
record (``hiddenReplies``); the connector reads and writes that record on the PDS. What the
AppView then does with a hidden reply was found here, and is asserted as it is: the classic
``app.bsky.feed.getPostThread`` still lists the reply and names it in ``threadgate.record
.hiddenReplies`` (the app hides it from that list), while ``app.bsky.unspecced.getPostThreadV2``
(what the Bluesky app reads now) moves it out of the thread for everyone but its own author,
into ``getPostThreadOtherV2`` marked ``hiddenByThreadgate``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.bluesky_accounts import Account, get_record, strong_ref
from varde.connectors.bluesky.xrpc import split_at_uri
from varde.connectors.contracts import PublishRequest
from varde.connectors.errors import Rejected

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork
    from varde.connectors.bluesky.connector import BlueskyConnector

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky")]

THREADGATE = "app.bsky.feed.threadgate"


def _thread_v1(reader: Account, uri: str) -> dict[str, Any]:
    return reader.call("app.bsky.feed.getPostThread", params={"uri": uri, "depth": 1})


def _main_thread_v2(reader: Account, uri: str) -> list[str]:
    """The post uris the Bluesky app shows ``reader`` in the thread itself."""
    answer = reader.call("app.bsky.unspecced.getPostThreadV2", params={"anchor": uri})
    return [item["uri"] for item in answer["thread"]]


def _hidden_v2(reader: Account, uri: str) -> dict[str, bool]:
    """The replies the app puts under "hidden replies" for ``reader``, and why."""
    answer = reader.call("app.bsky.unspecced.getPostThreadOtherV2", params={"anchor": uri})
    return {item["uri"]: item["value"]["hiddenByThreadgate"] for item in answer["thread"]}


def test_hide_a_fans_reply_and_show_it_again(bluesky_network: BlueskyNetwork):
    brand = Account.sign_up(bluesky_network, "brand")
    fan = Account.sign_up(bluesky_network, "fan")
    reader = Account.sign_up(bluesky_network, "reader")
    connector = brand.connector()
    post = connector.publish(
        PublishRequest(text="Hva synes dere om nyheten? 💬", idempotency_key=uuid.uuid4().hex)
    )
    uri = post.network_post_id
    # A person answers a post the AppView has shown them (docs/e2e-tests.md).
    bluesky_network.sync()
    target = strong_ref(bluesky_network, uri)
    spam = fan.reply(target, target, "Kjøp billige følgere her!!!")["uri"]
    kind = reader.reply(target, target, "Gleder meg!")["uri"]
    assert bluesky_network.until(
        lambda: {m.id for m in connector.fetch_replies(uri)} == {spam, kind}
    )

    connector.hide(spam)

    gate_uri = f"at://{brand.did}/{THREADGATE}/{split_at_uri(uri)[2]}"
    gate = get_record(bluesky_network, gate_uri)
    assert gate["value"]["post"] == uri
    assert gate["value"]["hiddenReplies"] == [spam]
    assert "allow" not in gate["value"]  # everyone may still reply
    connector.hide(spam)  # already hidden: nothing written
    assert get_record(bluesky_network, gate_uri)["cid"] == gate["cid"]

    bluesky_network.sync()
    classic = _thread_v1(reader, uri)
    assert classic["threadgate"]["record"]["hiddenReplies"] == [spam]
    assert {reply["post"]["uri"] for reply in classic["thread"]["replies"]} == {spam, kind}
    for someone in (brand, reader):
        assert spam not in _main_thread_v2(someone, uri)
        assert kind in _main_thread_v2(someone, uri)
        assert _hidden_v2(someone, uri) == {spam: True}
    assert spam in _main_thread_v2(fan, uri)  # its author still sees it in place
    # The hidden reply no longer notifies the brand: only the other one is left.
    notified = brand.call("app.bsky.notification.listNotifications")["notifications"]
    assert [n["uri"] for n in notified if n["reason"] == "reply"] == [kind]

    # Meanwhile, in the Bluesky app, the brand limits replies to people it follows.
    rules = [{"$type": f"{THREADGATE}#followingRule"}]
    brand.call(
        "com.atproto.repo.putRecord",
        json={
            "repo": brand.did,
            "collection": THREADGATE,
            "rkey": split_at_uri(uri)[2],
            "record": {**gate["value"], "allow": rules},
        },
    )

    connector.unhide(spam)

    value = get_record(bluesky_network, gate_uri)["value"]
    assert "hiddenReplies" not in value
    assert value["allow"] == rules  # the reply rule stays, and so does the record
    assert value["post"] == uri
    bluesky_network.sync()
    assert "hiddenReplies" not in _thread_v1(reader, uri)["threadgate"]["record"]
    assert spam in _main_thread_v2(reader, uri)
    assert _hidden_v2(reader, uri) == {}


def test_only_replies_in_the_accounts_own_threads_can_be_hidden(bluesky_network: BlueskyNetwork):
    brand = Account.sign_up(bluesky_network, "brand")
    fan = Account.sign_up(bluesky_network, "fan")
    connector: BlueskyConnector = brand.connector()
    theirs = fan.write("app.bsky.feed.post", {"text": "Min egen tråd"})
    bluesky_network.sync()
    answer = brand.reply(theirs, theirs, "Hei fra merkevaren")
    bluesky_network.sync()
    in_their_thread = fan.reply(answer, theirs, "Takk!")["uri"]
    shout = fan.mention(brand, before="Se her, ")["uri"]
    bluesky_network.sync()

    with pytest.raises(Rejected) as caught:
        connector.hide(in_their_thread)
    assert caught.value.code == "not_own_thread"
    with pytest.raises(Rejected) as caught:
        connector.hide(shout)
    assert caught.value.code == "not_a_reply"
    # Nothing was written to the brand's repository.
    records = brand.call(
        "com.atproto.repo.listRecords", params={"repo": brand.did, "collection": THREADGATE}
    )
    assert records["records"] == []
