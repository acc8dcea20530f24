import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from varde.demo.plan import demo_plan_seed
from varde.strategy import models as m
from varde.strategy import services
from varde.strategy.health import RULES, plan_health, planned_hours_per_week
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


def _days_ago(days):
    return timezone.localdate() - dt.timedelta(days=days)


def _plan(workspace, **fields):
    m.StrategyPlan.objects.filter(workspace=workspace).update(**fields)


def _delete_all_but_one(model, workspace):
    first = model.objects.filter(workspace=workspace).order_by("pk").first()
    model.objects.filter(workspace=workspace).exclude(pk=first.pk).delete()


def _active_channel(workspace):
    return m.PlanChannel.objects.filter(workspace=workspace, posts_per_week__gt=0).first()


def _goal(workspace):
    return m.SocialGoal.objects.filter(workspace=workspace, status=m.GoalStatus.ACTIVE).first()


def _audience(workspace):
    return m.Audience.objects.filter(workspace=workspace).first()


def _update(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _pillar_total(workspace, total):
    pillars = list(m.ContentPillar.objects.filter(workspace=workspace).order_by("pk"))
    rest = sum(p.share or 0 for p in pillars[1:])
    _update(pillars[0], share=total - rest)


def _resources(workspace, spare):
    _plan(workspace, hours_per_week=planned_hours_per_week(workspace) + spare)


def _no_profile(workspace, **kept):
    rungs = ("creators", "conversationalists", "critics", "collectors", "joiners", "spectators")
    _update(_audience(workspace), **{**dict.fromkeys((*rungs, "inactives")), **kept})


def _nobody(workspace):
    m.PlanPerson.objects.filter(workspace=workspace).delete()
    m.Responsibility.objects.filter(workspace=workspace).delete()


def _no_reviews_and_no_cadence(workspace):
    m.Review.objects.filter(workspace=workspace).delete()
    _plan(workspace, review_cadence="")


def _inactive_channel(workspace, **fields):
    _update(_active_channel(workspace), exists=False, posts_per_week=None, **fields)


def _banned_message(workspace, severity):
    m.TermRule.objects.create(workspace=workspace, term="Wheelz", severity=severity)
    m.KeyMessage.objects.create(workspace=workspace, text="The best wheelz in town")


def _only_general_messages(workspace):
    m.KeyMessage.objects.filter(workspace=workspace).delete()
    m.KeyMessage.objects.create(workspace=workspace, text="For everyone")


def _last_review(workspace, days_ago):
    m.Review.objects.filter(workspace=workspace).delete()
    m.Review.objects.create(workspace=workspace, held_on=_days_ago(days_ago))


def _both_lists(workspace, tag):
    m.HashtagRule.objects.create(workspace=workspace, tag=tag, use="avoid")


# One row per finding code: starting from the demo plan (which has no findings), ``breaks``
# changes it so that the rule must fire, and ``near_miss`` changes it as little as possible the
# other way, so that the rule must stay quiet (None: the demo plan as it is).
RULE_CASES = {
    "no_channels": (
        lambda w: m.PlanChannel.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.PlanChannel, w),
    ),
    "no_resources": (
        lambda w: _plan(w, hours_per_week=None),
        lambda w: _plan(w, hours_per_week=Decimal(0)),
    ),
    "over_resources": (
        lambda w: _resources(w, Decimal("-0.1")),
        lambda w: _resources(w, Decimal(0)),
    ),
    "no_swot": (
        lambda w: _plan(w, strengths="", weaknesses="", opportunities="", threats=""),
        lambda w: _plan(w, strengths="", weaknesses="", opportunities=""),
    ),
    "no_mission": (lambda w: _plan(w, mission="  "), lambda w: _plan(w, mission="Ride")),
    "no_goals": (
        lambda w: m.SocialGoal.objects.filter(workspace=w).update(status=m.GoalStatus.DROPPED),
        lambda w: m.SocialGoal.objects.filter(workspace=w).exclude(pk=_goal(w).pk).delete(),
    ),
    "no_business_goals": (
        lambda w: m.BusinessGoal.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.BusinessGoal, w),
    ),
    "goal_incomplete": (
        lambda w: _update(_goal(w), metric=m.Metric.CUSTOM, custom_metric="  "),
        lambda w: _update(_goal(w), metric=m.Metric.CUSTOM, custom_metric="Saves"),
    ),
    "goal_target_is_baseline": (
        lambda w: _update(_goal(w), baseline=Decimal(5), target=Decimal(5)),
        lambda w: _update(_goal(w), baseline=Decimal(5), target=Decimal(6)),
    ),
    "goal_overdue": (
        lambda w: _update(_goal(w), deadline=_days_ago(1)),
        lambda w: _update(_goal(w), deadline=_days_ago(0)),
    ),
    "goal_unlinked": (
        lambda w: _update(_goal(w), business_goal=None),
        lambda w: _update(_goal(w), business_goal=None, status=m.GoalStatus.ACHIEVED),
    ),
    "no_audiences": (
        lambda w: m.Audience.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.Audience, w),
    ),
    "audience_no_message": (
        lambda w: m.KeyMessage.objects.filter(workspace=w).delete(),
        _only_general_messages,
    ),
    "audience_no_channel": (
        lambda w: _audience(w).channels.clear(),
        lambda w: _audience(w).channels.set([_active_channel(w)]),
    ),
    "audience_no_profile": (_no_profile, lambda w: _no_profile(w, inactives=0)),
    "mix_not_100": (
        lambda w: _plan(w, mix_promotional=50, mix_curated=30, mix_engagement=30),
        lambda w: _plan(w, mix_promotional=50, mix_curated=25, mix_engagement=25),
    ),
    "mix_too_promotional": (
        lambda w: _plan(w, mix_promotional=61, mix_curated=20, mix_engagement=19),
        lambda w: _plan(w, mix_promotional=60, mix_curated=20, mix_engagement=20),
    ),
    "no_pillars": (
        lambda w: m.ContentPillar.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.ContentPillar, w),
    ),
    "pillars_over_100": (lambda w: _pillar_total(w, 101), lambda w: _pillar_total(w, 100)),
    "channel_no_frequency": (
        lambda w: _update(_active_channel(w), exists=True, posts_per_week=None),
        _inactive_channel,
    ),
    "channel_no_days": (
        lambda w: _update(_active_channel(w), days=[]),
        lambda w: _update(_active_channel(w), days=[], exists=True, posts_per_week=None),
    ),
    "channel_no_owner": (
        lambda w: _update(_active_channel(w), producer=None),
        lambda w: _inactive_channel(w, producer=None),
    ),
    "channel_no_approver": (
        lambda w: _update(_active_channel(w), approver=None),
        lambda w: _update(_active_channel(w), approver=None, exists=True, posts_per_week=None),
    ),
    "channel_no_role": (
        lambda w: _update(_active_channel(w), role=""),
        lambda w: _inactive_channel(w, role=""),
    ),
    "channel_no_access": (
        lambda w: _active_channel(w).publishers.clear(),
        lambda w: _update(_active_channel(w), exists=True, posts_per_week=None),
    ),
    "hashtag_both": (
        lambda w: _both_lists(w, "#BRYGGENSYKKEL"),
        lambda w: _both_lists(w, "#bryggensykkel2"),
    ),
    "no_hashtag_check": (lambda w: _plan(w, require_hashtag_check=False), None),
    "no_tone": (lambda w: _plan(w, tone_of_voice=" "), lambda w: _plan(w, tone_of_voice="Warm")),
    "message_uses_banned_term": (
        lambda w: _banned_message(w, "block"),
        lambda w: _banned_message(w, "warn"),
    ),
    "no_people": (
        lambda w: m.PlanPerson.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.PlanPerson, w),
    ),
    "no_responsibilities": (
        lambda w: m.Responsibility.objects.filter(workspace=w).delete(),
        _nobody,
    ),
    "no_policy": (
        lambda w: _plan(w, social_media_policy=" "),
        lambda w: _plan(w, social_media_policy="Be kind"),
    ),
    "no_playbook": (
        lambda w: m.EscalationStep.objects.filter(workspace=w).delete(),
        lambda w: _delete_all_but_one(m.EscalationStep, w),
    ),
    "no_response_time": (
        lambda w: _plan(w, response_time_hours=None),
        lambda w: _plan(w, response_time_hours=Decimal(0)),
    ),
    "no_review_cadence": (lambda w: _plan(w, review_cadence=""), None),
    "no_review_owner": (
        lambda w: _plan(w, review_owner=None),
        lambda w: _plan(w, review_owner=None, review_cadence=""),
    ),
    "no_review_yet": (
        lambda w: m.Review.objects.filter(workspace=w).delete(),
        _no_reviews_and_no_cadence,
    ),
    "review_overdue": (lambda w: _last_review(w, 400), lambda w: _last_review(w, 0)),
}


@pytest.fixture
def demo(workspace, owner):
    demo_plan_seed(workspace=workspace, actor=owner, users={"ingrid": owner})
    assert plan_health(workspace) == []
    return workspace


@pytest.mark.parametrize("code", RULE_CASES)
def test_each_rule_fires_when_its_part_of_the_plan_breaks(demo, code):
    breaks, _near_miss = RULE_CASES[code]
    breaks(demo)
    found = [f for f in plan_health(demo) if f.code == code]
    assert found, code
    rule = RULES[code]
    assert {(f.level, f.phase, f.section) for f in found} == {
        (rule.level, rule.phase, rule.section)
    }
    assert all(f.message for f in found)


@pytest.mark.parametrize("code", RULE_CASES)
def test_each_rule_stays_quiet_just_short_of_breaking(demo, code):
    _breaks, near_miss = RULE_CASES[code]
    if near_miss is not None:
        near_miss(demo)
    assert code not in codes(demo)


def test_every_rule_in_the_table_has_a_test_row():
    assert set(RULES) == set(RULE_CASES)
