from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from varde.channels.models import ConnectedAccount
from varde.content.choices import ApprovalState
from varde.content.models import Campaign, Post
from varde.content.services import post_create
from varde.lib.timeutil import local_to_utc
from varde.publishing.services import delivery_plan, delivery_schedule
from varde.strategy.models import ContentPillar, Network, StrategyPlan
from varde.strategy.tests.factories import ChannelFactory

# Monday 16 March 2026, 09:00 in Oslo (CET, UTC+1). DST starts on Sunday 29 March.
NOW = dt.datetime(2026, 3, 16, 8, 0, tzinfo=dt.UTC)
ZONE = "Europe/Oslo"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def local(*args: int) -> dt.datetime:
    """A UTC instant from an Oslo wall-clock time."""
    return local_to_utc(dt.datetime(*args), ZONE)  # noqa: DTZ001 - local wall clock


@pytest.fixture
def instagram(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Instagram", handle="@bryggen"
    )


@pytest.fixture
def facebook(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="facebook", label="Facebook", handle="Bryggen Sykkel"
    )


@pytest.fixture
def campaign(workspace):
    return Campaign.objects.create(workspace=workspace, name="Vårslipp", utm_campaign="vaar")


@pytest.fixture
def pillar(workspace):
    return ContentPillar.objects.create(workspace=workspace, name="Sykkelglede", share=40)


@pytest.fixture
def plan(workspace):
    """Instagram three times a week (Mon, Wed, Fri 11:00), Facebook once (Tue 09:00)."""
    StrategyPlan.objects.update_or_create(
        workspace=workspace,
        defaults={"mix_promotional": 40, "mix_curated": 30, "mix_engagement": 30},
    )
    ChannelFactory(
        workspace=workspace,
        network=Network.INSTAGRAM,
        name="@bryggen",
        posts_per_week=Decimal(3),
        days=[0, 2, 4],
        times=["11:00"],
    )
    ChannelFactory(
        workspace=workspace,
        network=Network.FACEBOOK,
        name="Bryggen Sykkel",
        posts_per_week=Decimal(1),
        days=[1],
        times=["09:00"],
    )


def make_post(
    workspace,
    author,
    channels,
    at: dt.datetime,
    *,
    text: str = "Hello",
    state: str = ApprovalState.DRAFT,
    schedule: bool = False,
    **tags,
) -> Post:
    post = post_create(workspace=workspace, author=author, text=text, approval_state=state)
    if tags:
        Post.objects.filter(pk=post.pk).update(**tags)
        post.refresh_from_db()
    for channel in channels:
        if schedule:
            delivery_schedule(post=post, channel=channel, at=at, actor=author)
        else:
            delivery_plan(post=post, channel=channel, at=at, actor=author)
    return post
