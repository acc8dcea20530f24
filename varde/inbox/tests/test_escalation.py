"""Next-response and resolution clocks, the "At risk" view, escalation when a clock runs out
or listening reports more negative mentions, round-robin assignment, presence, and the
question before a send that crosses a newer reply (issue 13, item 4)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.inbox import presence, selectors, services, sla
from varde.inbox.business_time import (
    BusinessHours,
    business_seconds,
    subtract_business_seconds,
)
from varde.inbox.choices import ClockKind, ConversationState, EscalationReason
from varde.inbox.models import BusinessHours as BusinessHoursRow
from varde.inbox.models import Escalation, ModerationRule, Reply, RoundRobinPointer
from varde.inbox.tests.conftest import arrive
from varde.listening import hooks as listening_hooks
from varde.notifications.models import Notification
from varde.strategy.models import EscalationStep, PlanPerson, StrategyPlan

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=OSLO)
HOURS = BusinessHours(frozenset(range(5)), dt.time(8), dt.time(16), OSLO)
_handles = itertools.count(1)


@pytest.fixture(autouse=True)
def _oslo(workspace):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    cache.clear()


def _targets(workspace, *, first="4", following=None, resolution=None) -> None:
    StrategyPlan.objects.update_or_create(
        workspace=workspace, defaults={"response_time_hours": Decimal(first) if first else None}
    )
    BusinessHoursRow.objects.update_or_create(
        workspace=workspace,
        defaults={
            "weekdays": [0, 1, 2, 3, 4],
            "opens": dt.time(8),
            "closes": dt.time(16),
            "next_response_hours": Decimal(following) if following else None,
            "resolution_hours": Decimal(resolution) if resolution else None,
        },
    )


def _page(client, workspace, query="view=all") -> str:
    return client.get(f"/w/{workspace.slug}/inbox/?{query}").content.decode()


# --- Business time backwards -------------------------------------------------------------------


def test_subtracting_business_time_skips_the_weekend():
    # Monday 09:00 less 2 business hours: Monday 08–09 is one, Friday 15–16 the other.
    start = subtract_business_seconds(MONDAY_9, 2 * 3600, HOURS)
    assert start == dt.datetime(2026, 12, 4, 15, 0, tzinfo=OSLO)


def test_subtracting_business_time_skips_easter():
    # Tuesday after Easter 2027, 09:00 less 2 h: Easter Monday, Good Friday and Maundy
    # Thursday are public holidays, so the other hour is on Wednesday 24 March.
    tuesday = dt.datetime(2027, 3, 30, 9, 0, tzinfo=OSLO)
    start = subtract_business_seconds(tuesday, 2 * 3600, HOURS)
    assert start == dt.datetime(2027, 3, 24, 15, 0, tzinfo=OSLO)
    open_on_holidays = BusinessHours(
        frozenset(range(5)), dt.time(8), dt.time(16), OSLO, skip_public_holidays=False
    )
    assert subtract_business_seconds(tuesday, 2 * 3600, open_on_holidays) == dt.datetime(
        2027, 3, 29, 15, 0, tzinfo=OSLO
    )


def test_subtracting_is_the_inverse_of_counting():
    rng = random.Random(13)
    base = dt.datetime(2026, 12, 1, tzinfo=OSLO)
    for _turn in range(200):
        end = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 45))
        seconds = rng.randrange(1, 60 * 60 * 40)
        start = subtract_business_seconds(end, seconds, HOURS)
        assert start is not None
        assert business_seconds(start, end, HOURS) == pytest.approx(seconds)
        # The latest such start: a minute later has less than that.
        assert business_seconds(start + dt.timedelta(minutes=1), end, HOURS) < seconds


def test_no_open_day_within_a_year_gives_no_moment():
    closed = BusinessHours(frozenset(), dt.time(8), dt.time(16), OSLO)
    assert subtract_business_seconds(MONDAY_9, 60, closed) is None


# --- The three clocks ------------------------------------------------------------------------


def test_next_response_has_its_own_target(client_as, workspace, owner, sandbox):
    _targets(workspace, first="4", following="1")
    item = arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=10), tick=False):
        services.reply_send(conversation=item.conversation, author=owner, text="Hei", mode="public")
    arrive(sandbox, text="Og så?", at=MONDAY_9 + dt.timedelta(hours=1))
    client = client_as(owner)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1, minutes=50), tick=False):
        page = _page(client, workspace)
        # 50 minutes of the next response's one hour: at risk, not the first response's 4 h.
        assert "At risk: 10 min left" in page
        assert "at_risk" in page


def test_without_its_own_target_the_next_response_uses_the_plans(workspace, owner, sandbox):
    _targets(workspace, first="2")
    targets = sla.targets_of(workspace)
    assert (targets.first_s, targets.next_s, targets.resolution_s) == (7200, 7200, None)


def test_the_resolution_clock_runs_while_open_and_restarts_on_reopening(
    client_as, workspace, owner, sandbox
):
    _targets(workspace, first=None, resolution="8")
    item = arrive(sandbox, at=MONDAY_9)
    conversation = item.conversation
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=5), tick=False):
        services.reply_send(conversation=conversation, author=owner, text="Hei", mode="public")
    client = client_as(owner)
    # Pending still counts: Monday 09–16 is 7 h, Tuesday 08:30 makes 7.5 h of 8.
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=23, minutes=30), tick=False):
        page = _page(client, workspace)
        assert "Resolution at risk: 30 min left" in page
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=1, hours=2), tick=False):
        assert "Resolution overdue by 2 h" in _page(client, workspace)
        services.conversation_set_state(
            conversation=conversation, state=ConversationState.RESOLVED, actor=owner
        )
        assert "Resolution" not in _page(client, workspace)
    # The person writes again on Wednesday: a new resolution clock from then.
    wednesday = MONDAY_9 + dt.timedelta(days=2)
    arrive(sandbox, text="Fortsatt feil", at=wednesday)
    with time_machine.travel(wednesday + dt.timedelta(hours=1), tick=False):
        assert "Resolve within 7 h" in _page(client, workspace)


def test_the_at_risk_view_holds_every_late_clock_and_nothing_on_time(
    client_as, workspace, owner, sandbox
):
    _targets(workspace, first="4", following="1", resolution="16")
    first_late = arrive(sandbox, handle="first.sim", text="Først", at=MONDAY_9)
    on_time = arrive(sandbox, handle="fresh.sim", text="Fersk", at=MONDAY_9 + dt.timedelta(hours=3))
    next_late = arrive(sandbox, handle="next.sim", text="Neste", at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=1), tick=False):
        services.reply_send(
            conversation=next_late.conversation, author=owner, text="Hei", mode="public"
        )
    arrive(sandbox, handle="next.sim", text="Igjen", at=MONDAY_9 + dt.timedelta(hours=2))
    # Answered, waiting for the person: only the resolution clock runs (from Monday 09:00).
    pending = arrive(sandbox, handle="pending.sim", text="Venter", at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=2), tick=False):
        services.reply_send(
            conversation=pending.conversation, author=owner, text="Hei", mode="public"
        )
    client = client_as(owner)
    # Tuesday 11:00: first 10 h of 4 (late), next 8 h of 1 (late), resolution 10 h of 16
    # (on time, under 12), the fresh one 7 h of 4 (late too): so wait for a quieter hour.
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=3, minutes=30), tick=False):
        # Monday 12:30: first 3.5 h of 4 (at risk), fresh 0.5 h (on time), next 1.5 h of 1
        # (overdue), pending: resolution 3.5 h of 16 (on time).
        page = _page(client, workspace, "view=at_risk")
        assert "Først" in page
        assert "Igjen" in page  # the list shows the newest item of "next.sim"
        assert "Fersk" not in page
        assert "Venter" not in page
        late = selectors.conversations_filtered(
            workspace=workspace,
            user=owner,
            filters=selectors.Filters(view="at_risk"),
            at_risk=selectors.at_risk_q(
                targets=sla.targets_of(workspace),
                now=MONDAY_9 + dt.timedelta(hours=3, minutes=30),
            ),
        )
        assert {c.author_handle for c in late} == {"first.sim", "next.sim"}
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=1, hours=4), tick=False):
        # Tuesday 13:00: the pending one's resolution is 12 h of 16: at risk now.
        assert "Venter" in _page(client, workspace, "view=at_risk")
    assert on_time.conversation_id != first_late.conversation_id


# --- Escalation ------------------------------------------------------------------------------


def _playbook_person(workspace, user):
    person = PlanPerson.objects.create(workspace=workspace, name="Kari", user=user)
    EscalationStep.objects.create(
        workspace=workspace, order=1, situation="Kritikk", action="Ring", person=person
    )


def test_an_overdue_clock_escalates_once_to_the_playbooks_people(workspace, owner, sandbox):
    crisis = member(workspace, Role.EDITOR, full_name="Kari Krise")
    _playbook_person(workspace, crisis)
    _targets(workspace, first="2")
    item = arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        assert services.escalations_run() == 0  # not overdue yet
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=3), tick=False):
        from varde.inbox.tasks import inbox_escalate

        assert inbox_escalate.call_local() == 1  # the periodic task, locked
        assert services.escalations_run() == 0  # once, not twice
    escalation = Escalation.objects.get()
    assert escalation.conversation_id == item.conversation_id
    assert escalation.reason == EscalationReason.FIRST
    assert escalation.notified == [crisis.pk]
    told = Notification.objects.filter(kind="inbox.escalated")
    assert [n.user_id for n in told] == [crisis.pk]
    assert AuditEvent.objects.filter(action="inbox.auto_escalated").count() == 1


def test_without_playbook_people_the_owners_and_admins_are_told(workspace, owner, sandbox):
    admin = member(workspace, Role.ADMIN)
    member(workspace, Role.EDITOR)
    _targets(workspace, first="1")
    arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=2), tick=False):
        services.escalations_run()
    told = set(
        Notification.objects.filter(kind="inbox.escalated").values_list("user_id", flat=True)
    )
    assert told == {owner.pk, admin.pk}


def test_a_new_overdue_wait_escalates_again_and_the_page_says_so(
    client_as, workspace, owner, sandbox
):
    _targets(workspace, first="1", following="1")
    item = arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=2), tick=False):
        services.escalations_run()
        services.reply_send(conversation=item.conversation, author=owner, text="Hei", mode="public")
    arrive(sandbox, text="Hallo?", at=MONDAY_9 + dt.timedelta(hours=3))
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=5), tick=False):
        assert services.escalations_run() == 1
        services.escalations_run()
        page = client_as(owner).get(f"/w/{workspace.slug}/inbox/c/{item.conversation_id}/")
    reasons = sorted(Escalation.objects.values_list("reason", flat=True))
    assert reasons == [EscalationReason.FIRST, EscalationReason.NEXT]
    assert "The next response is overdue" in page.content.decode()


def test_a_second_worker_cannot_escalate_the_same_clock_twice(workspace, owner, sandbox):
    from varde.inbox.services.escalation import _escalate

    _targets(workspace, first="1")
    item = arrive(sandbox, at=MONDAY_9)
    conversation = item.conversation
    args = {"reason": EscalationReason.FIRST, "since": MONDAY_9, "people": [owner]}
    assert _escalate(conversation, now=MONDAY_9, **args) is not None
    # The other worker did not see the first row yet: its insert fails and tells nobody.
    assert _escalate(conversation, now=MONDAY_9, **args) is None
    assert Notification.objects.filter(kind="inbox.escalated").count() == 1


def test_a_negative_listening_alert_escalates_open_negative_conversations_once(
    workspace, owner, sandbox
):
    crisis = member(workspace, Role.EDITOR)
    _playbook_person(workspace, crisis)
    angry = arrive(sandbox, handle="sint.sim", text="Elendig", sentiment="negative")
    arrive(sandbox, handle="glad.sim", text="Flott", sentiment="positive")
    done = arrive(sandbox, handle="ferdig.sim", text="Dårlig", sentiment="negative")
    services.conversation_set_state(
        conversation=done.conversation, state=ConversationState.RESOLVED, actor=owner
    )
    # Listening calls its hook; the inbox answers (listening never imports the inbox).
    assert listening_hooks.negative_alert_raised.call(workspace, 41) == [1]
    assert listening_hooks.negative_alert_raised.call(workspace, 42) == [0]
    escalation = Escalation.objects.get()
    assert escalation.conversation_id == angry.conversation_id
    assert escalation.reason == EscalationReason.NEGATIVE_SPIKE
    assert escalation.alert_id == 41
    assert Notification.objects.filter(kind="inbox.escalated", user=crisis).count() == 1


# --- Round-robin -----------------------------------------------------------------------------


def _round_robin_rule(workspace, people) -> ModerationRule:
    return ModerationRule.objects.create(
        workspace=workspace,
        name="Support in turn",
        enabled=True,
        conditions={"words": ["hjelp"]},
        actions=[{"kind": "assign", "user_ids": [p.pk for p in people]}],
        created_at=MONDAY_9,
    )


def _assignees(sandbox, count: int) -> list[int | None]:
    found = []
    for _turn in range(count):
        item = arrive(sandbox, handle=f"p{next(_handles)}.sim", text="Jeg trenger hjelp")
        services.moderation_apply_rules(items=[item])  # as the read-back does
        item.conversation.refresh_from_db()
        found.append(item.conversation.assignee_id)
    return found


def test_round_robin_takes_turns_and_passes_by_whoever_is_away(workspace, owner, sandbox):
    a, b, c = (member(workspace, Role.EDITOR) for _ in range(3))
    _round_robin_rule(workspace, [a, b, c])
    assert _assignees(sandbox, 4) == [a.pk, b.pk, c.pk, a.pk]
    services.availability_set(
        workspace=workspace,
        user=b,
        away_until=dt.datetime(2099, 1, 1, tzinfo=OSLO),
        now=None,
    )
    assert _assignees(sandbox, 3) == [c.pk, a.pk, c.pk]
    services.availability_set(workspace=workspace, user=b, away_until=None, now=None)
    assert _assignees(sandbox, 2) == [a.pk, b.pk]


def test_round_robin_is_fair_across_restarts(workspace, owner, sandbox):
    a, b = member(workspace, Role.EDITOR), member(workspace, Role.EDITOR)
    rule = _round_robin_rule(workspace, [a, b])
    assert _assignees(sandbox, 1) == [a.pk]
    # What a restart loses is the process; the turn is in the database.
    assert RoundRobinPointer.objects.get(rule=rule).last_user_id == a.pk
    assert (
        services.round_robin_next(
            rule=ModerationRule.objects.get(pk=rule.pk), user_ids=[a.pk, b.pk]
        )
        == b
    )


def test_round_robin_gives_nobody_when_all_are_away(workspace, owner, sandbox):
    a = member(workspace, Role.EDITOR)
    _round_robin_rule(workspace, [a])
    services.availability_set(
        workspace=workspace, user=a, away_until=dt.datetime(2099, 1, 1, tzinfo=OSLO), now=None
    )
    assert _assignees(sandbox, 1) == [None]


def test_the_availability_page(client_as, workspace, editor):
    client = client_as(editor)
    url = f"/w/{workspace.slug}/inbox/availability/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"away": "on"})
    assert "Say until when." in refused.content.decode()
    saved = client.post(url, {"away": "on", "away_until": "2099-01-01T08:00"})
    assert saved.status_code == 302
    assert selectors.availability_of(workspace=workspace)[editor.pk] is not None
    assert "away until" in client.get(url).content.decode()


def test_the_rule_form_saves_assignment_in_turn(client_as, workspace, owner):
    a, b = member(workspace, Role.EDITOR), member(workspace, Role.EDITOR)
    client = client_as(owner)
    response = client.post(
        f"/w/{workspace.slug}/inbox/rules/new/",
        {"name": "Tur", "priority": "10", "words": "hjelp", "assign_in_turn": [a.pk, b.pk]},
    )
    assert response.status_code == 302
    rule = ModerationRule.objects.get(name="Tur")
    assert rule.actions == [{"kind": "assign", "user_ids": sorted([a.pk, b.pk])}]


# --- Presence --------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_presence_shows_who_else_views_and_writes_escaped(workspace, owner, sandbox):
    kari = member(workspace, Role.EDITOR, full_name="<b>Kari</b>")
    item = arrive(sandbox)
    url = f"/w/{workspace.slug}/inbox/c/{item.conversation_id}/"
    answer = _client(kari).post(url + "presence/", {"state": "writing"}).json()
    assert answer == {"present": []}  # nobody else yet
    page = _client(owner).get(url).content.decode()
    assert "&lt;b&gt;Kari&lt;/b&gt; is writing" in page
    assert "<b>Kari</b>" not in page
    seen_by_kari = _client(kari).post(url + "presence/", {"state": "viewing"}).json()
    assert [p["state"] for p in seen_by_kari["present"]] == ["viewing"]  # the owner


def test_presence_expires_by_itself_and_on_leaving(workspace, owner, sandbox):
    kari = member(workspace, Role.EDITOR, full_name="Kari")
    item = arrive(sandbox)
    conversation_id = item.conversation_id
    with time_machine.travel(MONDAY_9, tick=False):
        presence.presence_ping(
            conversation_id=conversation_id, user_id=kari.pk, name="Kari", state="viewing"
        )
        assert [
            p.words
            for p in presence.presence_of(
                conversation_id=conversation_id,
                member_ids=[kari.pk, owner.pk],
                except_user_id=owner.pk,
            )
        ] == ["Kari is viewing"]
    with time_machine.travel(MONDAY_9 + dt.timedelta(seconds=presence.TTL + 1), tick=False):
        assert (
            presence.presence_of(
                conversation_id=conversation_id, member_ids=[kari.pk], except_user_id=owner.pk
            )
            == []
        )
    url = f"/w/{workspace.slug}/inbox/c/{conversation_id}/presence/"
    _client(kari).post(url, {"state": "viewing"})
    _client(kari).post(url, {"state": "left"})
    assert (
        presence.presence_of(
            conversation_id=conversation_id, member_ids=[kari.pk], except_user_id=owner.pk
        )
        == []
    )


def test_presence_is_translated():
    with translation.override("nb"):
        assert presence.Present(1, "Kari", "viewing").words == "Kari ser på samtalen"
        assert presence.Present(1, "Kari", "writing").words == "Kari skriver et svar"


def test_presence_is_for_members_of_the_workspace_only(workspace, other_workspace, sandbox):
    stranger = member(other_workspace, Role.OWNER)
    item = arrive(sandbox)
    response = _client(stranger).post(
        f"/w/{workspace.slug}/inbox/c/{item.conversation_id}/presence/", {"state": "viewing"}
    )
    assert response.status_code in (403, 404)


# --- A send that would cross a newer reply -----------------------------------------------------


def _form(item, **extra) -> dict[str, str]:
    return {"text": "Takk for at du skrev!", "mode": "public", **extra}


def test_a_newer_item_makes_the_send_ask_first(workspace, owner, sandbox):
    item = arrive(sandbox)
    url = f"/w/{workspace.slug}/inbox/c/{item.conversation_id}/"
    client = _client(owner)
    page = client.get(url).content.decode()
    assert f'name="seen_item" value="{item.pk}"' in page
    arrive(sandbox, text="Forresten, det ordnet seg")  # arrives while the owner writes
    asked = client.post(url + "reply/", _form(item, seen_item=str(item.pk), seen_reply="0"))
    assert asked.status_code == 409
    text = asked.content.decode()
    assert "A newer reply arrived while you wrote: send anyway?" in text
    assert "Takk for at du skrev!" in text  # the text is kept
    assert "Forresten, det ordnet seg" in text  # and the newer item is shown
    assert not Reply.objects.exists()
    sent = client.post(
        url + "reply/", _form(item, seen_item=str(item.pk), seen_reply="0", send_anyway="1")
    )
    assert sent.status_code == 302
    assert Reply.objects.get().status == "sent"


def test_a_colleagues_newer_reply_asks_but_ones_own_does_not(workspace, owner, sandbox):
    colleague = member(workspace, Role.EDITOR)
    item = arrive(sandbox)
    conversation = item.conversation
    mine = services.reply_send(
        conversation=conversation, author=owner, text="Første", mode="public"
    )
    seen = (item.pk, 0)  # the page was opened before that reply
    second = services.reply_send(
        conversation=conversation, author=owner, text="Andre", mode="public", seen=seen
    )
    assert second.status == "sent"
    services.reply_send(conversation=conversation, author=colleague, text="Kollega", mode="public")
    with pytest.raises(services.ReplyCrossingError):
        services.reply_send(
            conversation=conversation,
            author=owner,
            text="Tredje",
            mode="public",
            seen=(item.pk, second.pk),
        )
    assert mine.pk < second.pk


def test_nothing_newer_sends_at_once(workspace, owner, sandbox):
    item = arrive(sandbox)
    url = f"/w/{workspace.slug}/inbox/c/{item.conversation_id}/reply/"
    sent = _client(owner).post(url, _form(item, seen_item=str(item.pk), seen_reply="0"))
    assert sent.status_code == 302
    assert Reply.objects.count() == 1


def test_the_clock_kinds_have_titles():
    with translation.override("en"):
        assert [str(kind.label) for kind in ClockKind] == [
            "First response",
            "Next response",
            "Resolution",
        ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_give_the_same_turn(workspace, owner):
    """Two workers choose at once, many times: the locked pointer gives exactly alternate
    turns. Needs PostgreSQL (SQLite serialises writers anyway, and its in-memory test database
    is not shared between threads)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs VARDE_TEST_DATABASE_URL (PostgreSQL)")
    a, b = member(workspace, Role.EDITOR), member(workspace, Role.EDITOR)
    rule = _round_robin_rule(workspace, [a, b])
    chosen: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            for _turn in range(15):
                picked = services.round_robin_next(rule=rule, user_ids=[a.pk, b.pk])
                assert picked is not None
                chosen.append(picked.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(chosen.count(pk) for pk in (a.pk, b.pk)) == [15, 15]


def test_the_business_hours_page_sets_the_next_response_and_resolution_targets(
    client_as, workspace, owner
):
    _targets(workspace, first="4")
    client = client_as(owner)
    page = client.get(f"/w/{workspace.slug}/inbox/hours/").content.decode()
    assert "Answer again within (hours)" in page
    saved = client.post(
        f"/w/{workspace.slug}/inbox/hours/",
        {
            "weekdays": ["0", "1", "2", "3", "4"],
            "opens": "08:00",
            "closes": "16:00",
            "skip_public_holidays": "on",
            "next_response_hours": "1.5",
            "resolution_hours": "24",
        },
    )
    assert saved.status_code == 302
    targets = sla.targets_of(workspace)
    assert (targets.first_s, targets.next_s, targets.resolution_s) == (14400, 5400, 86400)
    event = AuditEvent.objects.filter(action="inbox.business_hours_changed").latest("id")
    assert event.detail["resolution_hours"] == "24"
