"""Listening on the local Bluesky network: a post written on the PDS is read back from the
PDS's own firehose (``com.atproto.sync.subscribeRepos``) by ``varde.listening.sources``, once,
with its text and language; its deletion comes back as a deleted id; a cursor carried from
one read to the next loses nothing.

The dev-env has no Jetstream server, so Jetstream is covered by the recorded-frame tests in
``varde/listening/sources/tests``."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

import pytest

from tests.e2e.bluesky_accounts import Account
from varde.listening.sources import get

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky")]


def _read_until(config, cursor, found, *, seconds=20.0):
    """Read (as the worker does, one batch after another) until ``found(batches)`` is true."""
    batches = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch = get("bluesky_firehose").read(config, cursor, deadline=time.monotonic() + 2.0)
        batches.append(batch)
        cursor = batch.cursor or cursor
        if found(batches):
            break
    return batches, cursor


def test_a_post_on_the_pds_is_read_from_its_firehose(bluesky_network: BlueskyNetwork):
    writer = Account.sign_up(bluesky_network, "listen")
    config = {"url": bluesky_network.pds_url, "allow_private": "true"}
    # From the start of the PDS's history: the cursor after it is where "now" is.
    _, cursor = _read_until(config, "0", lambda batches: bool(batches[-1].cursor), seconds=10)
    assert cursor is not None

    token = uuid.uuid4().hex[:10]
    text = f"Varde lytter: kaffe på fjellet {token}"
    post = writer.write("app.bsky.feed.post", {"text": text, "langs": ["nb"]})

    batches, cursor = _read_until(
        config, cursor, lambda bs: any(i.external_id == post["uri"] for b in bs for i in b.items)
    )
    found = [i for b in batches for i in b.items if i.external_id == post["uri"]]
    # The rewind may bring it twice across reads; within one read it is there once.
    assert found, [b.health for b in batches]
    item = found[0]
    assert item.text == text
    assert item.lang == "nb"
    assert item.author_handle == writer.did
    assert item.source_kind == "bluesky_firehose"
    assert item.extra["cid"] == post["cid"]
    assert int(cursor) > 0

    rkey = post["uri"].rsplit("/", 1)[1]
    writer.call(
        "com.atproto.repo.deleteRecord",
        json={"repo": writer.did, "collection": "app.bsky.feed.post", "rkey": rkey},
    )
    batches, _ = _read_until(
        config, cursor, lambda bs: any(post["uri"] in b.deleted_ids for b in bs)
    )
    assert any(post["uri"] in b.deleted_ids for b in batches)
