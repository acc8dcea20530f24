from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from varde.accounts import selectors as account_selectors
from varde.demo.plan import demo_plan_seed
from varde.strategy import models as m
from varde.strategy import selectors, services
from varde.strategy.tests.factories import ChannelFactory, PersonFactory


def test_plan_update_creates_the_plan_and_records_what_changed(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Help people"})
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Help more people"})

    plan = selectors.plan_for(workspace)
    assert plan is not None
    assert plan.mission == "Help more people"
    events = list(selectors.plan_history(workspace))
    assert [e.action for e in events] == ["strategy.plan.updated", "strategy.plan.updated"]
    assert events[0].detail["changes"]["mission"] == ["Help people", "Help more people"]
    assert events[0].actor == owner


def test_plan_update_without_a_change_records_nothing(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Same"})
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Same"})
    assert selectors.plan_history(workspace).count() == 1


def test_plan_update_refuses_unknown_fields(workspace, owner):
    with pytest.raises(ValueError, match="Not plan fields"):
        services.plan_update(workspace=workspace, actor=owner, fields={"workspace": None})


def test_plan_update_validates_percentages(workspace, owner):
    with pytest.raises(ValidationError):
        services.plan_update(workspace=workspace, actor=owner, fields={"mix_curated": 120})


def test_item_create_update_delete_keep_a_history(workspace, owner):
    goal = services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="goal",
        fields={"title": "More visits", "metric": m.Metric.WEB_VISITS, "target": Decimal(900)},
    )
    services.plan_item_update(item=goal, actor=owner, kind="goal", fields={"target": Decimal(1000)})
    services.plan_item_delete(item=goal, actor=owner, kind="goal")

    actions = [e.action for e in selectors.plan_history(workspace)]
    assert actions == ["strategy.goal.deleted", "strategy.goal.updated", "strategy.goal.created"]
    updated = selectors.plan_history(workspace).get(action="strategy.goal.updated")
    assert updated.detail["changes"] == {"target": ["900", "1000"]}
    assert not m.SocialGoal.objects.filter(workspace=workspace).exists()


def test_many_to_many_changes_are_recorded(workspace, owner):
    channel = ChannelFactory(workspace=workspace, name="@shop")
    person = services.plan_item_create(
        workspace=workspace, actor=owner, kind="person", fields={"name": "Kari"}
    )
    services.plan_item_update(
        item=person, actor=owner, kind="person", fields={"publishes_to": [channel]}
    )
    event = selectors.plan_history(workspace).get(action="strategy.person.updated")
    assert event.detail["changes"]["publishes_to"] == [[], ["Instagram: @shop"]]


def test_references_to_another_workspace_are_refused(workspace, other_workspace, owner):
    stranger = PersonFactory(workspace=other_workspace)
    with pytest.raises(ValidationError):
        services.plan_item_create(
            workspace=workspace,
            actor=owner,
            kind="goal",
            fields={"title": "Sneaky", "owner": stranger},
        )
    with pytest.raises(ValidationError):
        services.plan_update(workspace=workspace, actor=owner, fields={"review_owner": stranger})


def test_a_person_can_only_be_linked_to_a_member(workspace, other_workspace, owner):
    from varde.accounts.roles import Role
    from varde.accounts.tests.factories import member

    outsider = member(other_workspace, Role.OWNER)
    with pytest.raises(ValidationError):
        services.plan_item_create(
            workspace=workspace, actor=owner, kind="person", fields={"name": "X", "user": outsider}
        )
    person = services.plan_item_create(
        workspace=workspace, actor=owner, kind="person", fields={"name": "Me", "user": owner}
    )
    assert person.user == owner


def test_versions_are_numbered_and_only_one_is_adopted(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "First"})
    first = services.plan_version_save(workspace=workspace, actor=owner, note="Draft")
    second = services.plan_version_save(workspace=workspace, actor=owner)
    assert (first.number, second.number) == (1, 2)
    assert "First" in first.markdown

    services.plan_version_adopt(version=first, actor=owner)
    services.plan_version_adopt(version=second, actor=owner)
    first.refresh_from_db()
    assert first.adopted_at is None
    assert selectors.adopted_version(workspace) == second


def test_changes_since_adopted_lists_later_changes_only(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Before"})
    assert selectors.changes_since_adopted(workspace) is None
    version = services.plan_version_save(workspace=workspace, actor=owner)
    services.plan_version_adopt(version=version, actor=owner)
    assert list(selectors.changes_since_adopted(workspace)) == []

    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "After"})
    changes = list(selectors.changes_since_adopted(workspace))
    assert [c.action for c in changes] == ["strategy.plan.updated"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_template_fills_an_empty_plan_in_the_chosen_language(workspace, owner, language):
    services.strategy_apply_template(
        workspace=workspace, actor=owner, template="small_business", language=language
    )
    plan = selectors.plan_for(workspace)
    assert plan is not None
    expected = "Vennlig" if language == "nb" else "Friendly"
    assert plan.tone_of_voice.startswith(expected)
    assert len(selectors.publishing_plan_for(workspace)) == 2
    assert selectors.plan_history(workspace).filter(action="strategy.template.applied").exists()


def test_template_never_overwrites_and_is_idempotent(workspace, owner):
    services.plan_update(workspace=workspace, actor=owner, fields={"mission": "Our own words"})
    ChannelFactory(workspace=workspace, name="@ours")
    for _ in range(2):
        services.strategy_apply_template(
            workspace=workspace, actor=owner, template="small_business", language="en"
        )
    plan = selectors.plan_for(workspace)
    assert plan is not None
    assert plan.mission == "Our own words"
    assert [c.name for c in selectors.publishing_plan_for(workspace)] == ["@ours"]
    assert m.SocialGoal.objects.filter(workspace=workspace).count() == 2


def test_unknown_template_is_refused(workspace, owner):
    with pytest.raises(ValidationError):
        services.strategy_apply_template(
            workspace=workspace, actor=owner, template="nope", language="nb"
        )


def test_demo_plan_is_complete_and_has_an_adopted_version(workspace, owner):
    from varde.strategy.health import plan_health

    demo_plan_seed(workspace=workspace, actor=owner, users={"ingrid": owner})
    assert plan_health(workspace) == []
    adopted = selectors.adopted_version(workspace)
    assert adopted is not None
    changes = list(selectors.changes_since_adopted(workspace))
    assert [c.action for c in changes] == ["strategy.channel-plan.updated"]
    ingrid = m.PlanPerson.objects.get(workspace=workspace, name="Ingrid Hauge")
    assert ingrid.user == owner
    # Seeding again replaces the plan instead of adding a second copy.
    demo_plan_seed(workspace=workspace, actor=owner)
    assert m.PlanPerson.objects.filter(workspace=workspace, name="Ingrid Hauge").count() == 1
    assert account_selectors.audit_events(workspace=workspace).exists()
