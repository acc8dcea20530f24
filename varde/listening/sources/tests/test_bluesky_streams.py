"""Jetstream and the firehose, against a real websocket server on 127.0.0.1 that sends
messages built by hand after the documented formats (Jetstream's README; the AT Protocol's
event-stream spec: a DAG-CBOR header and body per frame, records in a CAR file)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import libipld
import pytest

from varde.listening.sources import get
from varde.listening.sources.base import SourceError
from varde.listening.sources.firehose import REWIND_SEQ, decode_frame
from varde.listening.sources.jetstream import REWIND_US
from varde.listening.sources.tests.conftest import soon

ALICE = "did:plc:alice2222222222222222222"
T0 = 1_727_769_600_000_000  # 2024-10-01T08:00:00Z in microseconds


def jetstream_post(time_us: int, rkey: str, text: str, **record: object) -> str:
    return json.dumps(
        {
            "did": ALICE,
            "time_us": time_us,
            "kind": "commit",
            "commit": {
                "rev": "3l3qo2vutsw2b",
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": rkey,
                "record": {
                    "$type": "app.bsky.feed.post",
                    "createdAt": "2024-10-01T07:59:59.000Z",
                    "text": text,
                    **record,
                },
                "cid": "bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi",
            },
        }
    )


def test_jetstream_posts_deletes_and_the_cursor(stream_server):
    messages: list[str | bytes] = [
        jetstream_post(
            T0,
            "3l3qo2vuowo2b",
            "Kaffe på fjellet med Varde \u202e",
            langs=["nb"],
            reply={
                "root": {"uri": f"at://{ALICE}/app.bsky.feed.post/root", "cid": "x"},
                "parent": {"uri": f"at://{ALICE}/app.bsky.feed.post/parent", "cid": "y"},
            },
            facets=[
                {
                    "index": {"byteStart": 0, "byteEnd": 5},
                    "features": [
                        {"$type": "app.bsky.richtext.facet#link", "uri": "https://vg.no/a"}
                    ],
                }
            ],
        ),
        json.dumps(
            {
                "did": ALICE,
                "time_us": T0 + 10,
                "kind": "commit",
                "commit": {
                    "operation": "delete",
                    "collection": "app.bsky.feed.post",
                    "rkey": "old1",
                },
            }
        ),
        json.dumps({"did": ALICE, "time_us": T0 + 20, "kind": "identity", "identity": {}}),
        "not json",
        jetstream_post(T0 + 30, "3l3qo2vuowo2c", "Second", createdAt="2999-01-01T00:00:00Z"),
    ]
    server = stream_server(messages)
    config = {"url": server.url, "allow_private": "true"}
    batch = get("jetstream").read(config, None, deadline=soon(1.0))
    first, second = batch.items
    assert first.external_id == f"at://{ALICE}/app.bsky.feed.post/3l3qo2vuowo2b"
    assert first.url == f"https://bsky.app/profile/{ALICE}/post/3l3qo2vuowo2b"
    assert first.text == "Kaffe på fjellet med Varde"  # direction override removed
    assert first.lang == "nb"
    assert first.author_handle == ALICE
    assert first.published_at == datetime(2024, 10, 1, 7, 59, 59, tzinfo=UTC)
    assert first.extra["in_reply_to"] == f"at://{ALICE}/app.bsky.feed.post/parent"
    assert first.extra["links"] == "https://vg.no/a"
    # A createdAt in the future is not believed: the event time is used.
    assert second.published_at == datetime.fromtimestamp((T0 + 30) / 1e6, tz=UTC)
    assert batch.deleted_ids == [f"at://{ALICE}/app.bsky.feed.post/old1"]
    assert batch.cursor == str(T0 + 30)
    query = parse_qs(urlsplit(server.paths[0]).query)
    assert query == {"wantedCollections": ["app.bsky.feed.post"]}

    again = get("jetstream").read(config, batch.cursor, deadline=soon(1.0))
    query = parse_qs(urlsplit(server.paths[1]).query)
    assert query["cursor"] == [str(T0 + 30 - REWIND_US)]
    assert urlsplit(server.paths[1]).path == "/subscribe"
    # The same events again (the rewind): the cursor does not move back.
    assert again.cursor == str(T0 + 30)
    assert again.health["rewound"] == "5 s"


def test_a_quiet_stream_keeps_the_cursor(stream_server):
    server = stream_server([])
    batch = get("jetstream").read(
        {"url": server.url, "allow_private": "true"}, str(T0), deadline=soon(0.5)
    )
    assert batch.items == []
    assert batch.cursor == str(T0)


def test_streams_refuse_private_addresses_without_allow_private(stream_server):
    server = stream_server([])
    for kind in ("jetstream", "bluesky_firehose"):
        with pytest.raises(SourceError) as caught:
            get(kind).read({"url": server.url}, None, deadline=soon(1.0))
        assert caught.value.code == "unsafe_url"
    assert server.paths == []


# -- the firehose -------------------------------------------------------------------------------


def cid_of(block: bytes) -> bytes:
    # CIDv1, dag-cbor (0x71), sha2-256 (0x12, 32 bytes)
    return bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest()


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def car(blocks: list[bytes], root: bytes) -> bytes:
    header = libipld.encode_dag_cbor({"version": 1, "roots": [root]})
    out = varint(len(header)) + header
    for block in blocks:
        cid = cid_of(block)
        out += varint(len(cid) + len(block)) + cid + block
    return out


def frame(header: dict, body: dict) -> bytes:
    return libipld.encode_dag_cbor(header) + libipld.encode_dag_cbor(body)


def commit(seq: int, ops: list[tuple[str, str, bytes | None]], blocks: list[bytes]) -> bytes:
    commit_block = libipld.encode_dag_cbor({"did": ALICE, "version": 3, "rev": "r"})
    return frame(
        {"op": 1, "t": "#commit"},
        {
            "seq": seq,
            "repo": ALICE,
            "rev": "3l3qo2vutsw2b",
            "since": None,
            "commit": cid_of(commit_block),
            "rebase": False,
            "tooBig": False,
            "ops": [{"action": a, "path": p, "cid": c} for a, p, c in ops],
            "blocks": car([commit_block, *blocks], cid_of(commit_block)),
            "blobs": [],
            "time": "2024-10-01T08:00:01.000Z",
        },
    )


def post_block(text: str, **extra: object) -> bytes:
    return libipld.encode_dag_cbor(
        {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2024-10-01T08:00:00.000Z",
            **extra,
        }
    )


def test_a_hand_built_frame_decodes():
    header, body = decode_frame(commit(7, [], []))
    assert header == {"op": 1, "t": "#commit"}
    assert body["seq"] == 7


def test_firehose_commits_become_items_and_deletes(stream_server):
    hello = post_block("Hei fra PDS-en, Varde!", langs=["nb", "en"])
    like = libipld.encode_dag_cbor(
        {"$type": "app.bsky.feed.like", "createdAt": "2024-10-01T08:00:00Z"}
    )
    messages: list[str | bytes] = [
        commit(
            101,
            [
                ("create", "app.bsky.feed.post/3kpost1", cid_of(hello)),
                ("create", "app.bsky.feed.like/3klike1", cid_of(like)),
            ],
            [hello, like],
        ),
        commit(102, [("delete", "app.bsky.feed.post/3kold", None)], []),
        frame(
            {"op": 1, "t": "#identity"}, {"seq": 103, "did": ALICE, "time": "2024-10-01T08:00:02Z"}
        ),
        # A create whose block is missing from the CAR: skipped, not fatal.
        commit(104, [("create", "app.bsky.feed.post/3kgone", cid_of(b"missing"))], []),
    ]
    server = stream_server(messages)
    config = {"url": server.url.replace("ws://", "http://"), "allow_private": "true"}
    batch = get("bluesky_firehose").read(config, None, deadline=soon(1.0))
    assert [i.external_id for i in batch.items] == [f"at://{ALICE}/app.bsky.feed.post/3kpost1"]
    item = batch.items[0]
    assert item.text == "Hei fra PDS-en, Varde!"
    assert item.lang == "nb"
    assert item.source_kind == "bluesky_firehose"
    assert item.extra["cid"] == libipld.encode_cid(cid_of(hello))
    assert batch.deleted_ids == [f"at://{ALICE}/app.bsky.feed.post/3kold"]
    assert batch.cursor == "104"
    assert batch.health["skipped"] == "1"
    assert urlsplit(server.paths[0]).path == "/xrpc/com.atproto.sync.subscribeRepos"

    get("bluesky_firehose").read(config, "1000", deadline=soon(0.5))
    assert parse_qs(urlsplit(server.paths[1]).query)["cursor"] == [str(1000 - REWIND_SEQ)]


def test_a_firehose_error_frame_is_a_source_error(stream_server):
    server = stream_server(
        [frame({"op": -1}, {"error": "FutureCursor", "message": "Cursor in the future."})]
    )
    with pytest.raises(SourceError) as caught:
        get("bluesky_firehose").read(
            {"url": server.url, "allow_private": "true"}, "99999", deadline=soon(1.0)
        )
    assert caught.value.code == "rejected"
    assert caught.value.detail == "FutureCursor: Cursor in the future."


def test_a_garbage_frame_is_bad_answer(stream_server):
    server = stream_server([b"\xff\x00garbage"])
    with pytest.raises(SourceError) as caught:
        get("bluesky_firehose").read(
            {"url": server.url, "allow_private": "true"}, None, deadline=soon(1.0)
        )
    assert caught.value.code == "bad_answer"
