"""Varde's publishing engine end to end: a scheduled thread with an image, sent by
``publish_one`` to a Bluesky account on the local PDS, lands there exactly once; its
metrics and replies are then read back through the same channel. And when the answer to a
publish is lost, the reconciler finds the post on the PDS instead of sending it again.

The channel is connected with an app password through ``varde channels connect bluesky``
(the same verification as the connect page), and the engine talks only to the connector
interface.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.e2e.bluesky_accounts import (
    Account,
    connect_channel,
    get_record,
    list_posts,
    schedule_now,
    strong_ref,
)
from tests.e2e.media import png
from varde.accounts.tests.factories import WorkspaceFactory
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import connector_for
from varde.cli import main as cli_main
from varde.connectors.contracts import MentionKind, PublishRequest, PublishResult
from varde.connectors.errors import OutcomeUnknown
from varde.content.choices import ApprovalState
from varde.content.models import PostMedia
from varde.content.services import post_create
from varde.publishing import engine
from varde.publishing.choices import DeliveryState
from varde.publishing.services.scheduling import delivery_schedule

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky"), pytest.mark.django_db]


def test_a_scheduled_thread_with_an_image_is_published_once_then_read_back(
    bluesky_network: BlueskyNetwork, settings: Any, capsys: pytest.CaptureFixture[str]
):
    brand = Account.sign_up(bluesky_network, "varde")
    fan = Account.sign_up(bluesky_network, "fan")
    workspace = WorkspaceFactory(slug="bluesky-e2e", name="Bluesky e2e")
    # Connected from the command line, as an administrator does it. A PDS on this machine is
    # a private address, which Varde refuses unless the installation allows private URLs.
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    connect = [
        *("channels", "connect", "bluesky", "--workspace", workspace.slug),
        *("--service", bluesky_network.pds_url, "--handle", brand.handle),
        *("--app-password", brand.app_password(), "--label", "Bluesky (local PDS)"),
    ]
    assert cli_main(connect) == 0, capsys.readouterr().err
    assert f"account {brand.handle}" in capsys.readouterr().out
    assert cli_main(["channels", "list", "--workspace", workspace.slug]) == 0
    assert "Bluesky (local PDS)" in capsys.readouterr().out
    channel = ConnectedAccount.objects.get(workspace=workspace)

    post = post_create(
        workspace=workspace,
        author=None,
        text="Høstkampanjen starter i dag! 🍂",
        approval_state=ApprovalState.APPROVED,
    )
    post.thread = ["Del 2: rabatt hele uka.", "Del 3: vel møtt!"]
    post.save()
    image = png()
    PostMedia.objects.create(
        post=post,
        file=ContentFile(image, name="host.png"),
        kind=PostMedia.Kind.IMAGE,
        mime_type="image/png",
        size_bytes=len(image),
        alt_text="Et blått bilde",
    )
    at = timezone.now() + timedelta(minutes=5)
    delivery = delivery_schedule(post=post, channel=channel, at=at, actor=None)

    assert not engine.publish_one(worker="e2e", now=timezone.now())  # not due yet
    assert engine.publish_one(worker="e2e", now=at)
    assert not engine.publish_one(worker="e2e", now=at + timedelta(minutes=1))  # nothing left

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED, delivery.last_error
    # Exactly once on the PDS: the head, its image, and the two thread parts under it.
    records = list_posts(bluesky_network, brand.did)
    assert len(records) == 3
    heads = [r for r in records if r["value"]["text"] == post.text]
    assert [r["uri"] for r in heads] == [delivery.network_post_id]
    head = get_record(bluesky_network, delivery.network_post_id)["value"]
    assert head["embed"]["images"][0]["alt"] == "Et blått bilde"
    assert head["langs"] == [workspace.language]
    parts = sorted(
        (r for r in records if r["uri"] != delivery.network_post_id),
        key=lambda r: r["value"]["createdAt"],
    )
    assert [r["value"]["text"] for r in parts] == post.thread
    assert all(r["value"]["reply"]["root"]["uri"] == delivery.network_post_id for r in parts)

    # Someone answers and likes it; Varde reads both back through the channel. A person can
    # only answer a post the AppView shows them, so wait for it to be indexed first: the AppView
    # makes a reply notification only for ancestors it has already indexed (likes need none).
    bluesky_network.sync()
    target = strong_ref(bluesky_network, delivery.network_post_id)
    answer = fan.reply(target, target, "Gleder meg! 🎉")
    fan.like(target)
    bluesky_network.sync()
    connector = connector_for(channel)
    [metrics] = connector.fetch_metrics([delivery.network_post_id])
    assert (metrics.likes, metrics.replies) == (1, 2)  # thread part 2 + the fan's answer
    [reply] = bluesky_network.until(
        lambda: [
            m for m in connector.fetch_mentions(cursor=None).items if m.author_handle == fan.handle
        ]
    )
    assert (reply.id, reply.kind, reply.in_reply_to) == (
        answer["uri"],
        MentionKind.COMMENT,
        delivery.network_post_id,
    )
    # The post's own thread lists the same answer, without Varde's own thread part.
    [direct] = connector.fetch_replies(delivery.network_post_id)
    assert (direct.id, direct.author_handle) == (answer["uri"], fan.handle)


class AnswerLost:
    """The real connector, except that the answer to publishing never arrives: the post is
    on the PDS, and Varde cannot know it (a read timeout after the request went out)."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def publish(self, request: PublishRequest) -> PublishResult:
        self.real.publish(request)
        msg = "Bluesky did not answer in time (ReadTimeout)"
        raise OutcomeUnknown(msg)


def test_a_lost_answer_is_reconciled_with_the_pds_not_sent_twice(
    bluesky_network: BlueskyNetwork, monkeypatch: pytest.MonkeyPatch, settings: Any
):
    settings.VARDE_ALLOW_PRIVATE_URLS = True  # the local PDS is on 127.0.0.1
    brand = Account.sign_up(bluesky_network, "brand")
    channel = connect_channel(bluesky_network, brand, slug="bluesky-e2e-lost")
    delivery, at = schedule_now(channel, "Svaret forsvant, men posten kom fram.")

    monkeypatch.setattr(engine, "connector_for", lambda channel: AnswerLost(connector_for(channel)))
    assert engine.publish_one(worker="e2e", now=at)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNKNOWN
    monkeypatch.undo()

    later = timezone.now() + timedelta(minutes=10)
    assert not engine.publish_one(worker="e2e", now=later)  # never resent blindly
    assert engine.reconcile_one(worker="e2e", now=later)
    delivery.refresh_from_db()
    [record] = list_posts(bluesky_network, brand.did)
    assert delivery.state == DeliveryState.PUBLISHED, delivery.reconcile_note
    assert delivery.network_post_id == record["uri"]
