"""Reading back from the local Bluesky network: a post published by the engine gets a like
and a reply from a second account; ``varde channels sync`` then stores the post's metrics
(analytics) and the reply (inbox) in Varde, linked to the delivery, and a second sync stores
the reply no second time."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.bluesky_accounts import Account, connect_channel, schedule_now, strong_ref
from varde.analytics.selectors import latest_metrics
from varde.cli import main as cli_main
from varde.inbox.models import InboxItem
from varde.inbox.selectors import replies_to_deliveries
from varde.publishing import engine
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky"), pytest.mark.django_db]


def test_metrics_and_a_reply_are_read_back_into_varde(
    bluesky_network: BlueskyNetwork, settings: Any, capsys: pytest.CaptureFixture[str]
):
    # A PDS on this machine is a private address, refused unless the installation allows it.
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    brand = Account.sign_up(bluesky_network, "readback")
    fan = Account.sign_up(bluesky_network, "reader")
    channel = connect_channel(bluesky_network, brand, slug="bluesky-e2e-readback")
    workspace = channel.workspace
    delivery, at = schedule_now(channel, "Hva synes dere om høstkolleksjonen?")
    assert engine.publish_one(worker="e2e", now=at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED, delivery.last_error

    # A person can only answer a post the AppView shows them: wait until it is indexed. The
    # AppView makes a reply notification only for ancestors it has already indexed, so a reply
    # indexed before its parent would never notify (a like names its subject and always does).
    bluesky_network.sync()
    target = strong_ref(bluesky_network, delivery.network_post_id)
    answer = fan.reply(target, target, "Nydelig! <b>Mer</b> av dette 🙌")
    fan.like(target)
    outputs: list[str] = []

    def sync_reads_the_reply() -> bool:
        assert cli_main(["channels", "sync", "--workspace", workspace.slug]) == 0
        outputs.append(capsys.readouterr().out)
        return "1 new replies and mentions." in outputs[-1]

    # Sync until the reply is there (a sync that finds nothing new leaves the cursor where it
    # was, so asking again is harmless).
    bluesky_network.until(sync_reads_the_reply)
    out = outputs[-1]
    assert "Bluesky: 1 metric readings, 1 new replies and mentions." in out
    assert f"comment from @{fan.handle}" in out

    snapshot = latest_metrics(workspace=workspace, delivery_ids=[delivery.pk])[delivery.pk]
    assert (snapshot.likes, snapshot.replies, snapshot.reposts) == (1, 1, 0)
    [reply] = replies_to_deliveries(workspace=workspace, delivery_ids=[delivery.pk])[delivery.pk]
    assert reply.network_id == answer["uri"]
    assert reply.author_handle == fan.handle
    assert reply.text == "Nydelig! <b>Mer</b> av dette 🙌"  # kept as written; escaped when shown

    # Reading again stores the reply no second time; the cursor went along.
    assert cli_main(["channels", "sync", "--workspace", workspace.slug]) == 0
    assert "0 new replies and mentions" in capsys.readouterr().out
    assert InboxItem.objects.filter(channel=channel).count() == 1
