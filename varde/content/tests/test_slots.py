"""The next free slot from the publishing plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from varde.content.slots import next_free_slot, plan_for_channel
from varde.content.tests.conftest import make_channel
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import PlanChannel
from varde.strategy.selectors import publishing_plan_for

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def plan(
    workspace,
    *,
    network="facebook",
    days=(1, 3),
    times=("09:00", "15:00"),
    per_week=None,
    name="Acme",
):
    PlanChannel.objects.create(
        workspace=workspace,
        network=network,
        name=name,
        days=list(days),
        times=list(times),
        posts_per_week=Decimal(per_week) if per_week else None,
    )
    return publishing_plan_for(workspace, network=network)[-1]


# Monday 2 June 2025, 10:00 UTC (12:00 in Oslo, summer time).
MONDAY_NOON = dt.datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


def test_next_preferred_day_and_time(workspace):
    slot = next_free_slot(workspace=workspace, plan=plan(workspace), taken=[], now=MONDAY_NOON)
    # Tuesday 09:00 in Oslo is 07:00 UTC in summer.
    assert slot.at == dt.datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
    assert slot.local.hour == 9


def test_a_taken_slot_is_skipped(workspace):
    tuesday_nine = dt.datetime(2025, 6, 3, 7, 10, tzinfo=UTC)  # 09:10 local: near 09:00
    slot = next_free_slot(
        workspace=workspace, plan=plan(workspace), taken=[tuesday_nine], now=MONDAY_NOON
    )
    assert slot.local.strftime("%a %H:%M") == "Tue 15:00"


def test_a_full_week_moves_to_the_next_week(workspace):
    weekly = plan(workspace, per_week="1")
    taken = [dt.datetime(2025, 6, 2, 6, 0, tzinfo=UTC)]  # Monday this week: the week has its post
    slot = next_free_slot(workspace=workspace, plan=weekly, taken=taken, now=MONDAY_NOON)
    assert slot.local.date() == dt.date(2025, 6, 10)  # Tuesday next week


def test_other_channels_must_be_free_too(workspace):
    other_busy = [dt.datetime(2025, 6, 3, 7, 0, tzinfo=UTC)]
    slot = next_free_slot(
        workspace=workspace, plan=plan(workspace), taken=[], now=MONDAY_NOON, also_free=[other_busy]
    )
    assert slot.local.strftime("%a %H:%M") == "Tue 15:00"


def test_wall_clock_time_is_kept_across_the_autumn_change(workspace):
    # Sunday 26 October 2025 the clocks go back; Tuesday 09:00 is then 08:00 UTC.
    now = dt.datetime(2025, 10, 25, 12, 0, tzinfo=UTC)
    slot = next_free_slot(workspace=workspace, plan=plan(workspace), taken=[], now=now)
    assert slot.at == dt.datetime(2025, 10, 28, 8, 0, tzinfo=UTC)


def test_no_times_in_the_plan_means_no_slot(workspace):
    slot = next_free_slot(
        workspace=workspace, plan=plan(workspace, times=()), taken=[], now=MONDAY_NOON
    )
    assert slot is None


def test_the_plan_entry_for_a_connected_account(workspace):
    plan(workspace, network="x", name="@other")
    plan(workspace, network="x", name="@acme")
    plan(workspace, network="blog", name="Our blog")
    x = make_channel(workspace, "x", "Acme on X", handle="@acme")
    blog = make_channel(workspace, "wordpress", "Blog")
    assert plan_for_channel(x).name == "@acme"
    assert plan_for_channel(blog).network == "blog"
    assert plan_for_channel(make_channel(workspace, "sandbox")) is None
    stand_in = sandbox_channel_create(workspace=workspace, label="Training", stands_in_for="blog")
    assert plan_for_channel(stand_in).network == "blog"
