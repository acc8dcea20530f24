"""Listening's charts in a real browser, with the demo's sandbox mentions: every chart draws
(an SVG appears) with no console error and no Content-Security-Policy complaint, a hostile
author name stays text, clicking a bar opens the mentions behind it, the tables under the charts
work by keyboard, and nothing scrolls sideways on a phone. Screenshots at 1,366 and 390 px in
both languages."""

from __future__ import annotations

import pytest

from tests.browser.helpers import WIDTHS
from varde.accounts import selectors as account_selectors
from varde.demo import DEMO_EMAIL, DEMO_SLUG, demo_create
from varde.listening import services as listening_services
from varde.listening.tests.helpers import Item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]
DEMO_PASSWORD = "a demo password for the browser"
ALL_DRAWN = """() => [...document.querySelectorAll('[data-chart-spec]')]
  .every(holder => holder.querySelector('svg'))"""
HOSTILE = '<img src=x id=injected onerror="window.__pwned=1">'


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("VARDE_DEMO_PASSWORD", DEMO_PASSWORD)
    result = demo_create()
    brand = result.workspace.name.split()[0]
    listening_services.mentions_ingest(
        workspace=result.workspace,
        items=[Item("hostile", f"{brand} {brand}", author_handle=HOSTILE, author_name=HOSTILE)],
    )
    return result.workspace


def log_in(page, language: str = "en") -> None:
    account_selectors.user_by_email(DEMO_EMAIL).__class__.objects.filter(email=DEMO_EMAIL).update(
        language=language
    )
    page.goto("/accounts/login/")
    page.locator("input[type=email]").fill(DEMO_EMAIL)
    page.locator("input[type=password]").fill(DEMO_PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_url(f"**/w/{DEMO_SLUG}/")


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in {"error", "warning"} else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_every_chart_draws_and_drills_down(page, demo, screenshot):
    problems = watch(page)
    log_in(page)
    page.goto(f"/w/{DEMO_SLUG}/listening/volume/")
    holders = page.locator("[data-chart-spec]")
    count = holders.count()
    assert count == 7  # volume, sentiment, share of voice, words, hashtags, authors, sources
    page.wait_for_function(ALL_DRAWN)
    assert (
        page.locator(
            "[data-chart-spec] svg .mark-symbol path, [data-chart-spec] svg .mark-rect path"
        ).count()
        > 10
    )
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#injected").count() == 0
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        screenshot(f"listening-charts-en-{label}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the page scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})
    assert problems == [], "\n".join(problems)

    # Keyboard: the table under the share of voice chart has the same links.
    page.locator("#share-title").scroll_into_view_if_needed()
    summary = page.locator("section[aria-labelledby=share-title] summary")
    summary.focus()
    page.keyboard.press("Enter")
    first = page.locator("section[aria-labelledby=share-title] table a").first
    first.focus()
    name = first.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/listening/?*")
    assert page.locator(".mention").count() > 0
    assert name in page.locator(".mention .tag").all_inner_texts()

    # A click on a bar of the sentiment chart opens the stream of that day and sentiment.
    page.goto(f"/w/{DEMO_SLUG}/listening/volume/")
    page.wait_for_selector("[data-chart-spec=sentiment-spec] svg .mark-rect path")
    bar = page.locator("[data-chart-spec=sentiment-spec] svg .mark-rect path").last
    bar.click(force=True)
    page.wait_for_url("**/listening/?*day=*")
    assert "sentiment=" in page.url
    assert page.locator(".mention").count() > 0
    assert problems == [], "\n".join(problems)


def test_the_charts_in_bokmal(page, demo, screenshot):
    problems = watch(page)
    log_in(page, "nb")
    page.goto(f"/w/{DEMO_SLUG}/listening/volume/?period=1d")
    page.wait_for_function(ALL_DRAWN)
    assert "Andel av omtalen" in page.content()
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        screenshot(f"listening-charts-nb-hourly-{label}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/w/{DEMO_SLUG}/listening/volume/?period=7d")
    page.wait_for_selector("[data-chart-spec=volume-spec] svg")
    axis = page.eval_on_selector_all(
        "[data-chart-spec=volume-spec] svg .role-axis-label text",
        "els => els.map(e => e.textContent)",
    )
    assert any(text.endswith("des.") for text in axis), axis
    screenshot("listening-charts-nb-week-laptop")
    assert problems == [], "\n".join(problems)
