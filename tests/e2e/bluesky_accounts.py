"""Accounts on the local Bluesky network, and what a second person does to a post.

Plain XRPC over httpx (the lexicons' own calls), so the tests need no SDK: creating accounts
and app passwords, liking, reposting, following and replying as someone other than Varde.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from django.utils import timezone

from varde.accounts.tests.factories import WorkspaceFactory
from varde.channels.services import channel_connect
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.bluesky.xrpc import iso, split_at_uri
from varde.connectors.http import utc_now
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.publishing.services.scheduling import delivery_schedule

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork
    from varde.channels.models import ConnectedAccount
    from varde.publishing.models import Delivery

POST = "app.bsky.feed.post"


@dataclass
class Account:
    network: BlueskyNetwork
    did: str
    handle: str
    password: str
    token: str

    @classmethod
    def sign_up(cls, network: BlueskyNetwork, name: str) -> Account:
        handle = f"{name}-{uuid.uuid4().hex[:8]}.test"
        password = f"pw-{uuid.uuid4().hex}"
        session = _xrpc(
            network,
            "com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        )
        # The AppView indexes new accounts asynchronously; reads fail until it has.
        network.sync()
        return cls(network, session["did"], session["handle"], password, session["accessJwt"])

    def app_password(self, name: str = "Varde") -> str:
        created = self.call("com.atproto.server.createAppPassword", json={"name": name})
        return str(created["password"])

    def connector(self) -> BlueskyConnector:
        """Connected as a user does it: with an app password, never the main password."""
        config = {"service": self.network.pds_url}
        credentials = BlueskyConnector(config=config).login(
            identifier=self.handle, secret=self.app_password()
        )
        return BlueskyConnector(credentials=credentials, config=config)

    def call(self, nsid: str, **kwargs: Any) -> dict[str, Any]:
        return _xrpc(self.network, nsid, token=self.token, **kwargs)

    def write(self, collection: str, record: dict[str, Any]) -> dict[str, str]:
        record = {"$type": collection, "createdAt": iso(utc_now()), **record}
        created = self.call(
            "com.atproto.repo.createRecord",
            json={"repo": self.did, "collection": collection, "record": record},
        )
        return {"uri": str(created["uri"]), "cid": str(created["cid"])}

    def like(self, post: dict[str, str]) -> None:
        self.write("app.bsky.feed.like", {"subject": post})

    def repost(self, post: dict[str, str]) -> None:
        self.write("app.bsky.feed.repost", {"subject": post})

    def follow(self, other: Account) -> None:
        self.write("app.bsky.graph.follow", {"subject": other.did})

    def reply(self, parent: dict[str, str], root: dict[str, str], text: str) -> dict[str, str]:
        return self.write(POST, {"text": text, "reply": {"root": root, "parent": parent}})

    def mention(self, other: Account, before: str = "Hei ", after: str = "!") -> dict[str, str]:
        text = f"{before}@{other.handle}{after}"
        start = len(before.encode())
        end = start + len(f"@{other.handle}".encode())
        facet = {
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": other.did}],
        }
        return self.write(POST, {"text": text, "facets": [facet]})


def _xrpc(
    network: BlueskyNetwork, nsid: str, *, token: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    method = "POST" if "json" in kwargs else "GET"
    answer = httpx.request(
        method, f"{network.pds_url}/xrpc/{nsid}", headers=headers, timeout=30, **kwargs
    )
    if answer.status_code >= 400:
        msg = f"{nsid}: {answer.status_code} {answer.text}"
        raise AssertionError(msg)
    return dict(answer.json()) if answer.content else {}


def strong_ref(network: BlueskyNetwork, uri: str) -> dict[str, str]:
    record = get_record(network, uri)
    return {"uri": uri, "cid": str(record["cid"])}


def get_record(network: BlueskyNetwork, uri: str) -> dict[str, Any]:
    did, collection, rkey = split_at_uri(uri)
    return _xrpc(
        network,
        "com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
    )


def record_exists(network: BlueskyNetwork, uri: str) -> bool:
    did, collection, rkey = split_at_uri(uri)
    answer = httpx.get(
        f"{network.pds_url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
    )
    return answer.status_code == 200


def list_posts(network: BlueskyNetwork, did: str) -> list[dict[str, Any]]:
    """Every post in the account's repository, newest first (follows the cursor)."""
    records: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"repo": did, "collection": POST, "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = _xrpc(network, "com.atproto.repo.listRecords", params=params)
        records += page.get("records", [])
        cursor = page.get("cursor")
        if not cursor or not page.get("records"):
            return records


def connect_channel(network: BlueskyNetwork, account: Account, *, slug: str) -> ConnectedAccount:
    """A fresh workspace with ``account`` connected as its Bluesky channel (app password)."""
    workspace = WorkspaceFactory(slug=slug, name=slug)
    config = {"service": network.pds_url}
    credentials = BlueskyConnector(config=config).login(
        identifier=account.handle, secret=account.app_password()
    )
    return channel_connect(
        workspace=workspace,
        connector_key="bluesky",
        label="Bluesky",
        handle=account.handle,
        credentials=credentials,
        config=config,
    )


def schedule_now(channel: ConnectedAccount, text: str) -> tuple[Delivery, datetime]:
    """An approved post on ``channel``, due now; returns its delivery and the due time."""
    post = post_create(
        workspace=channel.workspace, author=None, text=text, approval_state=ApprovalState.APPROVED
    )
    at = timezone.now()
    return delivery_schedule(post=post, channel=channel, at=at, actor=None), at
