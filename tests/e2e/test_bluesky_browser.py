"""Bluesky from the browser, end to end: people connect an account on the local PDS through
the channels pages, write a two-part thread with an image in the composer, approve and
schedule it, and the publishing engine puts it on the PDS exactly once.

Everything a person does goes through the browser (Playwright + Debian's chromium); only
the publishing engine's worker step (``publish_one``, what the Huey worker runs) and the
checks on the PDS are called from the test.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.e2e.bluesky_accounts import Account, get_record, list_posts
from tests.e2e.media import png
from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.publishing import engine

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.xdist_group("e2e-bluesky"),
    pytest.mark.django_db(transaction=True),
]

HEAD = "Sykkelservice hele uka hos Bryggen! 🚲"
THREAD = ["Del 2: gratis kaffe mens du venter.", "Del 3: vel møtt, åpent 10–18."]
ALT = "Ei blå sykkelramme mot en hvit vegg"


def log_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(re.compile(r"/w/[\w-]+/$"))


def test_people_connect_bluesky_and_schedule_a_thread_with_an_image_in_the_browser(
    bluesky_network: BlueskyNetwork, page: Any, screenshot: Any, settings: Any
) -> None:
    brand = Account.sign_up(bluesky_network, "bryggen")
    app_password = brand.app_password()  # what the person creates in Bluesky's settings
    workspace = WorkspaceFactory(slug="bryggen", name="Bryggen Sykkel", timezone="Europe/Oslo")
    admin = member(workspace, Role.ADMIN, email="kari@example.test", full_name="Kari")
    editor = member(workspace, Role.EDITOR, email="ola@example.test", full_name="Ola")
    # The PDS runs on 127.0.0.1, a private address Varde refuses unless the installation
    # allows private URLs (the live server runs in this process, so the setting reaches it).
    settings.VARDE_ALLOW_PRIVATE_URLS = True

    # An admin connects the account on the channels pages.
    log_in(page, admin.email)
    page.get_by_role("link", name="Channels").first.click()
    page.get_by_role("link", name="Connect a channel").click()
    page.get_by_role("link", name="Connect Bluesky").click()
    # The page offers signing in on Bluesky (OAuth, test_bluesky_oauth.py) and app passwords.
    with_password = page.locator(
        "section", has=page.get_by_role("heading", name="Connect with an app password")
    )
    with_password.get_by_label("Name in Varde").fill("Bryggen på Bluesky")
    with_password.get_by_label("Server address").fill(bluesky_network.pds_url)
    with_password.get_by_label("Handle").fill(f"@{brand.handle}")
    with_password.get_by_label("App password").fill(app_password)
    with_password.get_by_role("button", name="Check and connect").click()
    page.get_by_text(f"Bryggen på Bluesky is connected as {brand.handle}.").wait_for()
    # Varde asks which channel of the plan this is (issue 11, item 3); the plan has none yet.
    page.get_by_role("link", name="Decide later").click()
    page.wait_for_url(re.compile(r"/channels/\d+/$"))
    assert page.locator("dd", has_text="Connected").first.is_visible()
    screenshot("e2e-bluesky-connected")

    # An editor writes the post with its thread and image, plans it, approves and schedules.
    log_in(page, editor.email)
    page.goto(f"/w/{workspace.slug}/posts/new/")
    page.get_by_label("Text", exact=True).fill(HEAD)
    page.get_by_role("checkbox", name=re.compile("^Bryggen på Bluesky")).check()
    page.get_by_label("Part 2").fill(THREAD[0])
    page.get_by_role("button", name="Add a part").click()
    page.get_by_label("Part 3").fill(THREAD[1])
    page.get_by_label("Add a file").set_input_files(
        files=[{"name": "sykkel.png", "mimeType": "image/png", "buffer": png(64, 64)}]
    )
    alt = page.get_by_label("Description for people who cannot see it (alt text)")
    alt.fill(ALT)
    zone = ZoneInfo(workspace.timezone)
    planned = (timezone.now() + dt.timedelta(minutes=2)).astimezone(zone)
    planned = planned.replace(second=0, microsecond=0)
    page.get_by_label("Planned for").fill(planned.strftime("%Y-%m-%dT%H:%M"))
    checks = page.locator("#channel-checks")
    checks.locator("article", has_text="Bryggen på Bluesky").wait_for()
    screenshot("e2e-bluesky-composer")
    page.get_by_role("button", name="Approve and schedule").click()
    # (Autosave already put /posts/<id>/edit/ in the address bar, so wait for the answer.)
    page.get_by_text("Approved and scheduled on 1 channel.").wait_for()
    post_id = int(re.findall(r"/posts/(\d+)/edit/$", page.url)[0])
    page.get_by_role("link", name="Status per channel").click()
    status = page.locator("#deliveries")
    status.get_by_role("heading", name=re.compile("Bryggen på Bluesky")).wait_for()
    screenshot("e2e-bluesky-scheduled")

    # The worker: nothing is due before the planned time; at it, the post goes out once.
    assert not engine.publish_one(worker="e2e", now=timezone.now())
    due = planned.astimezone(dt.UTC) + dt.timedelta(seconds=1)
    assert engine.publish_one(worker="e2e", now=due)
    assert not engine.publish_one(worker="e2e", now=due + dt.timedelta(minutes=1))

    # On the PDS: the head with its image and alt text, and the two parts under it, once.
    records = list_posts(bluesky_network, brand.did)
    assert sorted(r["value"]["text"] for r in records) == sorted([HEAD, *THREAD])
    [head] = [r for r in records if r["value"]["text"] == HEAD]
    [image] = get_record(bluesky_network, head["uri"])["value"]["embed"]["images"]
    assert image["alt"] == ALT
    assert image["image"]["mimeType"] in {"image/png", "image/jpeg"}
    parts = sorted((r for r in records if r is not head), key=lambda r: r["value"]["createdAt"])
    assert [r["value"]["text"] for r in parts] == THREAD
    assert all(r["value"]["reply"]["root"]["uri"] == head["uri"] for r in parts)
    assert parts[1]["value"]["reply"]["parent"]["uri"] == parts[0]["uri"]

    # Varde's status page says it is published and links to the post on the network.
    page.goto(f"/w/{workspace.slug}/publishing/posts/{post_id}/")
    heading = page.locator("#deliveries h2", has_text="Bryggen på Bluesky")
    assert heading.locator(".status-ok").inner_text() == "Published"
    link = page.get_by_role("link", name="View on the network")
    link.wait_for()
    rkey = head["uri"].rsplit("/", 1)[1]
    assert link.get_attribute("href") == f"https://bsky.app/profile/{brand.handle}/post/{rkey}"
    screenshot("e2e-bluesky-published")

    # The channel's health shows the success too.
    page.get_by_role("link", name="Channels").first.click()
    row = page.get_by_role("row", name=re.compile("Bryggen på Bluesky"))
    assert brand.handle in row.inner_text()
    assert "Never" not in row.inner_text()
