"""Rows the leads tests start from: an inbox reply to one of our posts in a campaign, a mention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.analytics.tests.conftest import bluesky_channel, published
from varde.content.models import Campaign
from varde.inbox.choices import ItemKind
from varde.inbox.models import InboxItem
from varde.listening.models import Mention

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def campaign_in(workspace, name: str = "Vårkampanjen") -> Campaign:
    return Campaign.objects.create(workspace=workspace, name=name, utm_campaign="var")


def inbox_reply(workspace, owner, *, handle: str = "kari.bsky.social", campaign=None, n: int = 1):
    channel = bluesky_channel(workspace, owner, label=f"Bluesky {n}")
    delivery = published(channel, network_post_id=f"at://post/{n}")
    if campaign is not None:
        delivery.post.campaign = campaign
        delivery.post.save(update_fields=["campaign"])
    return InboxItem.objects.create(
        workspace=workspace,
        channel=channel,
        network_id=f"reply-{n}",
        kind=ItemKind.COMMENT,
        author_handle=handle,
        author_name="Kari <b>Nordmann</b>",
        text="Hva koster dette for 10 personer? <script>alert(1)</script>",
        url=f"https://bsky.app/profile/{handle}/post/{n}",
        created_at=NOW,
        in_reply_to=delivery.network_post_id,
        delivery=delivery,
        received_at=NOW,
    )


def mention_in(workspace, *, handle: str = "ola", n: int = 1) -> Mention:
    return Mention.objects.create(
        workspace=workspace,
        source_kind="mastodon",
        external_id=f"m{n}",
        url=f"https://mastodon.example/@{handle}/{n}",
        author_name="Ola",
        author_handle=handle,
        text="Noen som har prøvd Varde? Vi vurderer å kjøpe.",
        published_at=NOW,
        received_at=NOW,
    )
