"""Two people on one conversation: each sees the other viewing and writing, and a send that
would cross a reply that came in meanwhile asks first (issue 13, item 4)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import log_in
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.inbox.models import Reply
from varde.inbox.tests.conftest import arrive
from varde.sandbox.services import sandbox_channel_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_presence_and_the_crossing_question(page, browser, live_server, screenshot):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en")
    owner = member(shop, Role.OWNER, email="ola@example.test", full_name="Ola Nordmann")
    kari = member(shop, Role.EDITOR, email="kari@example.test", full_name="Kari Nordmann")
    channel = sandbox_channel_create(workspace=shop, actor=owner, simulated_people=True)
    item = arrive(channel, text="Har dere åpent i dag?")
    url = f"/w/shop/inbox/c/{item.conversation_id}/"

    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    kari_page = other.new_page()
    kari_page.set_default_timeout(15000)
    try:
        log_in(kari_page, kari, shop)
        kari_page.goto(url)
        kari_page.get_by_label("Your reply").fill("Ja, til fire.")  # "writing" at once

        log_in(page, owner, shop)
        page.goto(url)
        assert page.get_by_text("Kari is writing").is_visible()
        # Kari's page learns of Ola at its next ping (every 15 s).
        kari_page.get_by_text("Ola is viewing").wait_for(timeout=20000)

        page.get_by_label("Your reply").fill("Hei! Ja, vi har åpent.")
        arrive(channel, text="Glem det, fant svaret selv")  # arrives while Ola writes
        page.get_by_role("button", name="Send", exact=True).click()
        assert page.get_by_text("A newer reply arrived while you wrote: send anyway?").is_visible()
        assert page.get_by_text("Glem det, fant svaret selv").is_visible()
        assert page.get_by_label("Your reply").input_value() == "Hei! Ja, vi har åpent."
        assert not Reply.objects.exists()
        screenshot("inbox-crossing-question")
        page.get_by_role("button", name="Send anyway").click()
        assert page.get_by_text("Sent.").is_visible()
        assert Reply.objects.get().text.startswith("Hei! Ja, vi har åpent.")
    finally:
        other.close()
