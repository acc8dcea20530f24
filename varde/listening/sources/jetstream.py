"""Bluesky through Jetstream: JSON events over a websocket
(``wss://HOST/subscribe?wantedCollections=app.bsky.feed.post&cursor=TIME_US``).

Config: ``url`` (a Jetstream instance, e.g. ``wss://jetstream2.us-east.bsky.network``),
optional ``dids`` (comma-separated, Jetstream's ``wantedDids``), ``allow_private``.

Cursor: the ``time_us`` of the last event read. Each read connects, asks for events from the
cursor rewound by ``REWIND_US`` (Jetstream's own advice for reconnects: event times are not
strictly ordered across its upstream connections), reads until the deadline or ``MAX_EVENTS``,
and disconnects. The few events read twice are removed upstream by ``external_id``. Without a
cursor the stream starts live. Post deletions come back as ``Batch.deleted_ids``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.listening.sources.base import Batch, FoundItem, SourceError, flag, required
from varde.listening.sources.bluesky_post import POST, at_uri, post_item, valid_did
from varde.listening.sources.registry import register
from varde.listening.sources.text import from_timestamp
from varde.listening.sources.websocket import open_websocket, receive, websocket_url

REWIND_US = 5_000_000  # five seconds
MAX_EVENTS = 20_000
MAX_MESSAGE = 1024 * 1024
MAX_DIDS = 10_000  # Jetstream's own limit on wantedDids


@register
class JetstreamSource:
    kind: ClassVar[str] = "jetstream"
    label: ClassVar[Any] = _("Bluesky (Jetstream)")
    config_keys: ClassVar[tuple[str, ...]] = ("url", "dids", "allow_private")

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        params: dict[str, str | list[str]] = {"wantedCollections": POST}
        dids = [d.strip() for d in config.get("dids", "").split(",") if d.strip()]
        if dids:
            params["wantedDids"] = dids[:MAX_DIDS]
        last = _cursor(cursor)
        health: dict[str, str] = {}
        if last is not None:
            params["cursor"] = str(max(0, last - REWIND_US))
            health["rewound"] = f"{REWIND_US // 1_000_000} s"
        url = websocket_url(required(config, "url"), "/subscribe", params)
        items: list[FoundItem] = []
        deleted: list[str] = []
        messages = 0
        with open_websocket(
            url,
            allow_private=flag(config, "allow_private"),
            deadline=deadline,
            max_size=MAX_MESSAGE,
        ) as connection:
            while messages < MAX_EVENTS:
                message = receive(connection, until=deadline)
                if message is None:
                    break
                messages += 1
                event = _event(message)
                if event is None:
                    continue
                time_us = event["time_us"]
                last = time_us if last is None else max(last, time_us)
                _take(event, items, deleted)
        health["pages"] = str(messages)
        if last is not None:
            health["lag_seconds"] = str(max(0, int(time.time() - last / 1_000_000)))
            if messages >= MAX_EVENTS:
                health["more"] = "yes"
        return Batch(
            items=items,
            cursor=str(last) if last is not None else None,
            deleted_ids=deleted,
            health=health,
        )


def _cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    if not cursor.isdigit():
        raise SourceError("bad_config", f"the stored cursor is not a Jetstream time: {cursor!r}")
    return int(cursor)


def _event(message: str | bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(message)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("time_us"), int):
        return None
    return event


def _take(event: dict[str, Any], items: list[FoundItem], deleted: list[str]) -> None:
    commit = event.get("commit")
    did = event.get("did")
    if event.get("kind") != "commit" or not isinstance(commit, dict) or not valid_did(did):
        return
    if commit.get("collection") != POST or not isinstance(commit.get("rkey"), str):
        return
    operation = commit.get("operation")
    if operation == "delete":
        deleted.append(at_uri(did, POST, commit["rkey"]))
        return
    if operation != "create":
        return  # an edit of a post record is rare and not shown by the app; skipped
    item = post_item(
        JetstreamSource.kind,
        did=did,
        rkey=commit["rkey"],
        record=commit.get("record"),
        seen_at=from_timestamp(event["time_us"] / 1_000_000),
        cid=str(commit.get("cid") or ""),
    )
    if item is not None:
        items.append(item)
