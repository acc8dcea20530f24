"""The best time as a hint beside the composer's "next free slot" (issue 14, item 5): shown
with the posts behind it, never a change of the slot the plan gave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.urls import reverse
from django.utils import translation

from varde.analytics import selectors
from varde.analytics.tests.test_best_time import OSLO, _history
from varde.content.tests.conftest import make_channel
from varde.strategy.models import PlanChannel

TODAY = dt.datetime(2026, 3, 30, 12, 0, tzinfo=OSLO)


def _planned(workspace):
    channel = make_channel(workspace, "x", "Acme on X", handle="@acme")
    PlanChannel.objects.create(
        workspace=workspace,
        network="x",
        name="@acme",
        days=[0, 1, 2, 3, 4, 5, 6],
        times=["17:00"],
        posts_per_week=Decimal(7),
    )
    return channel


def _next_slot(client, workspace, channel):
    return client.post(
        reverse("content:next_slot", kwargs={"workspace": workspace.slug}),
        {"text": "Hei", "channels": [channel.pk], "post_id": ""},
        HTTP_HX_REQUEST="true",
    ).content.decode()


def test_hint_names_the_best_slot_with_its_posts(workspace):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    channel = _planned(workspace)
    _history(channel, weeks=8)
    hint = selectors.best_time_hint(
        channel=channel, when=dt.datetime(2026, 3, 31, 10, 0, tzinfo=OSLO), today=TODAY.date()
    )
    assert hint is not None
    assert (hint.hours, hint.posts, hint.slot_matches) == ("09:00–12:00", 8, True)
    assert hint.score > 1
    other = selectors.best_time_hint(
        channel=channel, when=dt.datetime(2026, 3, 31, 17, 0, tzinfo=OSLO), today=TODAY.date()
    )
    assert other is not None
    assert not other.slot_matches


def test_composer_shows_the_hint_and_keeps_the_plans_slot(client, workspace, owner):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    channel = _planned(workspace)
    client.force_login(owner)
    with time_machine.travel(TODAY, tick=False):
        html = _next_slot(client, workspace, channel)
        assert "did best" not in html  # no history yet: no hint
        _history(channel, weeks=8)
        with translation.override("en"):
            html = _next_slot(client, workspace, channel)
        assert "T17:00" in html  # the plan's slot, unchanged
        assert "Posts on Tuesday 09:00–12:00 did best on this channel" in html
        assert "8 posts)" in html
        assert "A hint only" in html
        assert "data-best-time" in html
        owner.language = "nb"
        owner.save()
        html = _next_slot(client, workspace, channel)
        assert "gjorde det best på denne kanalen" in html
        assert "8 innlegg)" in html
