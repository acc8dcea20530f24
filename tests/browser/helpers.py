"""What the browser tests share: logging in as a person does, and screenshots at both widths."""

from __future__ import annotations

from varde.accounts.tests.factories import TEST_PASSWORD

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}


def log_in(page, user, workspace) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"**/w/{workspace.slug}/")


def both_widths(page, screenshot, name: str, widths=WIDTHS) -> None:  # type: ignore[no-untyped-def]
    """A screenshot at a laptop's and a phone's width, then back to the laptop."""
    for label, (width, height) in widths.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(f"{name}-{label}")
    page.set_viewport_size({"width": 1366, "height": 900})
