"""A marketer reads the audit log and the plan's history as sentences, at local time, in
English and in bokmål, on a laptop and on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.services import audit_record
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import ConnectedAccount
from varde.demo.plan import demo_plan_seed
from varde.strategy import services as strategy_services
from varde.strategy.tests.factories import ChannelFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

RAW = re.compile(
    r"\b(post|review|strategy|channel|member)\.[a-z_-]+|\bNone\b|\bTrue\b|client_link|→|"
    r"\d{4}-\d\d-\d\dT|\(mastodon\)"
)
WIDTHS = (1366, 390)  # a laptop, a phone


class Post:
    """A post as audit_record sees it: a type, an id and a label."""

    pk = 11

    def __str__(self) -> str:
        return "Julebakst fra fredag"


@pytest.fixture
def history(transactional_db):
    workspace = WorkspaceFactory(
        name="Fjordbakst", slug="fjordbakst", language="en", timezone="Europe/Oslo"
    )
    kari = member(workspace, Role.OWNER, email="kari@example.test", full_name="Kari Nordmann")
    ola = member(workspace, Role.EDITOR, email="ola@example.test", full_name="Ola Hansen")
    channel = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="mastodon", label="Fjordbakst"
    )
    plan_channel = ChannelFactory(
        workspace=workspace, network="facebook", name="Fjordbakst", days=[]
    )
    strategy_services.plan_item_update(
        item=plan_channel, actor=kari, kind="channel-plan", fields={"days": [0, 2]}
    )
    events = [
        audit_record(action="member.added", workspace=workspace, actor=kari, target=ola,
                     detail={"role": "editor"}),
        audit_record(action="channel.connected", workspace=workspace, actor=kari, target=channel,
                     detail={"network": "mastodon"}),
        audit_record(action="post.approved", workspace=workspace, actor=ola, target=Post(),
                     detail={"from": "in_review"}),
        audit_record(action="review.approved", workspace=workspace, actor=ola, target=Post(),
                     detail={"step": 1, "comment": "", "client_name": "", "client_link": None}),
    ]  # fmt: skip
    # 13:05 UTC is 14:05 in Oslo.
    AuditEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        created_at=dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC)
    )
    return workspace, kari


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/w/**")


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def test_the_audit_log_and_plan_history_read_as_sentences(page, history, screenshot):
    workspace, kari = history
    _log_in(page, kari)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/w/{workspace.slug}/settings/audit/")
        text = _main_text(page)
        assert "Ola Hansen approved the post “Julebakst fra fredag”." in text
        assert "Kari Nordmann connected the channel “Fjordbakst · Mastodon”." in text
        assert "Kari Nordmann added Ola Hansen to the workspace as editor." in text
        assert "7 Dec 2026, 14:05" in text
        assert not RAW.search(text), RAW.search(text)
        screenshot(f"audit-log-{width}")

        page.goto(f"/w/{workspace.slug}/strategy/history/")
        text = _main_text(page)
        assert "Kari Nordmann changed “Facebook: Fjordbakst” in the plan (publishing plan)." in text
        assert "Publishing days: Monday and Wednesday (were none)" in text
        assert not RAW.search(text), RAW.search(text)
        screenshot(f"plan-history-{width}")

    page.goto(f"/w/{workspace.slug}/settings/audit/")
    page.get_by_label("Show only").select_option(label="Channels")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**area=Channels**")
    assert "connected the channel" in _main_text(page)
    assert "approved the post" not in _main_text(page)

    # The language switch is in the bar at a laptop's width (behind "Menu" on a phone).
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Norsk").click()
    page.wait_for_load_state()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/w/{workspace.slug}/settings/audit/")
        text = _main_text(page)
        assert "Ola Hansen godkjente innlegget «Julebakst fra fredag»." in text
        assert "7. des. 2026 kl. 14.05" in text
        assert not RAW.search(text), RAW.search(text)
        screenshot(f"audit-log-nb-{width}")
        page.goto(f"/w/{workspace.slug}/strategy/history/")
        text = _main_text(page)
        assert "Publiseringsdager: mandag og onsdag (var ingen)" in text
        screenshot(f"plan-history-nb-{width}")


def test_the_overview_says_what_reads_differently_in_words(page, transactional_db, screenshot):
    workspace = WorkspaceFactory(name="Bryggen Sykkel", slug="bryggen", language="en")
    kari = member(workspace, Role.OWNER, email="kari@example.test", full_name="Kari Nordmann")
    demo_plan_seed(workspace=workspace, actor=kari, language="en")
    _log_in(page, kari)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/w/{workspace.slug}/strategy/")
        section = page.locator(
            "section", has=page.get_by_role("heading", name="What reads differently")
        )
        text = section.inner_text()
        assert "Changed: Instagram: @bryggensykkel" in text
        assert "Posts per week: 4 (was 3)" in text
        assert "|" not in text
        assert not RAW.search(text), RAW.search(text)
        section.screenshot(path=str(screenshot(f"plan-overview-{width}")))
