"""A person drags a post to another day in the calendar, then moves it by keyboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.channels.models import ConnectedAccount
from varde.content.services import post_create
from varde.lib.timeutil import local_to_utc, utc_to_local
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def planned_post(transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    user = member(shop, Role.EDITOR, email="kari@example.test", full_name="Kari Nordmann")
    channel = ConnectedAccount.objects.create(
        workspace=shop, connector_key="instagram", label="Instagram", handle="@bryggen"
    )
    # A Wednesday at least a week ahead: its Thursday is in the same calendar row.
    today = utc_to_local(dt.datetime.now(dt.UTC), shop.timezone).date()
    wednesday = today + dt.timedelta(days=7 + (2 - today.weekday()) % 7)
    post = post_create(workspace=shop, author=user, text="Sykkelservice før påske")
    at = local_to_utc(dt.datetime.combine(wednesday, dt.time(11, 0)), shop.timezone)
    delivery_plan(post=post, channel=channel, at=at, actor=user)
    return user, post, wednesday


def _log_in(page, user):
    # Tall enough that source and target are both on screen: a drag does not scroll.
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/w/shop/")


def _local_time(post):
    delivery = Delivery.objects.get(post=post)
    return utc_to_local(delivery.scheduled_at, "Europe/Oslo").replace(tzinfo=None)


def _spelled(day: dt.date) -> str:
    """A day as the confirmation writes it in English: "Thursday 19 March"."""
    return f"{day:%A} {day.day} {day:%B}"


def test_drag_a_post_to_another_day_then_move_it_by_keyboard(page, planned_post, screenshot):
    user, post, wednesday = planned_post
    thursday = wednesday + dt.timedelta(days=1)
    _log_in(page, user)
    page.goto(f"/w/shop/calendar/?view=month&date={wednesday.isoformat()}")
    entry = page.locator(f'[data-move-post="{post.pk}"]')
    assert entry.get_by_text("Draft").is_visible()
    assert page.get_by_text("Times are in Oslo time").is_visible()
    screenshot("calendar-month-before-drag")

    entry.drag_to(page.locator(f'td[data-drop-date="{thursday.isoformat()}"]'))
    page.get_by_text(f"Moved to {_spelled(thursday)} 11:00 on Instagram.").wait_for()
    assert _local_time(post) == dt.datetime.combine(thursday, dt.time(11, 0))
    moved = page.locator(
        f'td[data-drop-date="{thursday.isoformat()}"] [data-move-post="{post.pk}"]'
    )
    assert moved.is_visible()
    screenshot("calendar-month-after-drag")

    # The same by keyboard: open "Move" on the post, type a date and a time, press Enter.
    friday = thursday + dt.timedelta(days=1)
    moved.locator("summary").focus()
    page.keyboard.press("Enter")
    moved.get_by_label("New date").fill(friday.isoformat())
    moved.get_by_label("New time").fill("15:45")
    moved.get_by_label("New time").press("Enter")
    page.get_by_text(f"Moved to {_spelled(friday)} 15:45 on Instagram.").wait_for()
    assert _local_time(post) == dt.datetime.combine(friday, dt.time(15, 45))


def test_week_view_drop_on_an_hour_keeps_the_minutes(page, planned_post, screenshot):
    user, post, wednesday = planned_post
    post_local = _local_time(post)
    post_local = post_local.replace(minute=30)
    Delivery.objects.filter(post=post).update(scheduled_at=local_to_utc(post_local, "Europe/Oslo"))
    _log_in(page, user)
    page.goto(f"/w/shop/calendar/?view=week&date={wednesday.isoformat()}")
    screenshot("calendar-week")
    target = page.locator(f'td[data-drop-date="{wednesday.isoformat()}"][data-drop-hour="14"]')
    page.locator(f'[data-move-post="{post.pk}"]').drag_to(target)
    page.get_by_text(f"Moved to {_spelled(wednesday)} 14:30 on Instagram.").wait_for()
    assert _local_time(post) == dt.datetime.combine(wednesday, dt.time(14, 30))


@pytest.fixture
def crowded_day(planned_post):
    """Seven more posts on the planned post's Wednesday: a day too full for a month cell."""
    user, post, wednesday = planned_post
    channel = ConnectedAccount.objects.get(workspace=post.workspace)
    for n in range(7):
        extra = post_create(workspace=post.workspace, author=user, text=f"Påskeuke {n + 1}")
        at = local_to_utc(dt.datetime.combine(wednesday, dt.time(12 + n, 0)), "Europe/Oslo")
        delivery_plan(post=extra, channel=channel, at=at, actor=user)
    return user, post, wednesday


