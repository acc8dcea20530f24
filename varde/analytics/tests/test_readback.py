"""Reading metrics and replies back: stored once, the cursor moves, the cadence slows down
with age, and the typed errors do what they say."""

from __future__ import annotations

from datetime import timedelta

import pytest

from varde.analytics import services
from varde.analytics.models import MetricSnapshot
from varde.analytics.readback import readback_run
from varde.analytics.selectors import latest_metrics
from varde.channels.choices import ChannelStatus
from varde.connectors.contracts import Mention, MentionKind, Page
from varde.inbox.models import InboxCursor, InboxItem
from varde.inbox.selectors import replies_to_deliveries
from varde.inbox.services import inbox_store_page

from .conftest import HEAD_URI, NOW, XRPC, bluesky_channel, fixture, published

pytestmark = pytest.mark.django_db


def test_metrics_and_replies_are_read_back_and_linked_to_the_delivery(
    workspace, owner, bluesky_routes
):
    channel = bluesky_channel(workspace, owner)
    delivery = published(channel)

    [result] = readback_run(now=NOW)

    assert result.problems == []
    [snapshot] = result.snapshots
    assert (snapshot.likes, snapshot.reposts, snapshot.replies, snapshot.quotes) == (42, 5, 3, 1)
    assert snapshot.views is None  # Bluesky does not say; never shown as 0
    assert latest_metrics(workspace=workspace, delivery_ids=[delivery.pk])[delivery.pk] == snapshot
    assert {item.kind for item in result.items} == {MentionKind.MENTION, MentionKind.COMMENT}
    replies = replies_to_deliveries(workspace=workspace, delivery_ids=[delivery.pk])[delivery.pk]
    # Kari's reply came as a notification; Lise's only from the thread, read because the post
    # counts 3 replies and the notifications gave one. Varde's own thread part is left out.
    assert sorted(reply.author_handle for reply in replies) == [
        "kari.bsky.social",
        "lise.bsky.social",
    ]
    assert {reply.in_reply_to for reply in replies} == {HEAD_URI}
    assert InboxCursor.objects.get(channel=channel).cursor == "2025-01-01T10:05:01.000Z"


def test_reading_twice_stores_nothing_twice(workspace, owner, bluesky_routes):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    readback_run(now=NOW)
    [again] = readback_run(now=NOW + timedelta(minutes=15))

    assert again.snapshots == []  # not due yet: read hourly on the first day
    assert again.items == []
    assert InboxItem.objects.count() == 3
    assert MetricSnapshot.objects.count() == 1
    # The second poll starts at the newest page again; what it finds there is known already.
    assert bluesky_routes["mentions"].calls[1].request.url.params.get("cursor") is None


def test_the_same_page_stored_twice_keeps_one_row_per_item(workspace, owner):
    channel = bluesky_channel(workspace, owner)
    mention = Mention(
        id="at://x/app.bsky.feed.post/1",
        kind=MentionKind.MENTION,
        author_handle="kari.bsky.social",
        author_name="Kari",
        text="Hei @varde!",
        url="https://bsky.app/profile/kari.bsky.social/post/1",
        created_at=NOW,
    )
    page = Page(items=(mention, mention), cursor="c1")
    assert len(inbox_store_page(channel=channel, page=page, now=NOW)) == 1
    assert inbox_store_page(channel=channel, page=page, now=NOW) == []
    assert InboxItem.objects.filter(channel=channel).count() == 1


def test_the_cursor_is_sent_on_the_next_read(workspace, owner, bluesky_routes):
    channel = bluesky_channel(workspace, owner)
    InboxCursor.objects.create(channel=channel, cursor="2025-01-01T10:12:00.000Z")
    [result] = readback_run(now=NOW)
    # The connector reads back to ten minutes before the cursor: only the reply is that new.
    assert [item.kind for item in result.items] == [MentionKind.COMMENT]


def test_the_cadence_slows_down_as_posts_age():
    assert services.metrics_interval(timedelta(hours=3)) == timedelta(hours=1)
    assert services.metrics_interval(timedelta(days=3)) == timedelta(hours=6)
    assert services.metrics_interval(timedelta(days=20)) == timedelta(days=1)
    assert services.metrics_interval(timedelta(days=31)) is None


def test_which_posts_are_due(workspace, owner):
    channel = bluesky_channel(workspace, owner)
    young = published(channel, network_post_id="at://a/1", at=NOW - timedelta(hours=2))
    week_old = published(channel, network_post_id="at://a/2", at=NOW - timedelta(days=3))
    published(channel, network_post_id="at://a/3", at=NOW - timedelta(days=40))  # too old
    MetricSnapshot.objects.create(
        workspace=workspace, delivery=week_old, fetched_at=NOW - timedelta(hours=2)
    )
    assert services.metrics_due(channel=channel, now=NOW) == [young]
    assert services.metrics_due(channel=channel, now=NOW, force=True) == [week_old, young]
    later = NOW + timedelta(hours=5)
    assert services.metrics_due(channel=channel, now=later) == [week_old, young]


