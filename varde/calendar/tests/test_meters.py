"""Plan meters: content mix, frequency (too few and too many), gaps, and DST weeks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from varde.calendar import meters
from varde.calendar.meters import Flag, frequency_bounds, frequency_flag, plan_meters
from varde.calendar.plan import open_times, plan_with_accounts
from varde.calendar.tests.conftest import NOW, local, make_post
from varde.channels.models import ConnectedAccount
from varde.content.choices import MixCategory
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.strategy.models import Network
from varde.strategy.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 16)


def _shares(meter):
    return {share.category: (share.percent, share.flag) for share in meter.shares}


def test_mix_of_the_coming_weeks_against_the_target(workspace, editor, instagram, plan, frozen):
    kinds = [MixCategory.PROMOTIONAL] * 6 + [MixCategory.CURATED] * 2 + [MixCategory.ENGAGEMENT] * 2
    for n, kind in enumerate(kinds):
        make_post(workspace, editor, [instagram], local(2026, 3, 17 + n, 10, 0), mix_category=kind)
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 12, 0))  # no kind: not counted
    result = plan_meters(workspace=workspace, week=MONDAY, now=NOW)
    coming = result.mix_coming
    assert (coming.total, coming.untagged) == (11, 1)
    assert _shares(coming) == {
        "promotional": (60, Flag.HIGH),  # target 40
        "curated": (20, Flag.OK),  # target 30, within ten points
        "engagement": (20, Flag.OK),
    }
    assert result.mix_past.total == 0
    assert not result.mix_past.judged


def test_mix_counts_a_post_once_across_channels_and_skips_cancelled(  # noqa: PLR0917 - pytest fixtures
    workspace, editor, instagram, facebook, plan, frozen
):
    for n in range(5):
        make_post(
            workspace,
            editor,
            [instagram, facebook],
            local(2026, 3, 17 + n, 10, 0),
            mix_category=MixCategory.CURATED,
        )
    cancelled = make_post(
        workspace, editor, [instagram], local(2026, 3, 18, 9, 0), mix_category="promotional"
    )
    Delivery.objects.filter(post=cancelled).update(state=DeliveryState.CANCELLED)
    coming = plan_meters(workspace=workspace, week=MONDAY, now=NOW).mix_coming
    assert coming.total == 5
    assert _shares(coming)["curated"] == (100, Flag.HIGH)
    assert _shares(coming)["promotional"] == (0, Flag.LOW)


def test_mix_of_the_past_weeks(workspace, editor, instagram, plan):
    for n in range(5):
        make_post(
            workspace,
            editor,
            [instagram],
            local(2026, 3, 2 + n, 10, 0),
            mix_category=MixCategory.ENGAGEMENT,
        )
    past = plan_meters(workspace=workspace, week=MONDAY, now=NOW).mix_past
    assert (past.first_day, past.last_day) == (dt.date(2026, 2, 16), dt.date(2026, 3, 15))
    assert _shares(past)["engagement"] == (100, Flag.HIGH)


@pytest.mark.parametrize(
    ("planned", "bounds"),
    [("1", (1, 2)), ("2", (2, 3)), ("3", (3, 5)), ("7", (7, 11)), ("0.5", (0, 1))],
)
def test_frequency_bounds(planned, bounds):
    assert frequency_bounds(Decimal(planned)) == bounds


@pytest.mark.parametrize(
    ("count", "flag"),
    [(0, Flag.LOW), (2, Flag.LOW), (3, Flag.OK), (5, Flag.OK), (6, Flag.HIGH), (9, Flag.HIGH)],
)
def test_frequency_too_few_and_too_many_are_both_flagged(count, flag):
    assert frequency_flag(count, Decimal(3)) == flag


def test_frequency_without_a_number_in_the_plan_is_not_judged():
    assert frequency_flag(4, None) == Flag.NOT_ENOUGH_DATA


def test_frequency_per_connected_channel_in_one_week(  # noqa: PLR0917 - pytest fixtures
    workspace, editor, instagram, facebook, plan, frozen
):
    for n in range(6):  # Instagram: six in a week planned for three
        make_post(workspace, editor, [instagram], local(2026, 3, 16 + n, 12, 0))
    make_post(workspace, editor, [facebook], local(2026, 3, 24, 9, 0))  # next week
    failed = make_post(workspace, editor, [facebook], local(2026, 3, 17, 9, 0))
    Delivery.objects.filter(post=failed).update(state=DeliveryState.FAILED)
    rows = {
        row.channel_label: (row.count, row.flag)
        for row in plan_meters(workspace=workspace, week=MONDAY, now=NOW).frequency
    }
    assert rows == {"Instagram": (6, Flag.HIGH), "Facebook": (0, Flag.LOW)}


def test_a_plan_channel_without_a_connected_account_says_so(workspace, plan, frozen):
    rows = plan_meters(workspace=workspace, week=MONDAY, now=NOW).frequency
    assert {row.network: row.flag for row in rows} == {
        "instagram": Flag.NOT_CONNECTED,
        "facebook": Flag.NOT_CONNECTED,
    }


def test_gaps_in_the_coming_two_weeks(workspace, editor, instagram, facebook, plan, frozen):  # noqa: PLR0917 - pytest fixtures
    # Now is Monday 16 March 09:00; the plan: Instagram Mon/Wed/Fri 11:00, Facebook Tue 09:00.
    make_post(workspace, editor, [instagram], local(2026, 3, 18, 15, 0))  # Wednesday: covered
    make_post(workspace, editor, [facebook], local(2026, 3, 24, 9, 0))  # next Tuesday
    gaps = [(g.day.isoformat(), g.channel_label, g.local_at.time()) for g in
            plan_meters(workspace=workspace, week=MONDAY, now=NOW).gaps]  # fmt: skip
    assert gaps == [
        ("2026-03-16", "Instagram", dt.time(11, 0)),  # today, 11:00 still ahead
        ("2026-03-17", "Facebook", dt.time(9, 0)),
        ("2026-03-20", "Instagram", dt.time(11, 0)),
        ("2026-03-23", "Instagram", dt.time(11, 0)),
        ("2026-03-25", "Instagram", dt.time(11, 0)),
        ("2026-03-27", "Instagram", dt.time(11, 0)),
    ]


def test_today_is_not_a_gap_once_its_time_has_passed(workspace, instagram, plan):
    late = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)  # 13:00 in Oslo
    gaps = meters.gaps(
        workspace=workspace, planned=plan_with_accounts(workspace, [instagram]), now=late
    )
    assert dt.date(2026, 3, 16) not in {gap.day for gap in gaps}


def test_dst_week_in_spring_counts_by_local_days(workspace, editor, instagram, plan):
    # Summer time starts on Sunday 29 March 2026 at 02:00: that week is 167 hours long.
    week = dt.date(2026, 3, 23)
    make_post(workspace, editor, [instagram], local(2026, 3, 23, 0, 30))  # Monday, first minutes
    make_post(workspace, editor, [instagram], local(2026, 3, 29, 23, 30))  # Sunday, last minutes
    make_post(workspace, editor, [instagram], local(2026, 3, 30, 0, 30))  # next Monday
    make_post(workspace, editor, [instagram], local(2026, 3, 22, 23, 30))  # Sunday before
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    [row] = [r for r in plan_meters(workspace=workspace, week=week, now=now).frequency
             if r.channel_label == "Instagram"]  # fmt: skip
    assert row.count == 2


def test_dst_week_in_autumn_counts_by_local_days(workspace, editor, instagram, plan):
    # Winter time starts on Sunday 25 October 2026 at 03:00: that week is 169 hours long.
    week = dt.date(2026, 10, 19)
    make_post(workspace, editor, [instagram], local(2026, 10, 25, 23, 30))  # Sunday, late
    make_post(workspace, editor, [instagram], local(2026, 10, 19, 0, 15))  # Monday, early
    make_post(workspace, editor, [instagram], local(2026, 10, 26, 0, 15))  # next Monday
    now = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    result = plan_meters(workspace=workspace, week=week, now=now)
    [row] = [r for r in result.frequency if r.channel_label == "Instagram"]
    assert row.count == 2
    assert (result.week_first_day, result.week_last_day) == (week, dt.date(2026, 10, 25))


def test_gaps_across_a_dst_change_use_the_local_day(workspace, editor, instagram, plan):
    # A post at 23:30 on Friday 27 March (CET) is on Friday, not Saturday in UTC terms.
    now = dt.datetime(2026, 3, 26, 6, 0, tzinfo=dt.UTC)
    make_post(workspace, editor, [instagram], local(2026, 3, 27, 23, 30))
    make_post(workspace, editor, [instagram], local(2026, 3, 30, 0, 30))  # Monday after DST
    gaps = meters.gaps(
        workspace=workspace, planned=plan_with_accounts(workspace, [instagram]), now=now, days=7
    )
    assert [g.day for g in gaps] == [dt.date(2026, 4, 1)]  # only Wednesday is open


def test_the_plan_maps_to_the_account_with_its_name(workspace):
    named = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Shop", handle="@bryggen"
    )
    ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Other", handle="@other"
    )
    blog = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="wordpress", label="Verkstedbloggen"
    )
    ChannelFactory(workspace=workspace, network=Network.INSTAGRAM, name="@bryggen")
    ChannelFactory(workspace=workspace, network=Network.BLOG, name="Bloggen")
    planned = plan_with_accounts(workspace, ConnectedAccount.objects.all())
    assert {p.plan.network: p.accounts for p in planned} == {
        "instagram": (named,),
        "blog": (blog,),
    }


def test_open_times_each_post_fills_the_nearest_slot():
    eleven, three = dt.time(11), dt.time(15)
    assert open_times([eleven, three], [dt.time(11, 30)]) == [three]
    assert open_times([eleven, three], [dt.time(10), dt.time(10, 30)]) == []
    assert open_times([eleven], []) == [eleven]
