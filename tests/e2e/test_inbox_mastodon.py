"""Answering from the inbox on mastodon-mock (PyPI), over real HTTP on 127.0.0.1.

mastodon-mock is a FAKE: a stateful imitation of Mastodon's client API (FastAPI + SQLite),
not Mastodon. No registry has a real Mastodon-compatible server that runs locally
(docs/e2e-tests.md). This proves that Varde's inbox reads a reply through the connector and
answers it in the thread (``in_reply_to_id``, the person named) with the requests an
independent implementation of the API accepts; it cannot prove what only a real instance does.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.channels.selectors import connector_for
from varde.channels.services import channel_connect
from varde.connectors.contracts import Credentials, PublishRequest
from varde.inbox import services
from varde.inbox.choices import ItemKind, ReplyStatus
from varde.inbox.models import InboxItem

if TYPE_CHECKING:
    from tests.e2e.conftest import MastodonMock

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-mastodon"), pytest.mark.django_db]


def _as(mock: MastodonMock, who: str) -> httpx.Client:
    return httpx.Client(
        base_url=mock.url, headers={"Authorization": f"Bearer {mock.tokens[who]}"}, timeout=30
    )


def test_a_reply_is_read_into_the_inbox_and_answered_in_the_thread(
    mastodon_mock: MastodonMock, settings: Any
):
    settings.VARDE_ALLOW_PRIVATE_URLS = True  # the fake listens on 127.0.0.1
    brand, reader = _as(mastodon_mock, "varde"), _as(mastodon_mock, "reader")
    me = brand.get("/api/v1/accounts/verify_credentials").json()
    workspace = WorkspaceFactory(slug="mastodon-e2e-inbox", name="Mastodon inbox")
    owner = member(workspace, Role.OWNER, full_name="Kari Nordmann")
    channel = channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Mastodon (mastodon-mock)",
        handle=str(me["acct"]),
        credentials=Credentials(
            access_token=mastodon_mock.tokens["varde"],
            extra={"account_id": str(me["id"]), "acct": str(me["acct"])},
        ),
        config={"instance": mastodon_mock.url},
    )
    connector = connector_for(channel)
    post = connector.publish(
        PublishRequest(text="Hva synes dere?", idempotency_key=uuid.uuid4().hex)
    )
    asked = reader.post(
        "/api/v1/statuses",
        json={"status": "@varde Når kommer den på lager?", "in_reply_to_id": post.network_post_id},
    ).json()

    services.inbox_read_channel(channel=channel, connector=connector)
    item = InboxItem.objects.get(channel=channel, network_id=str(asked["id"]))
    assert item.kind == ItemKind.COMMENT
    assert item.in_reply_to == post.network_post_id
    assert item.author_handle == "reader"
    # Mastodon offers no private messages to Varde, and no hiding: both say so.
    assert services.reply_modes(item.conversation)["private"]
    with pytest.raises(services.HideNotPossibleError):
        services.item_hide(item=item, actor=owner)

    reply = services.reply_send(
        conversation=item.conversation, author=owner, text="Neste uke!", mode="public", sign=True
    )
    assert reply.status == ReplyStatus.SENT, reply.error
    sent = brand.get(f"/api/v1/statuses/{reply.network_id}").json()
    assert sent["in_reply_to_id"] == str(asked["id"])
    assert "Neste uke!" in sent["content"]
    assert "Kari" in sent["content"]  # signed by the person
    assert "@reader" in sent["content"] or any(
        mention["acct"] == "reader" for mention in sent.get("mentions", [])
    )