def test_an_expired_token_that_cannot_be_refreshed_needs_a_reconnect(
    workspace, owner, respx_mock, django_capture_on_commit_callbacks, mailoutbox
):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    respx_mock.get(f"{XRPC}app.bsky.feed.getPosts").respond(
        400, json=fixture("bluesky", "error_expired_token")
    )
    respx_mock.post(f"{XRPC}com.atproto.server.refreshSession").respond(
        400, json=fixture("bluesky", "error_expired_token")
    )
    mentions = respx_mock.get(f"{XRPC}app.bsky.notification.listNotifications")

    with django_capture_on_commit_callbacks(execute=True):
        [result] = readback_run(now=NOW)

    assert result.stopped == "auth"
    assert not mentions.called
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert len(mailoutbox) == 1
    # A later round leaves the channel alone until someone reconnects it.
    assert readback_run(now=NOW + timedelta(hours=1)) == []


def test_a_stale_token_is_refreshed_and_the_channel_stays_connected(
    workspace, owner, respx_mock, mailoutbox
):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    respx_mock.get(f"{XRPC}app.bsky.feed.getPosts").respond(
        400, json=fixture("bluesky", "error_expired_token")
    )
    refresh = respx_mock.post(f"{XRPC}com.atproto.server.refreshSession").respond(
        json=fixture("bluesky", "refreshSession")
    )

    [result] = readback_run(now=NOW)

    assert result.stopped == "auth"
    assert refresh.call_count == 1
    assert "refreshed" in result.problems[0]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert mailoutbox == []


def test_a_rate_limit_stops_the_channel_for_this_round(workspace, owner, respx_mock):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    respx_mock.get(f"{XRPC}app.bsky.feed.getPosts").respond(
        429, json=fixture("bluesky", "error_rate_limit"), headers={"Retry-After": "60"}
    )
    mentions = respx_mock.get(f"{XRPC}app.bsky.notification.listNotifications")

    [result] = readback_run(now=NOW)

    assert result.stopped == "rate_limited"
    assert not mentions.called
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert MetricSnapshot.objects.count() == 0


def test_a_failed_metrics_read_still_reads_the_inbox(workspace, owner, respx_mock):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    respx_mock.get(f"{XRPC}app.bsky.feed.getPosts").respond(
        502, json=fixture("bluesky", "error_upstream")
    )
    respx_mock.get(f"{XRPC}app.bsky.notification.listNotifications").respond(
        json=fixture("bluesky", "listNotifications")
    )
    respx_mock.get(f"{XRPC}app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    [result] = readback_run(now=NOW)
    assert result.problems
    assert not result.stopped
    assert len(result.items) == 2


def test_channels_of_other_workspaces_are_left_alone(
    workspace, other_workspace, owner, bluesky_routes
):
    bluesky_channel(other_workspace, owner, label="Other")
    assert readback_run(now=NOW, workspace=workspace) == []
    assert not bluesky_routes["metrics"].called


def test_the_periodic_task_runs_once_while_locked(workspace, owner, bluesky_routes):
    from huey.contrib.djhuey import HUEY

    from varde.analytics.tasks import READBACK_LOCK, channels_read_back

    channel = bluesky_channel(workspace, owner)
    published(channel)
    with HUEY.lock_task(READBACK_LOCK):
        channels_read_back()  # another worker holds the lock: nothing happens
    assert not bluesky_routes["mentions"].called
    channels_read_back()
    assert InboxItem.objects.filter(channel=channel).count() == 2


def test_a_post_whose_replies_are_all_held_is_not_read_again(workspace, owner, bluesky_routes):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    answer = fixture("bluesky", "getPosts")
    answer["posts"][0]["replyCount"] = 1  # only Kari's, which the notifications give
    bluesky_routes["metrics"].respond(json=answer)

    [result] = readback_run(now=NOW)

    assert result.problems == []
    assert not bluesky_routes["thread"].called
    assert InboxItem.objects.filter(kind=MentionKind.COMMENT).count() == 1


def test_a_failing_thread_read_keeps_what_the_notifications_gave(workspace, owner, bluesky_routes):
    channel = bluesky_channel(workspace, owner)
    published(channel)
    bluesky_routes["thread"].respond(
        status_code=502, json={"error": "UpstreamFailure", "message": "AppView unavailable"}
    )

    [result] = readback_run(now=NOW)

    assert len(result.problems) == 1
    assert len(result.snapshots) == 1
    assert InboxItem.objects.count() == 2  # the mention and Kari's reply
