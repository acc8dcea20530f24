import datetime as dt
from decimal import Decimal

from django.utils import translation

from varde.strategy import services
from varde.strategy.health import plan_health, planned_hours_per_week
from varde.strategy.tests.factories import AudienceFactory, ChannelFactory, GoalFactory


def codes(workspace):
    return {f.code for f in plan_health(workspace)}


def test_an_empty_plan_lists_what_is_missing(workspace):
    found = codes(workspace)
    assert {
        "no_channels",
        "no_mission",
        "no_goals",
        "no_audiences",
        "no_people",
        "no_policy",
        "no_playbook",
        "no_review_cadence",
    } <= found
    assert "mix_not_100" not in found


def test_goal_without_metric_target_deadline_or_owner(workspace, owner):
    services.plan_item_create(
        workspace=workspace, actor=owner, kind="goal", fields={"title": "Vague"}
    )
    with translation.override("en"):  # the default language is bokmål
        [finding] = [f for f in plan_health(workspace) if f.code == "goal_incomplete"]
    assert "Vague" in finding.message
    assert finding.phase == 2
    assert finding.section == "social-goals"
    for word in ("metric", "target", "deadline", "responsible"):
        assert word in finding.message


def test_complete_goal_is_not_flagged(workspace):
    GoalFactory(workspace=workspace)
    assert "goal_incomplete" not in codes(workspace)


def test_overdue_goal(workspace):
    GoalFactory(workspace=workspace, deadline=dt.date(2020, 1, 1))
    assert "goal_overdue" in codes(workspace)


def test_channel_without_owner_or_frequency(workspace):
    ChannelFactory(workspace=workspace, producer=None, posts_per_week=None)
    found = codes(workspace)
    assert {"channel_no_owner", "channel_no_frequency"} <= found


def test_audience_without_key_message(workspace, owner):
    audience = AudienceFactory(workspace=workspace)
    assert "audience_no_message" in codes(workspace)
    services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="message",
        fields={"audience": audience, "text": "We care"},
    )
    assert "audience_no_message" not in codes(workspace)


def test_mix_must_add_up_to_100(workspace, owner):
    services.plan_update(
        workspace=workspace,
        actor=owner,
        fields={"mix_promotional": 50, "mix_curated": 30, "mix_engagement": 30},
    )
    assert "mix_not_100" in codes(workspace)


def test_planned_hours_above_resources(workspace, owner):
    ChannelFactory(workspace=workspace, posts_per_week=Decimal(10))  # 10 x 30 min = 5 h
    services.plan_update(
        workspace=workspace,
        actor=owner,
        fields={"hours_per_week": Decimal(4), "community_hours_per_week": Decimal(1)},
    )
    assert planned_hours_per_week(workspace) == Decimal("6.0")
    assert "over_resources" in codes(workspace)
    services.plan_update(workspace=workspace, actor=owner, fields={"hours_per_week": Decimal(6)})
    assert "over_resources" not in codes(workspace)


def test_contradictions(workspace, owner):
    for use in ("use", "avoid"):
        services.plan_item_create(
            workspace=workspace, actor=owner, kind="hashtag", fields={"tag": "Sale", "use": use}
        )
    services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="term",
        fields={"term": "cheapest", "severity": "block"},
    )
    services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="message",
        fields={"text": "The cheapest bikes in town"},
    )
    found = codes(workspace)
    assert {"hashtag_both", "message_uses_banned_term"} <= found


def test_review_overdue(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"review_cadence": "monthly"})
    assert "no_review_yet" in codes(workspace)
    services.plan_item_create(
        workspace=workspace, actor=owner, kind="review", fields={"held_on": dt.date(2020, 1, 1)}
    )
    assert "review_overdue" in codes(workspace)


def test_goal_whose_target_is_its_starting_point(workspace):
    GoalFactory(workspace=workspace, baseline=Decimal(100), target=Decimal(100))
    assert "goal_target_is_baseline" in codes(workspace)


def test_business_goals_channel_approver_and_audience_channels(workspace, owner):
    channel = ChannelFactory(workspace=workspace, approver=None)
    audience = AudienceFactory(workspace=workspace)
    audience.channels.clear()
    found = codes(workspace)
    assert {"no_business_goals", "channel_no_approver", "audience_no_channel"} <= found
    services.plan_item_create(
        workspace=workspace, actor=owner, kind="business-goal", fields={"title": "Sell more"}
    )
    channel.approver = channel.producer
    channel.save()
    audience.channels.add(channel)
    found = codes(workspace)
    assert not {"no_business_goals", "channel_no_approver", "audience_no_channel"} & found


def test_people_without_responsibilities_and_review_without_a_lead(workspace, owner):
    ChannelFactory(workspace=workspace)  # brings a person
    services.plan_update(workspace=workspace, actor=owner, fields={"review_cadence": "monthly"})
    found = codes(workspace)
    assert {"no_responsibilities", "no_review_owner"} <= found