def test_a_crowded_day_shows_more_which_opens_the_rest(page, crowded_day, screenshot):
    user, _post, wednesday = crowded_day
    _log_in(page, user)
    page.set_viewport_size({"width": 1366, "height": 1000})
    page.goto(f"/w/shop/calendar/?view=month&date={wednesday.isoformat()}")
    cell = page.locator(f'td[data-drop-date="{wednesday.isoformat()}"]')
    assert cell.locator("article.entry").count() == 3
    more = cell.get_by_role("link", name=re.compile(r"^\+5 more"))
    screenshot("calendar-crowded-day-1366")

    # By keyboard: focus "+5 more", press Enter; the rest opens in place and takes the focus.
    more.focus()
    page.keyboard.press("Enter")
    cell.get_by_role("link", name="Påskeuke 7", exact=True).wait_for()
    assert cell.locator("article.entry").count() == 8
    assert page.evaluate("document.activeElement.classList.contains('cal-more-rest')")
    assert "/more/" not in page.url  # opened on the page, not by leaving it
    screenshot("calendar-crowded-day-opened-1366")

    # A post that was behind "+5 more" moves like any other.
    late = cell.locator("article.entry", has_text="Påskeuke 7")
    late.locator("summary").focus()
    page.keyboard.press("Enter")
    late.get_by_label("New time").fill("19:30")
    late.get_by_label("New time").press("Enter")
    page.get_by_text(f"Moved to {_spelled(wednesday)} 19:30 on Instagram.").wait_for()


def test_phones_get_the_agenda_without_sideways_scrolling(page, crowded_day, screenshot):
    user, post, wednesday = crowded_day
    _log_in(page, user)
    page.set_viewport_size({"width": 390, "height": 844})
    # No view chosen: a phone gets the agenda.
    page.goto(f"/w/shop/calendar/?date={wednesday.isoformat()}")
    page.wait_for_url(re.compile(r"view=list"))
    agenda = page.get_by_role("link", name="Agenda", exact=True)
    assert agenda.get_attribute("aria-current") == "page"
    page.get_by_role("link", name="Påskeuke 7", exact=True).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("calendar-agenda-390")

    # Usable by keyboard: open "Move" on a post, type a date, press Enter.
    thursday = wednesday + dt.timedelta(days=1)
    entry = page.locator(f'[data-move-post="{post.pk}"]')
    entry.locator("summary").focus()
    page.keyboard.press("Enter")
    entry.get_by_label("New date").fill(thursday.isoformat())
    entry.get_by_label("New date").press("Enter")
    page.get_by_text(f"Moved to {_spelled(thursday)} 11:00 on Instagram.").wait_for()
    assert _local_time(post) == dt.datetime.combine(thursday, dt.time(11, 0))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A chosen view is kept on a phone; on a laptop the agenda is one click away.
    page.goto(f"/w/shop/calendar/?view=month&date={wednesday.isoformat()}")
    assert "view=month" in page.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/w/shop/calendar/?date={wednesday.isoformat()}")
    month = page.get_by_role("link", name="Month", exact=True)
    assert month.get_attribute("aria-current") == "page"
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.wait_for_url(re.compile(r"view=list"))
    page.get_by_role("link", name="Påskeuke 7", exact=True).wait_for()
    screenshot("calendar-agenda-1366")
