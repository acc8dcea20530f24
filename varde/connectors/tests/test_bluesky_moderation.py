"""Hiding replies on Bluesky: the thread's threadgate record, read and written back with a swap.

Fixtures follow the lexicons (see fixtures/bluesky/README.md, "Hiding replies").
"""

import pytest

from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.bluesky.moderation import MAX_HIDDEN_REPLIES
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Credentials
from varde.connectors.errors import AuthExpired, RateLimited, Rejected
from varde.connectors.tests.conftest import FakeNetwork, Responder, load, reply
from varde.connectors.tests.test_contract import BSKY_DID

XRPC = "/xrpc/"
GET_POSTS = XRPC + "app.bsky.feed.getPosts"
GET_RECORD = XRPC + "com.atproto.repo.getRecord"
PUT_RECORD = XRPC + "com.atproto.repo.putRecord"
THREADGATE = "app.bsky.feed.threadgate"
# getPosts_reply.json: a fan's reply in a thread whose root is the account's post.
REPLY = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l6pqxyzab22c"
ROOT = f"at://{BSKY_DID}/app.bsky.feed.post/3l6oroot0000a"
ROOT_RKEY = "3l6oroot0000a"
# getRecord_threadgate.json: what the thread's threadgate already holds.
GATE = load("bluesky", "getRecord_threadgate")
ALREADY_HIDDEN = GATE["value"]["hiddenReplies"][0]


def _connector(fake: FakeNetwork) -> BlueskyConnector:
    creds = Credentials(
        access_token="access-jwt",
        refresh_token="refresh-jwt",
        extra={"did": BSKY_DID, "handle": "varde.bsky.social"},
    )
    return BlueskyConnector(credentials=creds, client=fake.client())


def _gate(*, hidden: list[str], cid: str | None = None, **value: object) -> Responder:
    """getRecord's answer: the fixture's threadgate with ``hidden`` as its hiddenReplies."""
    record = {**GATE["value"], "hiddenReplies": hidden, **value}
    return reply(200, {**GATE, "value": record, "cid": cid or GATE["cid"]})


def _thread(fake: FakeNetwork, gate: Responder, *more_gates: Responder) -> None:
    fake.on("GET", GET_POSTS, reply(200, load("bluesky", "getPosts_reply")))
    fake.on("GET", GET_RECORD, gate, *more_gates)
    fake.on("POST", PUT_RECORD, reply(200, load("bluesky", "putRecord")))


NO_GATE = reply(400, load("bluesky", "error_record_not_found"))


def test_bluesky_declares_hiding() -> None:
    assert BlueskyConnector.capabilities & Capability.HIDE


def test_hide_creates_the_threadgate_when_the_thread_has_none(fake: FakeNetwork) -> None:
    _thread(fake, NO_GATE)

    _connector(fake).hide(REPLY)

    [read] = fake.calls("GET", GET_RECORD)
    assert dict(read.url.params) == {"repo": BSKY_DID, "collection": THREADGATE, "rkey": ROOT_RKEY}
    sent = fake.json_sent("POST", PUT_RECORD)
    assert (sent["repo"], sent["collection"], sent["rkey"]) == (BSKY_DID, THREADGATE, ROOT_RKEY)
    # null: "only if there is no record yet" (a threadgate made meanwhile is not overwritten).
    assert "swapRecord" in sent
    assert sent["swapRecord"] is None
    record = sent["record"]
    assert record["createdAt"].endswith("Z")
    # No "allow": anyone may still reply, as before.
    assert {key: value for key, value in record.items() if key != "createdAt"} == {
        "$type": THREADGATE,
        "post": ROOT,
        "hiddenReplies": [REPLY],
    }
    assert fake.calls("POST", PUT_RECORD)[0].headers["Authorization"] == "Bearer access-jwt"


def test_hide_adds_to_an_existing_threadgate_and_keeps_its_reply_rules(fake: FakeNetwork) -> None:
    _thread(fake, reply(200, GATE))

    _connector(fake).hide(REPLY)

    sent = fake.json_sent("POST", PUT_RECORD)
    assert sent["swapRecord"] == GATE["cid"]
    assert sent["record"] == {**GATE["value"], "hiddenReplies": [ALREADY_HIDDEN, REPLY]}
    assert sent["record"]["allow"] == GATE["value"]["allow"]
    assert sent["record"]["createdAt"] == "2025-01-01T09:00:00.000Z"


def test_hiding_a_reply_already_hidden_writes_nothing(fake: FakeNetwork) -> None:
    _thread(fake, _gate(hidden=[ALREADY_HIDDEN, REPLY]))
    _connector(fake).hide(REPLY)
    assert not fake.calls("POST", PUT_RECORD)


def test_unhide_removes_it_and_keeps_the_rest(fake: FakeNetwork) -> None:
    _thread(fake, _gate(hidden=[ALREADY_HIDDEN, REPLY]))

    _connector(fake).unhide(REPLY)

    sent = fake.json_sent("POST", PUT_RECORD)
    assert sent["swapRecord"] == GATE["cid"]
    assert sent["record"] == {**GATE["value"], "hiddenReplies": [ALREADY_HIDDEN]}


def test_unhiding_the_last_hidden_reply_keeps_the_reply_rules(fake: FakeNetwork) -> None:
    _thread(fake, _gate(hidden=[REPLY]))

    _connector(fake).unhide(REPLY)

    record = fake.json_sent("POST", PUT_RECORD)["record"]
    assert "hiddenReplies" not in record
    # The threadgate stays: deleting it would let everyone reply again.
    assert record == {key: v for key, v in GATE["value"].items() if key != "hiddenReplies"}


