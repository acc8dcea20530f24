"""A new workspace ties its first channel to the plan (issue 11, item 3), in either language.

The plan's channel is "Facebook: Fjordbakst", three posts a week on Tuesday, Thursday and
Saturday at 10:00; the channel the owner connects is the sandbox. Before the tie the calendar
says the plan's channel is not connected; the owner connects the sandbox, is asked which channel
of the plan it is, picks Fjordbakst, and then "Add to next free slot" fills in Tuesday 10:00,
the frequency meter counts the post, and the calendar no longer says "not connected". Each
step is looked at on a laptop (1,366 px) and a phone (390 px).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import ConnectedAccount
from varde.strategy.models import Network
from varde.strategy.tests.factories import ChannelFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
# Monday 7 December 2026, 09:00 in Oslo: the plan's next slot is Tuesday the 8th at 10:00.
MONDAY_MORNING = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)

WORDS = {
    "en": {
        "login_email": "E-mail",
        "login_password": "Password",
        "not_connected": "is in the plan but not connected",
        "meter_link": "Connect a channel, or tie a connected one to it",
        "connect_a_channel": "Connect a channel",
        "connect_sandbox": "Connect the sandbox",
        "name_in_varde": "Name in Varde",
        "question": "Which channel in your plan is Prøvekanal?",
        "option": "Facebook: Fjordbakst",
        "save": "Save",
        "tied": "Prøvekanal is tied to Facebook: Fjordbakst in the plan.",
        "text": "Text",
        "next_slot": "Add to next free slot",
        "save_draft": "Save draft",
        "counted": "1 of 3 planned",
    },
    "nb": {
        "login_email": "E-post",
        "login_password": "Passord",
        "not_connected": "står i planen, men er ikke koblet til",
        "meter_link": "Koble til en kanal, eller knytt en tilkoblet kanal til den",
        "connect_a_channel": "Koble til en kanal",
        "connect_sandbox": "Koble til sandkassen",
        "name_in_varde": "Navn i Varde",
        "question": "Hvilken kanal i planen er Prøvekanal?",
        "option": "Facebook: Fjordbakst",
        "save": "Lagre",
        "tied": "Prøvekanal er knyttet til Facebook: Fjordbakst i planen.",
        "text": "Tekst",
        "next_slot": "Legg i neste ledige tid",
        "save_draft": "Lagre utkast",
        "counted": "1 av 3 i planen",
    },
}


@pytest.fixture
def bakery(transactional_db, request):
    language = request.param
    workspace = WorkspaceFactory(name="Fjordbakst", slug="fjordbakst", language=language)
    owner = member(workspace, Role.OWNER, email="siri@example.test", full_name="Siri Bakke")
    owner.language = language
    owner.save(update_fields=["language"])
    ChannelFactory(
        workspace=workspace,
        network=Network.FACEBOOK,
        name="Fjordbakst",
        posts_per_week=Decimal(3),
        days=[1, 3, 5],
        times=["10:00"],
    )
    return workspace, owner, WORDS[language]


def both_widths(page, screenshot, name):
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(f"{name}-{label}")
    page.set_viewport_size({"width": 1366, "height": 900})


def log_in(page, user, workspace):
    page.goto("/accounts/login/")
    page.locator("input[type=email]").fill(user.email)
    page.locator("input[type=password]").fill(TEST_PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"**/w/{workspace.slug}/")


@pytest.mark.parametrize("bakery", ["en", "nb"], indirect=True)
def test_connect_the_sandbox_tie_it_to_the_plan_and_the_calendar_counts_it(
    page, bakery, screenshot
):
    from playwright.sync_api import expect

    workspace, owner, words = bakery
    lang = workspace.language
    with time_machine.travel(MONDAY_MORNING, tick=True):
        log_in(page, owner, workspace)
        page.goto(f"/w/{workspace.slug}/calendar/")
        assert words["not_connected"] in page.locator("#plan-meters").inner_text()
        both_widths(page, screenshot, f"plan-tie-before-{lang}")

        # From the calendar's meter to the channels page, and connect the sandbox there.
        page.get_by_role("link", name=words["meter_link"]).click()
        page.wait_for_url(f"**/w/{workspace.slug}/channels/")
        page.get_by_role("link", name=words["connect_a_channel"]).click()
        page.locator("a[href$='/connect/sandbox/']").click()
        page.get_by_label(words["name_in_varde"]).fill("Prøvekanal")
        page.get_by_role("button", name=words["connect_sandbox"]).click()
        page.wait_for_url("**/plan/?new=1")
        assert page.get_by_role("heading", level=1).inner_text() == words["question"]
        both_widths(page, screenshot, f"plan-tie-question-{lang}")

        # The plan's one channel without a connected account is offered first; the owner
        # checks it with the keyboard and saves.
        option = page.get_by_role("radio", name=words["option"])
        assert option.is_checked()
        option.focus()
        page.keyboard.press("Space")
        assert option.is_checked()
        page.get_by_role("button", name=words["save"], exact=True).click()
        channel = ConnectedAccount.objects.get(workspace=workspace)
        page.wait_for_url(f"**/w/{workspace.slug}/channels/{channel.pk}/")
        assert words["tied"] in page.locator("body").inner_text()
        both_widths(page, screenshot, f"plan-tie-done-{lang}")

        # The composer's next free slot uses phase 4's days and times.
        page.goto(f"/w/{workspace.slug}/posts/new/")
        page.get_by_label(words["text"], exact=True).fill("Nybakt surdeigsbrød i dag.")
        page.locator(f"input[name=channels][value='{channel.pk}']").check()
        page.get_by_role("button", name=words["next_slot"]).click()
        expect(page.locator("#id_planned_at")).to_have_value("2026-12-08T10:00")
        page.get_by_role("button", name=words["save_draft"]).click()
        page.wait_for_url("**/edit/")

        # The calendar counts it on the plan's channel and no longer says "not connected".
        page.goto(f"/w/{workspace.slug}/calendar/")
        meters = page.locator("#plan-meters").inner_text()
        assert words["not_connected"] not in meters
        assert "Prøvekanal" in meters
        assert words["counted"] in meters
        both_widths(page, screenshot, f"plan-tie-calendar-{lang}")
