"""What was read back, shown: the inbox list and the post status page, by role and workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.analytics.models import MetricSnapshot
from varde.analytics.tests.conftest import NOW, bluesky_channel, published
from varde.inbox.choices import ItemKind
from varde.inbox.models import InboxItem

pytestmark = pytest.mark.django_db


def _reply(channel, delivery=None, text="Så fint! <script>alert(1)</script>", network_id="r1"):
    return InboxItem.objects.create(
        workspace=channel.workspace,
        channel=channel,
        network_id=network_id,
        kind=ItemKind.COMMENT,
        author_handle="kari.bsky.social",
        author_name="Kari",
        text=text,
        url="https://bsky.app/profile/kari.bsky.social/post/r1",
        created_at=NOW,
        in_reply_to=delivery.network_post_id if delivery else "",
        delivery=delivery,
        received_at=NOW,
    )


@pytest.mark.parametrize("role", list(Role))
def test_the_inbox_lists_what_was_read_escaped_for_every_role(client_as, workspace, owner, role):
    channel = bluesky_channel(workspace, owner)
    _reply(channel)
    page = client_as(member(workspace, role)).get(
        reverse("inbox:list", kwargs={"workspace": workspace.slug})
    )
    if role == Role.CLIENT_REVIEWER:
        assert page.status_code in (403, 404)
        return
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kari" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "Not built yet" in body


def test_the_inbox_shows_only_its_own_workspace(client_as, workspace, other_workspace, owner):
    theirs = bluesky_channel(other_workspace, member(other_workspace, Role.OWNER), label="Theirs")
    _reply(theirs, text="Hemmelig svar")
    bluesky_channel(workspace, owner)
    body = (
        client_as(owner)
        .get(reverse("inbox:list", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "Hemmelig svar" not in body
    assert "Theirs" not in body
    assert "Not read yet." in body


def test_the_post_status_page_shows_metrics_or_not_read_yet(client_as, workspace, owner):
    channel = bluesky_channel(workspace, owner)
    delivery = published(channel)
    url = reverse(
        "publishing:post_status", kwargs={"workspace": workspace.slug, "post_id": delivery.post_id}
    )
    body = client_as(owner).get(url).content.decode()
    assert "Not read yet" in body

    MetricSnapshot.objects.create(
        workspace=workspace, delivery=delivery, fetched_at=NOW - timedelta(hours=1), likes=1
    )
    MetricSnapshot.objects.create(
        workspace=workspace, delivery=delivery, fetched_at=NOW, likes=7, replies=1
    )
    _reply(channel, delivery)
    body = client_as(owner).get(url).content.decode()
    assert "Not read yet" not in body
    assert "<dt>Likes</dt><dd>7</dd>" in body  # the latest reading, not the first
    assert "the network does not say" in body  # views: Bluesky has none, and no 0 is made up
    assert "&lt;script&gt;" in body


def test_a_network_without_replies_says_so(client_as, workspace, owner):
    from varde.channels.services import channel_connect

    channel_connect(workspace=workspace, connector_key="sandbox", label="Sandbox")
    body = (
        client_as(owner)
        .get(reverse("inbox:list", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "Varde cannot read replies or mentions from this network." in body
