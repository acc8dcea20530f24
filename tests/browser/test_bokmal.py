"""Bokmål as a Norwegian reads it, in the browser: the plan overview, phase 1 and the calendar.

A user who reads Varde in bokmål sees a finished phase as "I orden", a count as "1 punkt å
rette", hours as "3,5", the calendar's time zone as "norsk tid" and its days as "mandag 7.
desember" - and none of the words the glossary forbids. Screenshots at 1,366 and 390 px.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.helpers import both_widths, log_in
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.demo.plan import demo_plan_seed
from varde.strategy.models import StrategyPlan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
FORBIDDEN_ON_SCREEN = ("I rekkefølge", "innholdspilar", "Technographics", "Europe/Oslo", "i uka")


@pytest.fixture
def norwegian(transactional_db):
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="bryggen", language="nb")
    user = member(
        workspace, Role.OWNER, email="ingrid@example.test", full_name="Ingrid Hansen", language="nb"
    )
    demo_plan_seed(workspace=workspace, language="nb")
    StrategyPlan.objects.filter(workspace=workspace).update(hours_per_week=Decimal("3.5"))
    return workspace, user


def no_forbidden_words(page):
    text = page.locator("main").inner_text()
    for word in FORBIDDEN_ON_SCREEN:
        assert word not in text, word


def test_the_plan_and_the_calendar_read_as_bokmal(page, norwegian, screenshot):
    workspace, user = norwegian
    log_in(page, user, workspace)
    assert "norsk tid" in page.locator("main").inner_text()  # "Tidene vises i norsk tid."

    page.goto(f"/w/{workspace.slug}/strategy/")
    phases = page.locator("main").inner_text()
    assert "I orden" in phases or "å rette" in phases
    no_forbidden_words(page)
    both_widths(page, screenshot, "bokmal-strategy-overview")

    page.goto(f"/w/{workspace.slug}/strategy/phase/1/")
    assert "Du kan bruke 3,5." in page.locator("main").inner_text()
    no_forbidden_words(page)
    both_widths(page, screenshot, "bokmal-strategy-phase-1")

    page.goto(f"/w/{workspace.slug}/calendar/?view=list&date=2026-12-07")
    calendar = page.locator("main").inner_text()
    assert "norsk tid (UTC+01:00)" in calendar
    no_forbidden_words(page)
    both_widths(page, screenshot, "bokmal-calendar-list")

    page.goto(f"/w/{workspace.slug}/calendar/?view=month&date=2026-12-07")
    assert page.get_by_text("mandag 7. desember", exact=True).count() == 1
