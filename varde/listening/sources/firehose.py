"""Bluesky through the firehose of a PDS or relay: ``com.atproto.sync.subscribeRepos``.

Config: ``url`` (the PDS or relay, https:// or wss://), ``allow_private``.

Each websocket message is two DAG-CBOR objects, a header ``{op, t}`` and a body; ``op`` -1 is
an error (``{error, message}``). A ``#commit`` body has ``seq``, ``repo`` (the DID), ``ops``
(``{action, path, cid}``) and ``blocks``, a CAR file holding the records the commit wrote.
``libipld`` (the Rust IPLD decoder the atproto SDK itself uses) decodes both; the SDK's own
firehose client runs a callback loop in a thread and does not fit a read with a deadline.

Cursor: the ``seq`` of the last event read (every event type carries one). A read asks for
events from the cursor rewound by ``REWIND_SEQ`` (a few seconds of a busy relay), so a commit
in flight when the last read ended is not lost; duplicates are removed upstream by
``external_id``. Without a cursor the stream starts live.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, ClassVar

import libipld
from django.utils.translation import gettext_lazy as _

from varde.connectors.http import clean_reason
from varde.listening.sources.base import Batch, FoundItem, SourceError, flag, required
from varde.listening.sources.bluesky_post import POST, at_uri, post_item, valid_did
from varde.listening.sources.registry import register
from varde.listening.sources.text import aware_utc, from_timestamp
from varde.listening.sources.websocket import open_websocket, receive, websocket_url

NSID = "com.atproto.sync.subscribeRepos"
REWIND_SEQ = 300
MAX_EVENTS = 20_000
MAX_FRAME = 5 * 1024 * 1024  # relays cap a commit's blocks at 2 MB
_ERROR_OP = -1
_MESSAGE_OP = 1


@register
class FirehoseSource:
    kind: ClassVar[str] = "bluesky_firehose"
    label: ClassVar[Any] = _("Bluesky firehose (PDS or relay)")
    config_keys: ClassVar[tuple[str, ...]] = ("url", "allow_private")

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        last = _cursor(cursor)
        params: dict[str, str | list[str]] = {}
        health: dict[str, str] = {}
        if last is not None:
            params["cursor"] = str(max(0, last - REWIND_SEQ))
            health["rewound"] = f"{REWIND_SEQ} seq"
        url = websocket_url(required(config, "url"), f"/xrpc/{NSID}", params)
        state = _Read(last)
        with open_websocket(
            url, allow_private=flag(config, "allow_private"), deadline=deadline, max_size=MAX_FRAME
        ) as connection:
            while state.messages < MAX_EVENTS:
                message = receive(connection, until=deadline)
                if message is None:
                    break
                state.messages += 1
                if isinstance(message, bytes):
                    state.take(message)
        health["pages"] = str(state.messages)
        if state.skipped:
            health["skipped"] = str(state.skipped)
        if state.last_time is not None:
            health["lag_seconds"] = str(max(0, int(time.time() - state.last_time)))
        if state.messages >= MAX_EVENTS:
            health["more"] = "yes"
        return Batch(
            items=state.items,
            cursor=str(state.last) if state.last is not None else None,
            deleted_ids=state.deleted,
            health=health,
        )


def _cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    if not cursor.isdigit():
        raise SourceError("bad_config", f"the stored cursor is not a firehose seq: {cursor!r}")
    return int(cursor)


class _Read:
    def __init__(self, last: int | None) -> None:
        self.last = last
        self.last_time: float | None = None
        self.items: list[FoundItem] = []
        self.deleted: list[str] = []
        self.messages = 0
        self.skipped = 0

    def take(self, frame: bytes) -> None:
        header, body = decode_frame(frame)
        if header.get("op") == _ERROR_OP:
            error = clean_reason(str(body.get("error", ""))) or "error"
            message = clean_reason(str(body.get("message", ""))) or ""
            raise SourceError("rejected", f"{error}: {message}".rstrip(": "))
        seq = body.get("seq")
        if isinstance(seq, int):
            self.last = seq if self.last is None else max(self.last, seq)
        if header.get("op") != _MESSAGE_OP or header.get("t") != "#commit":
            return  # #identity, #account, #sync, #info: only their seq matters here
        seen_at = aware_utc(body.get("time"), fallback=from_timestamp(time.time()))
        self.last_time = seen_at.timestamp()
        self._commit(body, seen_at)

    def _commit(self, body: dict[str, Any], seen_at: Any) -> None:
        did = body.get("repo")
        ops = body.get("ops")
        if not valid_did(did) or not isinstance(ops, list) or body.get("tooBig"):
            self.skipped += 1
            return
        posts = [
            op
            for op in ops
            if isinstance(op, dict)
            and isinstance(op.get("path"), str)
            and op["path"].startswith(f"{POST}/")
        ]
        if not posts:
            return
        blocks = _blocks(body.get("blocks"))
        for op in posts:
            rkey = op["path"].split("/", 1)[1]
            if op.get("action") == "delete":
                self.deleted.append(at_uri(did, POST, rkey))
                continue
            if op.get("action") != "create":
                continue
            cid = op.get("cid")
            record = blocks.get(cid) if isinstance(cid, bytes) else None
            item = post_item(
                FirehoseSource.kind,
                did=did,
                rkey=rkey,
                record=record,
                seen_at=seen_at,
                cid=libipld.encode_cid(cid) if isinstance(cid, bytes) else "",
            )
            if item is None:
                self.skipped += 1
            else:
                self.items.append(item)


def decode_frame(frame: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and body of one event-stream frame (two DAG-CBOR objects back to back)."""
    try:
        parts = libipld.decode_dag_cbor_multi(frame)
    except (ValueError, TypeError) as exc:
        raise SourceError("bad_answer", "a firehose frame is not DAG-CBOR") from exc
    if len(parts) != 2 or not isinstance(parts[0], dict) or not isinstance(parts[1], dict):
        raise SourceError("bad_answer", "a firehose frame is not a header and a body")
    return parts[0], parts[1]


def _blocks(car: object) -> dict[bytes, Any]:
    """The CAR file's blocks by CID (raw CID bytes, as libipld decodes links)."""
    if not isinstance(car, bytes) or not car:
        return {}
    try:
        _header, blocks = libipld.decode_car(car)
    except (ValueError, TypeError):
        return {}
    return blocks if isinstance(blocks, dict) else {}
