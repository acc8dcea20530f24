"""A new user writes a minimal plan in the browser, phase by phase, then exports it.

No template, no manual: a fresh workspace with no plan, one entry in each of the seven phases,
typed mostly by keyboard, the second half in bokmål. Plan health must shrink as the plan
fills in, and the Markdown export must hold what was typed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.strategy.health import plan_health

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

# What must be gone from plan health once the minimal plan is written.
FILLED = {
    "no_channels",
    "no_goals",
    "goal_incomplete",
    "no_audiences",
    "audience_no_message",
    "channel_no_frequency",
    "channel_no_owner",
    "no_people",
    "no_policy",
    "no_playbook",
    "no_review_cadence",
}


@pytest.fixture
def newcomer(transactional_db):
    workspace = WorkspaceFactory(name="Sykkelverkstedet", slug="verksted", language="en")
    user = member(workspace, Role.OWNER, email="kari@example.test", full_name="Kari Nordmann")
    return user, workspace


def bad_count(page) -> int:
    return page.locator(".health-list .status-bad").count()


def open_phase(page, slug: str, number: int) -> None:
    page.goto(f"/w/{slug}/strategy/phase/{number}/")


def type_into(page, selector: str, text: str) -> None:
    """Focus a field and type into it, as a person at a keyboard does."""
    page.focus(selector)
    page.keyboard.type(text)


def submit_by_keyboard(page, selector: str) -> None:
    """Focus the form's save button and press Enter."""
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_new_user_writes_a_minimal_plan_and_exports_it(page, newcomer, screenshot):
    user, workspace = newcomer
    slug = workspace.slug
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/w/{slug}/")

    page.goto(f"/w/{slug}/strategy/")
    assert page.get_by_text("No plan yet.").is_visible()
    before = bad_count(page)
    assert before >= len({"no_channels", "no_goals", "no_audiences", "no_people"})
    screenshot("strategy-new-plan")

    # Phase 1: a channel as it is today, and the hours we can spend.
    page.get_by_role("link", name="Start with phase 1").click()
    page.get_by_role("link", name="Add a channel").click()
    page.get_by_label("Network").select_option(label="Instagram")
    type_into(page, "#id_name", "@sykkelverkstedet")
    type_into(page, "#id_followers", "850")
    submit_by_keyboard(page, "form.card button[type=submit]")
    assert page.get_by_role("row", name="@sykkelverkstedet").is_visible()
    type_into(page, "#id_hours_per_week", "6")
    type_into(page, "#id_strengths", "We fix bikes the same day.")
    submit_by_keyboard(page, "#id_strengths >> xpath=ancestor::form//button[@type='submit']")
    assert page.get_by_text("Saved.").is_visible()

    # Phase 2: the mission, and one SMART goal. Nobody is named yet, so the goal form
    # offers to add a person first and comes straight back.
    open_phase(page, slug, 2)
    type_into(page, "#id_mission", "Keep Bergen cycling all year.")
    submit_by_keyboard(page, "#id_mission >> xpath=ancestor::form//button[@type='submit']")
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_role("link", name="Add a person first").click()
    type_into(page, "#id_name", "Kari Nordmann")
    type_into(page, "#id_title", "Owner")
    submit_by_keyboard(page, "form.card button[type=submit]")
    page.wait_for_url("**/strategy/goal/new/")
    type_into(page, "#id_title", "More followers on Instagram")
    page.get_by_label("Metric", exact=True).select_option(label="Followers")
    type_into(page, "#id_baseline", "850")
    type_into(page, "#id_target", "1500")
    deadline = dt.date.today() + dt.timedelta(days=180)  # noqa: DTZ011 - a date in the form
    page.fill("#id_deadline", deadline.isoformat())
    page.select_option("#id_owner", label="Kari Nordmann (Owner)")
    submit_by_keyboard(page, "form.card button[type=submit]")
    assert page.get_by_role("row", name="More followers on Instagram").is_visible()

    # Phase 3: an audience.
    open_phase(page, slug, 3)
    page.get_by_role("link", name="Add an audience").click()
    type_into(page, "#id_name", "Commuters")
    type_into(page, "#id_cares_about", "A bike that works on Monday morning.")
    page.get_by_label("@sykkelverkstedet").check()
    submit_by_keyboard(page, "form.card button[type=submit]")
    assert page.get_by_text("Commuters").first.is_visible()

    # Phase 4: the channel's publishing plan (role, how often, when, who makes and approves).
    open_phase(page, slug, 4)
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Role").select_option(index=2)
    type_into(page, "#id_posts_per_week", "3")
    page.focus("#id_days_0")
    page.keyboard.press("Space")  # Monday
    page.focus("#id_days_3")
    page.keyboard.press("Space")  # Thursday
    type_into(page, "#id_times", "09:00, 15:30")
    page.get_by_label("Who makes the posts").select_option(label="Kari Nordmann (Owner)")
    page.get_by_label("Who approves").select_option(label="Kari Nordmann (Owner)")
    submit_by_keyboard(page, "form.card button[type=submit]")
    assert page.get_by_text("Saved.").is_visible()
    screenshot("strategy-phase-4")

    # From here on in bokmål.
    page.get_by_role("button", name="Norsk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"

    # Phase 5: a key message for the audience.
    open_phase(page, slug, 5)
    page.locator("a.button[href$='/strategy/message/new/']").click()
    page.select_option("#id_audience", label="Commuters")
    type_into(page, "#id_text", "Vi fikser sykkelen din samme dag, så du kommer deg på jobb.")
    submit_by_keyboard(page, "form.card button[type=submit]")
    assert page.get_by_role("cell", name="Vi fikser sykkelen din samme dag").first.is_visible()

    # Phase 6: the policy, the playbook and one escalation step.
    open_phase(page, slug, 6)
    type_into(page, "#id_social_media_policy", "Vi svarer høflig og sletter aldri kritikk.")
    type_into(
        page, "#id_playbook_criticism", "Vi takker for tilbakemeldingen og svarer innen en dag."
    )
    type_into(page, "#id_response_time_hours", "24")
    submit_by_keyboard(
        page, "#id_social_media_policy >> xpath=ancestor::form//button[@type='submit']"
    )
    page.locator("a.button[href$='/strategy/escalation/new/']").click()
    type_into(page, "#id_situation", "Et innlegg om en misfornøyd kunde sprer seg")
    type_into(page, "#id_action", "Kari ringer kunden og svarer offentlig.")
    page.select_option("#id_person", label="Kari Nordmann (Owner)")
    submit_by_keyboard(page, "form.card button[type=submit]")

    # Phase 7: how often the plan is reviewed, and who leads it.
    open_phase(page, slug, 7)
    page.select_option("#id_review_cadence", value="monthly")
    page.select_option("#id_review_owner", label="Kari Nordmann (Owner)")
    submit_by_keyboard(page, "#id_review_cadence >> xpath=ancestor::form//button[@type='submit']")

    # Plan health has improved: what the minimal plan covers is no longer missing.
    page.goto(f"/w/{slug}/strategy/")
    after = bad_count(page)
    screenshot("strategy-minimal-plan-nb")
    assert after < before
    codes = {finding.code for finding in plan_health(workspace)}
    assert not FILLED & codes, FILLED & codes

    # The plan as Markdown, in the workspace language (English), with what was typed.
    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown").click()
    markdown = download.value.path().read_text(encoding="utf-8")
    for text in (
        "@sykkelverkstedet",
        "Keep Bergen cycling all year.",
        "More followers on Instagram",
        "1500",
        "Commuters",
        "Vi fikser sykkelen din samme dag",
        "Vi svarer høflig og sletter aldri kritikk.",
        "Kari Nordmann",
    ):
        assert text in markdown, text
    assert markdown.count("\n## ") >= 7  # the seven phases
