"""Plan adherence: posts per week against the plan, the mix, and the first answer (item 4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from varde.analytics import adherence
from varde.channels.models import ConnectedAccount
from varde.content.choices import MixCategory
from varde.content.models import Post
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.strategy.frequency import HIGH, LOW, OK
from varde.strategy.models import StrategyPlan
from varde.strategy.tests.factories import ChannelFactory

OSLO = ZoneInfo("Europe/Oslo")
TODAY = dt.date(2026, 12, 9)  # a Wednesday; this week began Monday 7 December


def _published(workspace, channel, at: dt.datetime, kind: str = "") -> None:
    post = Post.objects.create(workspace=workspace, text="Hei", mix_category=kind)
    Delivery.objects.create(
        workspace=workspace,
        post=post,
        channel=channel,
        state=DeliveryState.PUBLISHED,
        published_at=at,
    )


def _week(weeks_back: int, day: int = 0) -> dt.datetime:
    monday = TODAY - dt.timedelta(days=TODAY.weekday(), weeks=weeks_back)
    return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(10), tzinfo=OSLO)


def _setup(workspace):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    StrategyPlan.objects.update_or_create(
        workspace=workspace,
        defaults={"mix_promotional": 20, "mix_curated": 30, "mix_engagement": 50},
    )
    ChannelFactory(workspace=workspace, network="instagram", name="@bryggen", posts_per_week=2)
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Bryggen", handle="bryggen"
    )


def test_each_week_is_judged_with_the_plans_rule(workspace):
    channel = _setup(workspace)
    for weeks_back, count in ((4, 2), (3, 0), (2, 2), (1, 7), (0, 1)):
        for n in range(count):
            _published(workspace, channel, _week(weeks_back, day=n % 5))
    result = adherence.plan_adherence(workspace=workspace, today=TODAY)
    [row] = result.channels
    weeks = {w.monday: w for w in row.weeks}
    monday = TODAY - dt.timedelta(days=2)
    assert weeks[monday - dt.timedelta(weeks=4)].verdict == OK
    assert weeks[monday - dt.timedelta(weeks=3)].verdict == LOW
    assert weeks[monday - dt.timedelta(weeks=1)].verdict == HIGH
    this_week = weeks[monday]
    assert (this_week.count, this_week.verdict, this_week.in_progress) == (1, None, True)
    assert row.accounts == ("Bryggen",)
    # Last week had too many, so the run of kept weeks is broken.
    assert row.kept_in_a_row == 0


def test_kept_weeks_in_a_row(workspace):
    channel = _setup(workspace)
    for weeks_back in (1, 2, 3):
        _published(workspace, channel, _week(weeks_back, day=0))
        _published(workspace, channel, _week(weeks_back, day=2))
    [row] = adherence.plan_adherence(workspace=workspace, today=TODAY).channels
    assert row.kept_in_a_row == 3


def test_the_mix_against_the_plan(workspace):
    channel = _setup(workspace)
    for kind in (MixCategory.ENGAGEMENT, MixCategory.ENGAGEMENT, MixCategory.PROMOTIONAL, ""):
        _published(workspace, channel, _week(1), kind=kind)
    result = adherence.plan_adherence(workspace=workspace, today=TODAY)
    mix = {share.label: share for share in result.mix}
    assert (mix["Engagement"].target, mix["Engagement"].actual) == (50, 67)
    assert (mix["Promotional"].target, mix["Promotional"].actual) == (20, 33)
    assert mix["Curated"].actual == 0
    assert result.untagged_posts == 1


def test_another_workspaces_posts_do_not_count(workspace):
    from varde.accounts.tests.factories import WorkspaceFactory

    channel = _setup(workspace)
    other = WorkspaceFactory()
    elsewhere = ConnectedAccount.objects.create(
        workspace=other, connector_key="instagram", label="Other"
    )
    _published(other, elsewhere, _week(1))
    _published(workspace, channel, _week(1))
    [row] = adherence.plan_adherence(workspace=workspace, today=TODAY).channels
    assert sum(w.count for w in row.weeks) == 1


def test_the_page(client, workspace, owner):
    channel = _setup(workspace)
    _published(workspace, channel, timezone.now() - dt.timedelta(days=8))
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/analytics/plan-kept/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "@bryggen" in html
    assert "Planned a week" in html