@pytest.mark.parametrize(
    "gate", [NO_GATE, _gate(hidden=[ALREADY_HIDDEN])], ids=["no threadgate", "not listed"]
)
def test_unhiding_a_reply_that_is_not_hidden_writes_nothing(
    fake: FakeNetwork, gate: Responder
) -> None:
    _thread(fake, gate)
    _connector(fake).unhide(REPLY)
    assert not fake.calls("POST", PUT_RECORD)


def test_a_threadgate_changed_meanwhile_is_read_again_and_the_change_kept(
    fake: FakeNetwork,
) -> None:
    # Between our read and our write, the Bluesky app hid another reply.
    other = "at://did:plc:4llrhdclvdlmmynkwsmg5tdc/app.bsky.feed.post/3l6pfromapp00a"
    _thread(fake, reply(200, GATE), _gate(hidden=[ALREADY_HIDDEN, other], cid="bafyreinewer"))
    fake.on(
        "POST",
        PUT_RECORD,
        reply(400, load("bluesky", "error_invalid_swap")),
        reply(200, load("bluesky", "putRecord")),
    )

    _connector(fake).hide(REPLY)

    first, second = (fake.json_sent("POST", PUT_RECORD, i) for i in range(2))
    assert first["swapRecord"] == GATE["cid"]
    assert second["swapRecord"] == "bafyreinewer"
    assert second["record"]["hiddenReplies"] == [ALREADY_HIDDEN, other, REPLY]
    assert second["record"]["allow"] == GATE["value"]["allow"]


def test_a_second_conflict_is_reported_not_retried_forever(fake: FakeNetwork) -> None:
    _thread(fake, NO_GATE)
    fake.on("POST", PUT_RECORD, reply(400, load("bluesky", "error_invalid_swap")))

    with pytest.raises(Rejected) as caught:
        _connector(fake).hide(REPLY)

    assert caught.value.code == "InvalidSwap"
    assert len(fake.calls("POST", PUT_RECORD)) == 2
    assert len(fake.calls("GET", GET_RECORD)) == 2


@pytest.mark.parametrize(
    ("posts", "code", "words"),
    [
        ("getPosts_reply_elsewhere", "not_own_thread", "only the person who started a thread"),
        ("getPosts_mention", "not_a_reply", "not a reply"),
    ],
    ids=["someone else's thread", "a mention"],
)
def test_what_bluesky_cannot_hide_is_refused_in_plain_words_before_any_write(
    fake: FakeNetwork, posts: str, code: str, words: str
) -> None:
    [post] = load("bluesky", posts)["posts"]
    fake.on("GET", GET_POSTS, reply(200, {"posts": [post]}))

    for action in (_connector(fake).hide, _connector(fake).unhide):
        with pytest.raises(Rejected) as caught:
            action(post["uri"])
        assert caught.value.code == code
        assert words in caught.value.reason
    assert not fake.calls("GET", GET_RECORD)
    assert not fake.calls("POST", PUT_RECORD)


def test_a_deleted_reply_is_refused(fake: FakeNetwork) -> None:
    fake.on("GET", GET_POSTS, reply(200, {"posts": []}))
    with pytest.raises(Rejected) as caught:
        _connector(fake).hide(REPLY)
    assert caught.value.code == "comment_missing"


def test_an_id_that_is_not_a_post_is_refused_before_any_call(fake: FakeNetwork) -> None:
    with pytest.raises(Rejected) as caught:
        _connector(fake).hide(f"at://{BSKY_DID}/app.bsky.feed.like/3l6plike0000a")
    assert caught.value.code == "bad_id"
    assert not fake.requests


def test_a_full_list_of_hidden_replies_is_refused(fake: FakeNetwork) -> None:
    full = [f"at://did:plc:fan/app.bsky.feed.post/{n}" for n in range(MAX_HIDDEN_REPLIES)]
    _thread(fake, _gate(hidden=full))
    with pytest.raises(Rejected) as caught:
        _connector(fake).hide(REPLY)
    assert caught.value.code == "too_many_hidden"
    assert not fake.calls("POST", PUT_RECORD)


def test_an_expired_session_is_auth_expired(fake: FakeNetwork) -> None:
    _thread(fake, NO_GATE)
    fake.on("POST", PUT_RECORD, reply(401, load("bluesky", "error_auth_required")))
    with pytest.raises(AuthExpired):
        _connector(fake).hide(REPLY)


def test_a_rate_limit_says_when_to_try_again(fake: FakeNetwork) -> None:
    _thread(fake, reply(200, GATE))
    limited = reply(429, load("bluesky", "error_rate_limit"), headers={"Retry-After": "30"})
    fake.on("POST", PUT_RECORD, limited)
    with pytest.raises(RateLimited) as caught:
        _connector(fake).unhide(ALREADY_HIDDEN)
    assert caught.value.retry_after == 30.0


def test_an_oauth_connection_hides_with_dpop(fake: FakeNetwork) -> None:
    creds = Credentials(
        access_token="at-oauth",
        refresh_token="ref",
        extra={
            "did": BSKY_DID,
            "handle": "varde.bsky.social",
            "auth": "oauth",
            "dpop_key": DPoPKey.generate().private_jwk(),
        },
    )
    _thread(fake, NO_GATE)

    BlueskyConnector(credentials=creds, client=fake.client()).hide(REPLY)

    for request in fake.requests:
        assert request.headers["Authorization"] == "DPoP at-oauth"
        assert request.headers["DPoP"]
    assert fake.json_sent("POST", PUT_RECORD)["record"]["hiddenReplies"] == [REPLY]
