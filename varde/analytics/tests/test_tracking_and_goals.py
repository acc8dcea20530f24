"""Item 1-3 of analytics: sandbox metrics and rollups, short links, conversions, goals."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from varde.analytics import links
from varde.analytics.choices import Metric, MetricSource
from varde.analytics.daily import sandbox_history_seed
from varde.analytics.forecast import outlook
from varde.analytics.models import (
    Conversion,
    DailyMetric,
    DailyRollup,
    GoalReading,
    LinkClick,
    ShortLink,
    VisitorSalt,
)
from varde.analytics.readback import readback_run
from varde.analytics.tests.conftest import published
from varde.content import selectors as content_selectors
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import SocialGoal

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126"
ADDRESS = "203.0.113.9"


def _sandbox_published(workspace, owner, *, hours_ago: int = 5):
    channel = sandbox_channel_create(workspace=workspace, actor=owner, stands_in_for="instagram")
    account = channel.config["account"]
    post = SandboxPost.objects.create(
        account=account, network_post_id="sbx1", idempotency_key="k1", fingerprint="f", text="Hei"
    )
    SandboxPost.objects.filter(pk=post.pk).update(
        received_at=timezone.now() - dt.timedelta(hours=hours_ago)
    )
    delivery = published(
        channel, network_post_id="sbx1", at=timezone.now() - dt.timedelta(hours=hours_ago)
    )
    return channel, delivery


def test_sandbox_metrics_are_read_stored_daily_and_rolled_up(workspace, owner):
    channel, delivery = _sandbox_published(workspace, owner)
    [result] = readback_run(now=timezone.now(), workspace=workspace)
    assert result.snapshots
    assert result.snapshots[0].views > 0
    followers = DailyMetric.objects.get(channel=channel, delivery=None, metric=Metric.FOLLOWERS)
    assert followers.value > 0
    assert followers.source == MetricSource.SANDBOX
    assert followers.raw["followers"] == followers.value
    views = DailyMetric.objects.get(delivery=delivery, metric=Metric.VIEWS)
    assert views.value == result.snapshots[0].views
    rollup = DailyRollup.objects.get(workspace=workspace, metric=Metric.VIEWS)
    assert rollup.value == views.value
    assert rollup.posts == 1


def test_sandbox_post_page_shows_its_reading(client, workspace, owner):
    _channel, delivery = _sandbox_published(workspace, owner)
    readback_run(now=timezone.now(), workspace=workspace)
    client.force_login(owner)
    page = client.get(
        reverse(
            "publishing:post_status",
            kwargs={"workspace": workspace.slug, "post_id": delivery.post_id},
        )
    ).content.decode()
    assert "Not read yet" not in page
    assert "Read from the network" in page


def test_account_read_error_is_stored(workspace, owner, monkeypatch):
    from varde.connectors.errors import Transient
    from varde.sandbox.connector import SandboxConnector

    channel, _delivery = _sandbox_published(workspace, owner)

    def broken(self):
        raise Transient("down for maintenance", status=503)

    monkeypatch.setattr(SandboxConnector, "get_account", broken)
    [result] = readback_run(now=timezone.now(), workspace=workspace)
    row = DailyMetric.objects.get(channel=channel, delivery=None, metric=Metric.FOLLOWERS)
    assert row.value is None
    assert "maintenance" in row.error
    assert result.snapshots  # the posts were still read


# --- Short links ---------------------------------------------------------------------------------


@pytest.fixture
def short_links_on(settings):
    settings.SHORT_LINKS = True
    settings.BASE_URL = "https://varde.example"


def _post_with_link(workspace, owner):
    channel, delivery = _sandbox_published(workspace, owner)
    post = delivery.post
    post.link_url = "https://bryggensykkel.test/service"
    post.text = (
        "Service i dag: https://bryggensykkel.test/a-very-long-page-about-our-autumn-service"
    )
    post.save()
    return channel, post


def test_links_go_out_as_short_links_with_utm(short_links_on, workspace, owner):
    channel, post = _post_with_link(workspace, owner)
    content = content_selectors.post_content_for(post=post, channel=channel)
    assert content.link.startswith("https://varde.example/l/")
    link = ShortLink.objects.get(code=content.link.rsplit("/", 1)[1])
    assert link.target_url.startswith("https://bryggensykkel.test/service?utm_source=")
    assert "https://varde.example/l/" in content.text  # the long link in the text too
    again = content_selectors.post_content_for(post=post, channel=channel)
    assert again.link == content.link  # made once


def test_short_links_off_leave_the_link(settings, workspace, owner):
    settings.SHORT_LINKS = False
    channel, post = _post_with_link(workspace, owner)
    content = content_selectors.post_content_for(post=post, channel=channel)
    assert "/l/" not in content.link
    assert "utm_source" in content.link


def test_redirect_counts_a_click_without_storing_the_address(
    short_links_on, client, workspace, owner
):
    channel, post = _post_with_link(workspace, owner)
    content = content_selectors.post_content_for(post=post, channel=channel)
    path = content.link.removeprefix("https://varde.example")
    response = client.get(path, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    assert response["Location"].startswith("https://bryggensykkel.test/service?utm_source=")
    assert not response.cookies
    click = LinkClick.objects.get()
    stored = json.dumps(
        [list(row) for row in LinkClick.objects.values_list()], default=str
    ) + json.dumps([list(row) for row in ShortLink.objects.values_list()], default=str)
    assert ADDRESS not in stored
    assert "Chrome" not in stored
    assert len(click.visitor) == 64
    assert DailyRollup.objects.get(metric=Metric.CLICKS).value == 1


def test_bots_are_not_counted(short_links_on, client, workspace, owner):
    channel, post = _post_with_link(workspace, owner)
    path = content_selectors.post_content_for(post=post, channel=channel).link.removeprefix(
        "https://varde.example"
    )
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1)", "facebookexternalhit/1.1", ""):
        assert client.get(path, HTTP_USER_AGENT=agent).status_code == 302
    assert not LinkClick.objects.exists()


def test_unknown_short_link_is_404(client, db):
    assert client.get("/l/nothing").status_code == 404


def test_salts_rotate_daily_and_are_deleted_after_two_days(db):
    monday = dt.date(2026, 3, 2)
    first = links.visitor_hash(day=monday, address=ADDRESS, user_agent=BROWSER, workspace_id=1)
    again = links.visitor_hash(day=monday, address=ADDRESS, user_agent=BROWSER, workspace_id=1)
    tuesday = monday + dt.timedelta(days=1)
    next_day = links.visitor_hash(day=tuesday, address=ADDRESS, user_agent=BROWSER, workspace_id=1)
    assert first == again
    assert first != next_day
    assert links.salts_prune(today=tuesday) == 0
    assert links.salts_prune(today=monday + dt.timedelta(days=2)) == 1
    assert list(VisitorSalt.objects.values_list("day", flat=True)) == [tuesday]


# --- Conversions ---------------------------------------------------------------------------------


def _post_conversion(client, workspace, body: bytes, *, secret=None, at=None):
    key = links.tracking_key_of(workspace=workspace)
    stamp = str(int(at if at is not None else time.time()))
    secret = secret or links.conversion_secret(workspace=workspace)
    return client.post(
        reverse("links:conversion", kwargs={"pixel_id": key.pixel_id}),
        data=body,
        content_type="application/json",
        HTTP_X_VARDE_TIMESTAMP=stamp,
        HTTP_X_VARDE_SIGNATURE=links.sign(secret=secret, timestamp=stamp, body=body),
    )


def test_signed_conversion_is_stored_once(client, workspace):
    body = json.dumps({"kind": "customer", "value": "1290.00", "id": "order-1"}).encode()
    assert _post_conversion(client, workspace, body).status_code == 201
    assert _post_conversion(client, workspace, body).status_code == 201
    conversion = Conversion.objects.get()
    assert conversion.value == Decimal("1290.00")
    assert conversion.kind == "customer"


def test_wrong_signature_or_old_timestamp_is_refused(client, workspace):
    body = json.dumps({"kind": "customer"}).encode()
    assert _post_conversion(client, workspace, body, secret="wrong").status_code == 401
    old = time.time() - 3600
    assert _post_conversion(client, workspace, body, at=old).status_code == 401
    assert not Conversion.objects.exists()


def test_pixel_ties_a_conversion_to_todays_click(short_links_on, client, workspace, owner):
    channel, post = _post_with_link(workspace, owner)
    path = content_selectors.post_content_for(post=post, channel=channel).link.removeprefix(
        "https://varde.example"
    )
    client.get(path, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)
    key = links.tracking_key_of(workspace=workspace)
    response = client.get(
        reverse("links:pixel", kwargs={"pixel_id": key.pixel_id}) + "?kind=customer&value=500",
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=ADDRESS,
    )
    assert response["Content-Type"] == "image/gif"
    assert not response.cookies
    conversion = Conversion.objects.get()
    assert conversion.link is not None
    assert conversion.link.post_id == post.pk


# --- Goals ---------------------------------------------------------------------------------------


def test_short_data_gives_a_pace_line_and_says_so():
    start = dt.date(2026, 3, 1)
    series = [(start + dt.timedelta(days=i), 800.0 + 3 * i) for i in range(10)]
    result = outlook(series=series, target=1500, deadline=dt.date(2026, 12, 31), today=start)
    assert result.method == "pace"
    assert result.chance is None
    assert result.pace_kept_per_week == pytest.approx(21.0)


def test_long_data_gives_a_damped_forecast_with_a_chance():
    start = dt.date(2026, 1, 1)
    series = [(start + dt.timedelta(days=i), 800.0 + 3 * i + (i % 5)) for i in range(60)]
    result = outlook(series=series, target=900, deadline=dt.date(2026, 6, 30), today=start)
    assert result.status == "reached"
    result = outlook(series=series, target=1200, deadline=dt.date(2026, 6, 30), today=start)
    assert result.method == "forecast"
    assert 0 <= result.chance <= 1
    assert result.status in {"on_track", "at_risk", "off_track"}


def _goal(workspace, **kwargs):
    defaults = {
        "title": "Instagram 800 → 1,500",
        "metric": "followers",
        "baseline": Decimal(800),
        "target": Decimal(1500),
        "deadline": dt.date(2027, 6, 30),
    }
    return SocialGoal.objects.create(workspace=workspace, **(defaults | kwargs))


def test_dashboard_shows_goals_with_provenance_and_early_words(client, workspace, owner):
    _sandbox_published(workspace, owner)
    sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=10)
    _goal(workspace, target=Decimal(50000))  # far beyond the sandbox's curve: not reached
    client.force_login(owner)
    page = client.get(reverse("analytics:overview", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sandbox data" in html
    assert "sandbox data" in html
    assert "It is early" in html
    assert 'type="application/json"' in html
    assert "data-chart-spec" in html
    assert "vega-embed" in html
    assert "The numbers as a table" in html


def test_goal_without_source_asks_for_the_number_and_takes_it(client, workspace, owner):
    goal = _goal(workspace, title="Svar innen 2 timer", metric="response_time", target=Decimal(2))
    client.force_login(owner)
    url = reverse("analytics:overview", kwargs={"workspace": workspace.slug})
    assert "enter the number with its date" in client.get(url).content.decode()
    response = client.post(
        reverse("analytics:goal_reading", kwargs={"workspace": workspace.slug, "goal_id": goal.pk}),
        {"day": "2026-03-01", "value": "3.5", "note": ""},
    )
    assert response.status_code == 302
    assert GoalReading.objects.get(goal=goal).value == Decimal("3.5")


def test_analytics_area_is_built(client, workspace, owner):
    client.force_login(owner)
    page = client.get(reverse("analytics:links", kwargs={"workspace": workspace.slug}))
    assert page.status_code == 200
    assert "not built yet" not in page.content.decode().lower()


def test_cli_goals_json(workspace, owner, capsys):
    from varde.cli import main

    _sandbox_published(workspace, owner)
    with time_machine.travel(timezone.now(), tick=False):
        sandbox_history_seed(workspace=workspace, today=timezone.localdate(), days=40)
    _goal(workspace, target=Decimal(50000))
    assert main(["analytics", "goals", "--workspace", workspace.slug, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [goal] = data["goals"]
    assert goal["metric"] == "followers"
    assert goal["target"] == 50000
    assert goal["actual"] > 0
    assert goal["method"] in {"forecast", "none"}
    assert goal["status"] in {"on_track", "at_risk", "off_track", "reached"}
    assert "sandbox" in goal["sources"]
