import datetime as dt
from decimal import Decimal

from varde.demo.plan import demo_plan_seed
from varde.strategy import models as m
from varde.strategy import selectors, services
from varde.strategy.tests.factories import ChannelFactory, GoalFactory, PersonFactory


def test_publishing_plan_for_returns_days_times_and_people(workspace, other_workspace):
    producer = PersonFactory(workspace=workspace, name="Ola")
    approver = PersonFactory(workspace=workspace, name="Kari")
    channel = ChannelFactory(
        workspace=workspace,
        days=[4, 0],
        times=["15:30", "09:00"],
        producer=producer,
        approver=approver,
        posts_per_week=Decimal(2),
    )
    approver.publishes_to.set([channel])
    ChannelFactory(workspace=other_workspace)

    plans = selectors.publishing_plan_for(workspace)
    assert len(plans) == 1
    plan = plans[0]
    assert plan.network == "instagram"
    assert plan.days == (0, 4)
    assert plan.times == (dt.time(9, 0), dt.time(15, 30))
    assert plan.producer is not None
    assert plan.producer.name == "Ola"
    assert plan.approver is not None
    assert plan.approver.name == "Kari"
    assert [p.name for p in plan.publishers] == ["Kari"]
    assert selectors.publishing_plan_for(workspace, network="facebook") == []


def test_goals_for_gives_active_goals_only(workspace, other_workspace):
    GoalFactory(workspace=workspace, title="Active")
    GoalFactory(workspace=workspace, title="Done", status=m.GoalStatus.ACHIEVED)
    GoalFactory(workspace=other_workspace, title="Elsewhere")
    goals = selectors.goals_for(workspace)
    assert [g.title for g in goals] == ["Active"]
    assert goals[0].metric == "followers"
    assert goals[0].target == Decimal(200)
    assert len(selectors.goals_for(workspace, active_only=False)) == 2


def test_content_mix_defaults_to_thirds(workspace):
    mix = selectors.content_mix_target(workspace)
    assert mix.total == 100
    assert (mix.promotional, mix.curated, mix.engagement) == (34, 33, 33)


def test_policy_selectors(workspace, owner):
    for fields in (
        {"tag": "#Bergen", "use": "use"},
        {"tag": "fyp", "use": "avoid", "note": "reach bait"},
    ):
        services.plan_item_create(workspace=workspace, actor=owner, kind="hashtag", fields=fields)
    services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="term",
        fields={"term": "billigst", "severity": "block"},
    )
    tags = selectors.hashtags_for(workspace)
    assert tags.use == ("bergen",)
    assert tags.avoid == {"fyp": "reach bait"}
    assert tags.require_context_check is True
    [term] = selectors.banned_terms_for(workspace)
    assert term.term == "billigst"
    assert term.blocks


def test_playbook_and_competitors(workspace, owner):
    demo_plan_seed(workspace=workspace, actor=owner, language="en")
    playbook = selectors.playbook_for(workspace)
    assert playbook.never_delete_criticism
    assert playbook.response_time_hours == Decimal(4)
    assert [s.order for s in playbook.steps] == [1, 2, 3, 4]
    competitors = selectors.competitors_for(workspace)
    assert ("instagram", "@sykkelkjelleren") in next(
        c.handles for c in competitors if c.name == "Sykkelkjelleren Bergen"
    )
    audiences = selectors.audiences_for(workspace)
    assert audiences[0].name == "Commuters in Bergen"
    assert len(audiences[0].key_messages) >= 2


def test_selectors_work_without_a_plan(workspace):
    assert selectors.plan_for(workspace) is None
    assert selectors.playbook_for(workspace).steps == ()
    assert selectors.hashtags_for(workspace).use == ()
    assert selectors.next_review_due(workspace) is None
