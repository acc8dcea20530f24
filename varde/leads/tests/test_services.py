"""Creating, moving, noting, linking and merging leads: every change on the timeline and in the
audit log; conversions credited to the campaign and post that started them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.leads import selectors, services
from varde.leads.choices import EventKind, RefKind, Stage
from varde.leads.models import LeadEvent
from varde.leads.tests.conftest import NOW, campaign_in, inbox_reply, mention_in
from varde.notifications.models import Notification
from varde.strategy.models import Metric
from varde.strategy.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def _lead(workspace, actor, handle="kari", network="bluesky", **kwargs):
    return services.lead_create(
        workspace=workspace, actor=actor, handle=handle, network=network, **kwargs
    )


def test_a_lead_from_an_inbox_reply_keeps_who_what_and_the_campaign(workspace, owner):
    campaign = campaign_in(workspace)
    item = inbox_reply(workspace, owner, campaign=campaign)
    origin = services.origin_from_inbox_item(workspace=workspace, item_id=item.pk)
    assert origin is not None
    assert origin.ref_kind == RefKind.INBOX_ITEM
    assert origin.network == "bluesky"
    assert origin.campaign_id == campaign.pk
    lead = _lead(
        workspace, owner, handle="@Kari.bsky.social", origin=origin, value=Decimal("12500.50")
    )
    assert lead.handle == "Kari.bsky.social"
    assert lead.handle_key == "kari.bsky.social"
    assert lead.campaign_id == campaign.pk
    assert lead.post_id == item.delivery.post_id
    assert lead.stage == Stage.PROSPECT
    source = lead.sources.get()
    assert (source.ref_kind, source.ref_id, source.url) == (RefKind.INBOX_ITEM, item.pk, item.url)
    assert "10 personer" in source.text
    assert [e.kind for e in selectors.timeline(lead=lead)] == [EventKind.CREATED]
    assert AuditEvent.objects.filter(action="lead.created", target_id=str(lead.pk)).exists()


def test_a_lead_from_a_mention(workspace, owner):
    mention = mention_in(workspace)
    origin = services.origin_from_mention(workspace=workspace, mention_id=mention.pk)
    assert origin is not None
    lead = _lead(workspace, owner, handle=origin.handle, network=origin.network, origin=origin)
    assert lead.network == "mastodon"
    assert lead.sources.get().ref_kind == RefKind.MENTION


def test_items_of_another_workspace_are_not_found(workspace, other_workspace, owner):
    stranger = member(other_workspace, Role.OWNER)
    item = inbox_reply(other_workspace, stranger)
    mention = mention_in(other_workspace)
    assert services.origin_from_inbox_item(workspace=workspace, item_id=item.pk) is None
    assert services.origin_from_mention(workspace=workspace, mention_id=mention.pk) is None


def test_stage_moves_are_on_the_timeline_and_lost_needs_a_reason(workspace, owner):
    lead = _lead(workspace, owner)
    assert services.lead_move(lead=lead, stage=Stage.LEAD, actor=owner)
    assert lead.lead_at is not None
    assert not services.lead_move(lead=lead, stage=Stage.LEAD, actor=owner)
    with pytest.raises(ValidationError):
        services.lead_move(lead=lead, stage=Stage.LOST, actor=owner)
    services.lead_move(lead=lead, stage=Stage.LOST, actor=owner, lost_reason="Valgte en annen")
    lead.refresh_from_db()
    assert (lead.stage, lead.lost_reason) == (Stage.LOST, "Valgte en annen")
    services.lead_move(lead=lead, stage=Stage.CUSTOMER, actor=owner)
    lead.refresh_from_db()
    assert lead.customer_at is not None
    assert lead.lost_reason == ""
    stages = [
        (e.detail["from"], e.detail["to"])
        for e in LeadEvent.objects.filter(lead=lead, kind=EventKind.STAGE).order_by("id")
    ]
    assert stages == [("prospect", "lead"), ("lead", "lost"), ("lost", "customer")]
    assert AuditEvent.objects.filter(action="lead.stage_changed").count() == 3


def test_a_customer_made_in_one_step_was_a_lead_too(workspace, owner):
    lead = _lead(workspace, owner, stage=Stage.CUSTOMER)
    assert lead.lead_at == lead.customer_at is not None


def test_notes_edits_and_owner_changes(workspace, owner):
    seller = member(workspace, Role.EDITOR)
    lead = _lead(workspace, owner)
    services.lead_note_add(lead=lead, text="Ringte, vil ha tilbud", actor=owner)
    with pytest.raises(ValidationError):
        services.lead_note_add(lead=lead, text="  ", actor=owner)
    changed = services.lead_update(
        lead=lead,
        actor=owner,
        name="Kari",
        owner=seller,
        value=Decimal(5000),
        next_step="Send tilbud",
        next_step_on=dt.date(2025, 3, 10),
        campaign_id=None,
    )
    assert set(changed) == {"name", "value", "next_step", "next_step_on", "owner"}
    kinds = {e.kind for e in selectors.timeline(lead=lead)}
    assert {EventKind.NOTE, EventKind.EDITED, EventKind.OWNER} <= kinds
    assert Notification.objects.filter(user=seller, kind="leads.assigned").exists()


def test_the_owner_and_campaign_must_belong_to_the_workspace(workspace, other_workspace, owner):
    stranger = member(other_workspace, Role.OWNER)
    with pytest.raises(ValidationError):
        _lead(workspace, owner, owner=stranger)
    with pytest.raises(ValidationError):
        _lead(workspace, owner, campaign_id=campaign_in(other_workspace).pk)


def test_duplicates_are_found_by_handle_per_network(workspace, other_workspace, owner):
    first = _lead(workspace, owner, handle="@Kari")
    _lead(workspace, owner, handle="kari", network="mastodon")
    _lead(other_workspace, None, handle="kari")
    assert services.duplicates_of(workspace=workspace, network="bluesky", handle="KARI ") == [first]


def test_merge_keeps_both_timelines_and_the_furthest_stage(workspace, owner):
    campaign = campaign_in(workspace)
    keep = _lead(
        workspace,
        owner,
        origin=services.origin_from_mention(
            workspace=workspace, mention_id=mention_in(workspace, handle="kari").pk
        ),
    )
    item = inbox_reply(workspace, owner, campaign=campaign)
    duplicate = _lead(
        workspace,
        owner,
        origin=services.origin_from_inbox_item(workspace=workspace, item_id=item.pk),
        value=Decimal(900),
    )
    services.lead_note_add(lead=duplicate, text="Fra duplikatet", actor=owner)
    services.lead_move(lead=duplicate, stage=Stage.CUSTOMER, actor=owner)
    services.lead_note_add(lead=keep, text="Fra originalen", actor=owner)

    services.lead_merge(keep=keep, duplicate=duplicate, actor=owner)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk
    assert keep.stage == Stage.CUSTOMER
    assert keep.value == Decimal(900)
    assert keep.campaign_id == campaign.pk
    assert keep.sources.count() == 2
    notes = {e.text for e in LeadEvent.objects.filter(lead=keep, kind=EventKind.NOTE)}
    assert notes == {"Fra duplikatet", "Fra originalen"}
    assert LeadEvent.objects.filter(lead=keep, kind=EventKind.CREATED).count() == 2
    assert LeadEvent.objects.filter(lead=keep, kind=EventKind.MERGED).exists()
    assert list(selectors.leads_in(workspace=workspace)) == [keep]
    with pytest.raises(ValidationError):
        services.lead_merge(keep=keep, duplicate=duplicate, actor=owner)


def test_merge_refuses_another_workspace(workspace, other_workspace, owner):
    with pytest.raises(ValidationError):
        services.lead_merge(
            keep=_lead(workspace, owner), duplicate=_lead(other_workspace, None), actor=owner
        )


def test_linking_an_interaction_adds_it_to_the_timeline(workspace, owner):
    lead = _lead(workspace, owner)
    item = inbox_reply(workspace, owner)
    origin = services.origin_from_inbox_item(workspace=workspace, item_id=item.pk)
    assert origin is not None
    services.lead_link(lead=lead, origin=origin, actor=owner)
    lead.refresh_from_db()
    assert lead.post_id == item.delivery.post_id
    assert selectors.linked_leads(
        workspace=workspace, ref_kind=RefKind.INBOX_ITEM, ref_ids=[item.pk]
    ) == {item.pk: lead.pk}


def test_conversions_per_campaign_period_and_goal(workspace, owner):
    spring = campaign_in(workspace, "Vår")
    with time_machine.travel(NOW, tick=False):
        a = _lead(workspace, owner, handle="a", campaign_id=spring.pk, value=Decimal(100))
        b = _lead(workspace, owner, handle="b", campaign_id=spring.pk)
        _lead(workspace, owner, handle="c")
        services.lead_move(lead=a, stage=Stage.CUSTOMER, actor=owner)
        services.lead_move(lead=b, stage=Stage.LEAD, actor=owner)
    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        c2 = _lead(workspace, owner, handle="d", network="mastodon")
        services.lead_move(lead=c2, stage=Stage.LEAD, actor=owner)

    rows = selectors.conversions_by_campaign(
        workspace=workspace, since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 31)
    )
    by_name = {row.campaign_name: row for row in rows}
    assert (by_name["Vår"].prospects, by_name["Vår"].leads, by_name["Vår"].customers) == (2, 2, 1)
    assert by_name["Vår"].customer_value == Decimal(100)
    assert (by_name[""].prospects, by_name[""].leads) == (1, 0)

    months = selectors.conversions_by_period(
        workspace=workspace, since=dt.date(2025, 1, 1), until=dt.date(2025, 12, 31)
    )
    assert [(m.start, m.leads, m.customers) for m in months] == [
        (dt.date(2025, 3, 1), 2, 1),
        (dt.date(2025, 4, 1), 1, 0),
    ]

    GoalFactory(
        workspace=workspace,
        metric=Metric.LEADS,
        target=Decimal(10),
        deadline=dt.date(2025, 12, 31),
        channel=None,
    )
    GoalFactory(
        workspace=workspace,
        metric=Metric.CUSTOMERS,
        target=Decimal(4),
        deadline=dt.date(2025, 12, 31),
        channel=None,
    )
    GoalFactory(workspace=workspace, metric=Metric.FOLLOWERS)
    progress = selectors.lead_goal_progress(workspace=workspace, today=dt.date(2025, 6, 1))
    assert sorted((p.metric, p.actual, p.share) for p in progress) == [
        ("customers", 1, 0.25),
        ("leads", 3, 0.3),
    ]


def test_the_board_keeps_its_query_count_with_many_leads(
    workspace, owner, django_assert_max_num_queries
):
    for n in range(30):
        _lead(workspace, owner, handle=f"p{n}", owner=owner)
    with django_assert_max_num_queries(2):
        columns = selectors.board(workspace=workspace)
        assert sum(len(c.leads) for c in columns) == 30
        assert [lead.owner.email for lead in columns[0].leads][:1] == [owner.email]


def test_the_board_caps_each_column(workspace, owner, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_COLUMN_SIZE", 3)
    for n in range(5):
        _lead(workspace, owner, handle=f"p{n}")
    prospects = selectors.board(workspace=workspace)[0]
    assert (len(prospects.leads), prospects.total) == (3, 5)
