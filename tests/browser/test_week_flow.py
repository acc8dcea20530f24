"""Issue 5, item 8, end to end: one week's work across the composer, the policy guard, the review
queue, the calendar, a client's review link and the publishing engine.

A contributor (working in bokmål) writes a paid post for two sandbox channels, is stopped by the
guard (a banned phrase, no advertising label), fixes the text and sends it for review; an editor
(in English) approves it, finds it in the calendar, drags it to the next day and then moves it
once more by keyboard; a client approves another post through a signed link. The engine then
runs in-process: nothing goes out at the original time, and at the moved time each sandbox
channel receives the post exactly once.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, WorkspaceFactory, member
from varde.approvals import services as approvals
from varde.channels.models import ConnectedAccount
from varde.content.choices import ApprovalState
from varde.content.models import Campaign, Post
from varde.content.services import post_create
from varde.lib.timeutil import local_to_utc, utc_to_local
from varde.policy.guard import guard_check_post
from varde.publishing import services as publishing
from varde.publishing.choices import DeliveryState
from varde.publishing.engine import publish_one
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import Network, StrategyPlan, TermRule, TermSeverity
from varde.strategy.tests.factories import ChannelFactory

from .fixtures import ARTIFACTS

if TYPE_CHECKING:
    from varde.publishing.models import Delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

ZONE = "Europe/Oslo"
BANNED = "100 % trygg"
FIRST_DRAFT = "Nye el-sykler i butikken – 100 % trygg i trafikken! Kom innom denne uken."
FIXED_TEXT = "Annonse: Nye el-sykler i butikken – trygge i trafikken. Kom innom denne uken."


@pytest.fixture
def week(transactional_db):
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="en", timezone=ZONE)
    editor = member(shop, Role.EDITOR, email="eva@example.test", full_name="Eva Editor")
    writer = member(shop, Role.CONTRIBUTOR, email="cora@example.test", full_name="Cora Writer")
    StrategyPlan.objects.create(workspace=shop)
    TermRule.objects.create(
        workspace=shop, term=BANNED, severity=TermSeverity.BLOCK, note="No bike is"
    )
    first = sandbox_channel_create(workspace=shop, label="Sandbox Nord", actor=editor)
    second = sandbox_channel_create(workspace=shop, label="Sandbox Sør", actor=editor)
    # A Wednesday at least a week ahead, so its Thursday and Friday are in the same row.
    today = utc_to_local(dt.datetime.now(dt.UTC), ZONE).date()
    wednesday = today + dt.timedelta(days=7 + (2 - today.weekday()) % 7)
    # Another post, already in review, that the client approves through a link.
    other = post_create(workspace=shop, author=writer, text="Vinterservice: book en time nå.")
    publishing.delivery_plan(
        post=other,
        channel=first,
        at=local_to_utc(dt.datetime.combine(wednesday, dt.time(12, 0)), ZONE),
        actor=writer,
    )
    approvals.post_submit_for_review(post=other, actor=writer)
    return {
        "shop": shop,
        "editor": editor,
        "writer": writer,
        "channels": (first, second),
        "other": other,
        "wednesday": wednesday,
    }


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/w/shop/")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _findings(page):
    return page.locator("#policy-findings")


def _local(delivery: Delivery) -> dt.datetime:
    assert delivery.scheduled_at is not None
    return utc_to_local(delivery.scheduled_at, ZONE).replace(tzinfo=None)


def test_a_week_from_draft_to_sandbox(page, browser, live_server, settings, week):
    settings.BASE_URL = live_server.url
    editor, writer = week["editor"], week["writer"]
    first, second = week["channels"]
    wednesday = week["wednesday"]
    thursday, friday = wednesday + dt.timedelta(days=1), wednesday + dt.timedelta(days=2)
    page.set_viewport_size({"width": 1280, "height": 1600})

    # --- The contributor switches to bokmål and writes the post. --------------------------
    _log_in(page, writer)
    page.get_by_role("button", name="Norsk").click()
    page.get_by_role("button", name="Logg ut").wait_for()
    writer.refresh_from_db()
    assert writer.language == "nb"

    page.goto("/w/shop/posts/new/")
    assert page.get_by_role("heading", name="Regelsjekk").is_visible()
    page.get_by_label("Tekst", exact=True).fill(FIRST_DRAFT)
    page.get_by_role("checkbox", name=re.compile("^Sandbox Nord")).check()
    page.get_by_role("checkbox", name=re.compile("^Sandbox Sør")).check()
    page.get_by_label("Betalt eller sponset").check()
    page.get_by_label("Planlagt til").fill(f"{wednesday.isoformat()}T09:00")

    # The guard, live: the banned phrase and the missing advertising label both stop the post.
    findings = _findings(page)
    findings.locator('[data-code="banned_term"]').wait_for()
    findings.locator('[data-code="ad_disclosure_missing"]').wait_for()
    assert findings.get_by_text("Stopper innlegget:").first.is_visible()
    assert "«100 % trygg»" in findings.inner_text() or BANNED in findings.inner_text()
    _shot(page, "week-composer-blocked-nb")

    # Fixed: the label first, the promise gone. The guard has nothing left to say.
    page.get_by_label("Tekst", exact=True).fill(FIXED_TEXT)
    findings.get_by_text("Ingen problemer: innlegget følger publiseringsreglene.").wait_for()
    page.locator("#save-status").get_by_text(re.compile("Lagret")).wait_for()
    _shot(page, "week-composer-fixed-nb")
    page.get_by_role("button", name="Send til godkjenning").click()
    page.get_by_text("Lagret og sendt til godkjenning.").wait_for()

    post = Post.objects.get(text=FIXED_TEXT)
    assert post.author == writer
    assert post.is_paid
    assert post.approval_state == ApprovalState.IN_REVIEW
    deliveries = list(post.deliveries.order_by("channel__label"))
    assert [d.channel for d in deliveries] == [first, second]
    assert all(d.state == DeliveryState.DRAFT for d in deliveries)
    assert all(_local(d) == dt.datetime.combine(wednesday, dt.time(9, 0)) for d in deliveries)
    assert not guard_check_post(post=post).blocks
    page.context.close()

    # --- The editor approves it from the review queue, in English, in her own browser. ----
    page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    page.set_default_timeout(15000)
    page.set_viewport_size({"width": 1280, "height": 1600})
    _log_in(page, editor)
    page.get_by_role("link", name="Review", exact=True).click()
    card = page.locator("article", has_text="Nye el-sykler i butikken").first
    _shot(page, "week-review-queue")
    # Each channel with its network's name, as in the composer (not the connector's key).
    assert "Sandbox Nord · Sandbox" in card.inner_text()
    card.get_by_label("Comment (optional)").fill("Fin tekst")
    card.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved and scheduled on 2 channels.").wait_for()
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.APPROVED
    assert {d.state for d in post.deliveries.all()} == {DeliveryState.SCHEDULED}

    # --- It shows in the calendar; drag it to Thursday, then move it to Friday by keyboard.
    page.goto(f"/w/shop/calendar/?view=month&date={wednesday.isoformat()}")
    entry = page.locator(
        f'td[data-drop-date="{wednesday.isoformat()}"] [data-move-post="{post.pk}"]'
    ).first
    assert entry.is_visible()
    assert entry.get_by_text("Scheduled").first.is_visible()
    _shot(page, "week-calendar-month")
    entry.drag_to(page.locator(f'td[data-drop-date="{thursday.isoformat()}"]'))
    page.get_by_text(
        f"Moved to {thursday:%A} {thursday.day} {thursday:%B} 09:00 on Sandbox Nord, Sandbox Sør."
    ).wait_for()
    assert {_local(d) for d in post.deliveries.all()} == {
        dt.datetime.combine(thursday, dt.time(9, 0))
    }
    moved = page.locator(
        f'td[data-drop-date="{thursday.isoformat()}"] [data-move-post="{post.pk}"]'
    ).first
    moved.locator("summary").focus()
    page.keyboard.press("Enter")
    moved.get_by_label("New date").fill(friday.isoformat())
    moved.get_by_label("New time").fill("15:45")
    moved.get_by_label("New time").press("Enter")
    page.get_by_text(
        f"Moved to {friday:%A} {friday.day} {friday:%B} 15:45 on Sandbox Nord, Sandbox Sør."
    ).wait_for()
    moved_at = local_to_utc(dt.datetime.combine(friday, dt.time(15, 45)), ZONE)
    assert {d.scheduled_at for d in post.deliveries.all()} == {moved_at}
    # Still approved and scheduled: moving in time needs no new approval.
    assert {d.state for d in post.deliveries.all()} == {DeliveryState.SCHEDULED}
    page.goto(f"/w/shop/calendar/?view=week&date={friday.isoformat()}")
    assert page.locator(f'[data-move-post="{post.pk}"]').first.is_visible()
    _shot(page, "week-calendar-week")

    # --- A client approves the other post through a signed link, with no account. ---------
    page.goto("/w/shop/review/")
    page.get_by_role("link", name="Send posts to a client for review").click()
    page.get_by_label("Vinterservice: book en time nå.").check()
    page.get_by_label("Who it is for (optional)").fill("Kari at Bryggen")
    page.get_by_role("button", name="Create the link").click()
    address = page.get_by_label("Review link").input_value()
    assert address.startswith(live_server.url + "/review/")
    client_context = browser.new_context(locale="en-GB")
    client = client_context.new_page()
    client.set_default_timeout(15000)
    client.goto(address)
    client.get_by_label("Your name").fill("Kari Nordmann")
    client.get_by_role("button", name="Approve").click()
    client.get_by_text("Thank you. The team can see that you approved it.").wait_for()
    client_context.close()
    other = Post.objects.get(pk=week["other"].pk)
    assert other.approval_state == ApprovalState.APPROVED
    assert other.deliveries.get().state == DeliveryState.SCHEDULED

    # --- The engine: nothing at the original time, each channel once at the moved time. ---
    original = local_to_utc(dt.datetime.combine(wednesday, dt.time(9, 0)), ZONE)
    worker = "week-flow-test"
    while publish_one(worker=worker, now=original + dt.timedelta(seconds=1)):
        pass
    assert not SandboxPost.objects.filter(text=FIXED_TEXT).exists()
    # The client's post was due at 12:00 on Wednesday: it goes out before ours.
    while publish_one(worker=worker, now=moved_at - dt.timedelta(seconds=1)):
        pass
    assert not SandboxPost.objects.filter(text=FIXED_TEXT).exists()
    assert SandboxPost.objects.filter(text="Vinterservice: book en time nå.").count() == 1
    sent = 0
    while publish_one(worker=worker, now=moved_at + dt.timedelta(seconds=1)):
        sent += 1
    assert sent == 2
    # Running the engine again finds nothing more to send.
    assert not publish_one(worker=worker, now=moved_at + dt.timedelta(minutes=5))
    for channel in (first, second):
        received = SandboxPost.objects.filter(account=channel.config["account"], text=FIXED_TEXT)
        assert received.count() == 1, channel.label
    for delivery in post.deliveries.all():
        assert delivery.state == DeliveryState.PUBLISHED
        assert delivery.scheduled_at == moved_at

    page.goto(f"/w/shop/publishing/posts/{post.pk}/")
    _shot(page, "week-post-status")


@pytest.fixture
def planned_week(transactional_db):
    """A plan that asks for Instagram on Monday, Wednesday and Friday at 11:00, and a campaign."""
    shop = WorkspaceFactory(name="Bryggen Sykkel", slug="shop", language="nb", timezone=ZONE)
    editor = member(shop, Role.EDITOR, email="eva@example.test", full_name="Eva", language="nb")
    StrategyPlan.objects.create(workspace=shop)
    ChannelFactory(
        workspace=shop,
        network=Network.INSTAGRAM,
        name="@bryggen",
        posts_per_week=Decimal(3),
        days=[0, 2, 4],
        times=["11:00"],
    )
    instagram = ConnectedAccount.objects.create(
        workspace=shop, connector_key="instagram", label="Instagram", handle="@bryggen"
    )
    campaign = Campaign.objects.create(workspace=shop, name="Vårslipp", utm_campaign="vaarslipp")
    today = utc_to_local(dt.datetime.now(dt.UTC), ZONE).date()
    wednesday = today + dt.timedelta(days=7 + (2 - today.weekday()) % 7)
    return editor, instagram, campaign, wednesday


def test_calendar_slot_composer_and_campaign_link_up_in_bokmal(page, planned_week):
    editor, instagram, campaign, wednesday = planned_week
    page.set_viewport_size({"width": 1280, "height": 1600})
    _log_in(page, editor)  # the login page follows the browser (English); then her bokmål

    # An open slot of the plan in the week view opens the composer, channel and time filled in.
    page.goto(f"/w/shop/calendar/?view=week&date={wednesday.isoformat()}")
    _shot(page, "links-calendar-week-nb")
    slot = page.locator(
        f'td a[href*="channel={instagram.pk}"][href*="at={wednesday.isoformat()}T11"]'
    )
    slot.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/posts/new/\?channel="))
    assert page.get_by_role("checkbox", name=re.compile("^Instagram")).is_checked()
    assert page.get_by_label("Planlagt til").input_value() == f"{wednesday.isoformat()}T11:00"

    # The plan meters in the composer's sidebar come from the calendar, in bokmål.
    meters = page.locator("section[aria-labelledby=meters-heading]")
    meters.get_by_text("Innlegg per kanal", exact=False).first.wait_for()
    slot_monday = wednesday - dt.timedelta(days=2)
    assert meters.get_by_text(re.compile(rf"Innlegg per kanal, {slot_monday.day}\. ")).is_visible()
    assert meters.get_by_text("Instagram", exact=False).first.is_visible()

    # "Add to next free slot": the Wednesday slot is free, so it is the next one after today.
    page.get_by_label("Tekst", exact=True).fill("Vårens første tur: bli med på søndag!")
    page.get_by_label("Planlagt til").fill("")
    page.get_by_role("button", name="Legg i neste ledige tid").focus()
    # Let the autosaves of the typing (3 s after the last key) and of the cleared time pass,
    # so that the one below can only come from the chosen slot.
    page.wait_for_timeout(3500)
    # The chosen time saves itself like any other change (no click on "Save draft").
    with page.expect_response(
        lambda r: "/autosave/" in r.url and "planned_at=2" in (r.request.post_data or "")
    ) as autosaved:
        page.keyboard.press("Enter")
    page.get_by_text("Neste ledige tid i planen for Instagram", exact=False).wait_for()
    chosen = page.get_by_label("Planlagt til").input_value()
    assert chosen.endswith("T11:00")
    assert dt.date.fromisoformat(chosen[:10]).weekday() in {0, 2, 4}
    assert f"planned_at={quote(chosen)}" in (autosaved.value.request.post_data or "")
    assert "Lagret kl." in autosaved.value.text()
    # The plan meters move to the week of the chosen time.
    monday = dt.date.fromisoformat(chosen[:10])
    monday -= dt.timedelta(days=monday.weekday())
    meters.get_by_text(re.compile(rf"Innlegg per kanal, {monday.day}\. ")).wait_for()
    page.get_by_label("Kampanje").select_option(label="Vårslipp")
    page.get_by_role("button", name="Lagre utkast").click()
    page.get_by_text("Utkastet er lagret.").wait_for()
    _shot(page, "links-composer-nb")
    post = Post.objects.get()
    assert post.campaign == campaign
    assert (
        utc_to_local(post.deliveries.get().scheduled_at, ZONE).strftime("%Y-%m-%dT%H:%M") == chosen
    )

    # The campaign page lists the post on its channel.
    page.goto(f"/w/shop/campaigns/{campaign.pk}/")
    assert page.get_by_text("Vårens første tur", exact=False).first.is_visible()
    _shot(page, "links-campaign-nb")
