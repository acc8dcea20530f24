"""The response clock on the inbox list and the conversation page (issue 13, item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from varde.inbox import services
from varde.inbox.tests.conftest import arrive
from varde.strategy.models import StrategyPlan

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=OSLO)


def _plan(workspace, hours: str = "4") -> None:
    StrategyPlan.objects.update_or_create(
        workspace=workspace, defaults={"response_time_hours": Decimal(hours)}
    )


def _list(client, workspace) -> str:
    return client.get(f"/w/{workspace.slug}/inbox/?view=all").content.decode()


def test_a_waiting_conversation_shows_its_clock(client_as, workspace, owner, sandbox):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    _plan(workspace)
    arrive(sandbox, at=MONDAY_9)
    client = client_as(owner)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        assert "Answer within 3 h" in _list(client, workspace)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=3, minutes=30), tick=False):
        assert "At risk: 30 min left" in _list(client, workspace)
    # Monday 09:00 + 4 business hours is 13:00; at 17:00 it is 3 h late (16:00 closes).
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=8), tick=False):
        assert "Overdue by 3 h" in _list(client, workspace)


def test_the_night_and_the_weekend_are_not_counted(client_as, workspace, owner, sandbox):
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    _plan(workspace)
    friday_15 = dt.datetime(2026, 12, 4, 15, 0, tzinfo=OSLO)
    arrive(sandbox, at=friday_15)
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=30), tick=False):
        page = _list(client_as(owner), workspace)
    assert "Answer within 1 h 30 min" in page


def test_an_answered_conversation_has_no_clock_until_the_person_writes_again(
    client_as, workspace, owner, sandbox
):
    _plan(workspace)
    item = arrive(sandbox, at=MONDAY_9)
    client = client_as(owner)
    with time_machine.travel(MONDAY_9 + dt.timedelta(minutes=10), tick=False):
        services.reply_send(
            conversation=item.conversation, author=owner, text="Hei!", mode="public"
        )
        assert "clock-" not in _list(client, workspace)


def test_without_a_target_in_the_plan_there_is_no_clock(client_as, workspace, owner, sandbox):
    arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=9), tick=False):
        assert "clock-" not in _list(client_as(owner), workspace)


def test_the_clocks_cost_the_same_queries_for_few_and_many(client_as, workspace, owner, sandbox):
    _plan(workspace)
    client = client_as(owner)
    for n in range(3):
        arrive(sandbox, handle=f"a{n}.sim", at=MONDAY_9 + dt.timedelta(minutes=n))
    url = f"/w/{workspace.slug}/inbox/?view=all"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3, 30):
        arrive(sandbox, handle=f"a{n}.sim", at=MONDAY_9 + dt.timedelta(minutes=n))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_team_sets_its_hours_and_the_clock_follows(client_as, workspace, owner, sandbox):
    from varde.accounts.models import AuditEvent

    workspace.timezone = "Europe/Oslo"
    workspace.save()
    _plan(workspace)
    client = client_as(owner)
    page = client.get(f"/w/{workspace.slug}/inbox/hours/")
    assert "The plan says: answer within 4 hours." in page.content.decode()
    saved = client.post(
        f"/w/{workspace.slug}/inbox/hours/",
        {"weekdays": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "15:00"},
    )
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(action="inbox.business_hours_changed").exists()
    arrive(sandbox, at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=7), tick=False):
        # 09:00–15:00 counts 6 h of the 4 h target: 2 h late.
        assert "Overdue by 2 h" in _list(client, workspace)


def test_closing_before_opening_is_refused(client_as, workspace, owner):
    page = client_as(owner).post(
        f"/w/{workspace.slug}/inbox/hours/",
        {"weekdays": ["0"], "opens": "16:00", "closes": "08:00"},
    )
    assert page.status_code == 200
    assert "Closing time must be after opening time." in page.content.decode()


def test_first_responses_in_business_hours(workspace, owner, sandbox):
    from varde.inbox import sla

    workspace.timezone = "Europe/Oslo"
    workspace.save()
    _plan(workspace, hours="2")
    fast = arrive(sandbox, handle="fast.sim", at=MONDAY_9)
    slow = arrive(sandbox, handle="slow.sim", at=MONDAY_9)
    arrive(sandbox, handle="waiting.sim", at=MONDAY_9)
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        services.reply_send(conversation=fast.conversation, author=owner, text="Hei", mode="public")
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=5), tick=False):
        services.reply_send(conversation=slow.conversation, author=owner, text="Hei", mode="public")
    result = sla.first_responses(
        workspace=workspace,
        start=MONDAY_9 - dt.timedelta(days=1),
        end=MONDAY_9 + dt.timedelta(days=1),
    )
    assert (result.answered, result.unanswered, result.within_target) == (2, 1, 1)
    assert result.median_s == 3 * 3600  # 1 h and 5 h
