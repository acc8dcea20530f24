"""The channel pages by role, workspace isolation, pause/resume and disconnect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels import services
from varde.channels.choices import ChannelStatus
from varde.channels.models import ConnectedAccount
from varde.connectors.contracts import Credentials
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_schedule
from varde.sandbox.services import sandbox_channel_create

from .conftest import fixture

pytestmark = pytest.mark.django_db

PDS = "https://pds.example"


@pytest.fixture
def channel(workspace, owner):
    return services.channel_connect(
        workspace=workspace,
        connector_key="bluesky",
        label="Bluesky <b>",
        handle="varde.bsky.social",
        credentials=Credentials(
            access_token="a", refresh_token="r", expires_at=datetime(2030, 1, 1, tzinfo=UTC)
        ),
        config={"service": PDS},
        actor=owner,
    )


def test_list_and_detail_show_health_and_limits(client_as, channel, workspace):
    analyst = member(workspace, Role.ANALYST)
    client = client_as(analyst)
    listing = client.get("/w/acme/channels/")
    assert listing.status_code == 200
    assert b"Bluesky &lt;b&gt;" in listing.content  # escaped
    assert b"Connect a channel" not in listing.content  # an analyst only looks
    detail = client.get(f"/w/acme/channels/{channel.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "300" in text  # Bluesky's text limit, from the connector
    assert "Image descriptions (alt text)" in text
    assert "varde.bsky.social" in text
    assert "Reconnect" not in text


def test_roles_only_channel_managers_connect_or_change(client_as, channel, editor, owner):
    editor_client = client_as(editor)
    for url in (
        "/w/acme/channels/connect/",
        "/w/acme/channels/connect/bluesky/",
        f"/w/acme/channels/{channel.pk}/reconnect/",
        f"/w/acme/channels/{channel.pk}/disconnect/",
    ):
        assert editor_client.get(url).status_code == 403, url
    assert editor_client.post(f"/w/acme/channels/{channel.pk}/pause/").status_code == 403
    owner_client = client_as(owner)
    assert owner_client.get("/w/acme/channels/connect/").status_code == 200
    assert owner_client.get("/w/acme/channels/connect/bluesky/").status_code == 200
    assert owner_client.get("/w/acme/channels/connect/nosuchnetwork/").status_code == 404


def test_workspace_isolation(client_as, channel, other_workspace):
    outsider = member(other_workspace, Role.OWNER)
    client = client_as(outsider)
    assert client.get(f"/w/acme/channels/{channel.pk}/").status_code == 404
    # Their own workspace does not see Acme's channel either.
    assert client.get(f"/w/rival/channels/{channel.pk}/").status_code == 404
    assert b"Bluesky" not in client.get("/w/rival/channels/").content
    assert client.post(f"/w/rival/channels/{channel.pk}/disconnect/").status_code == 404
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED


def test_connect_bluesky_through_the_page(client_as, owner, respx_mock):
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        json=fixture("bluesky", "createSession")
    )
    respx_mock.get(f"{PDS}/xrpc/app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    response = client_as(owner).post(
        "/w/acme/channels/connect/bluesky/",
        {
            "method": "credentials",
            "service": PDS,
            "handle": "varde.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
            "label": "Varde på Bluesky",
        },
    )
    channel = ConnectedAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/acme/channels/{channel.pk}/plan/?new=1"
    assert channel.label == "Varde på Bluesky"


def test_wrong_credentials_keep_the_form_but_not_the_secret(client_as, owner, respx_mock):
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        401, json=fixture("bluesky", "error_auth_required")
    )
    response = client_as(owner).post(
        "/w/acme/channels/connect/bluesky/",
        {
            "method": "credentials",
            "service": PDS,
            "handle": "varde.bsky.social",
            "app_password": "secret-typed",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Invalid identifier or password" in text
    assert 'value="varde.bsky.social"' in text
    assert "secret-typed" not in text
    assert not ConnectedAccount.objects.exists()


def test_sandbox_connects_without_credentials(client_as, owner):
    response = client_as(owner).post(
        "/w/acme/channels/connect/sandbox/", {"method": "sandbox", "label": "Prøvekanal"}
    )
    assert response.status_code == 302
    assert ConnectedAccount.objects.get().connector_key == "sandbox"


def test_pause_and_resume(client_as, owner, channel):
    client = client_as(owner)
    client.post(f"/w/acme/channels/{channel.pk}/pause/", {"action": "pause"})
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.PAUSED
    client.post(f"/w/acme/channels/{channel.pk}/pause/", {"action": "resume"})
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED


def test_resume_never_hides_a_needed_reconnect(client_as, owner, channel):
    services.channel_mark_needs_reconnect(channel_id=channel.pk, error="revoked")
    client_as(owner).post(f"/w/acme/channels/{channel.pk}/pause/", {"action": "resume"})
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT


def test_disconnect_keeps_history_and_cancels_waiting_posts(client_as, owner, workspace, editor):
    sandbox = sandbox_channel_create(workspace=workspace, label="Sandbox", actor=owner)
    other = sandbox_channel_create(workspace=workspace, label="Other", actor=owner)
    post = post_create(
        workspace=workspace, author=editor, text="Hei", approval_state=ApprovalState.APPROVED
    )
    at = datetime.now(UTC) + timedelta(days=1)
    delivery_schedule(post=post, channel=sandbox, at=at, actor=owner)
    kept = delivery_schedule(post=post, channel=other, at=at, actor=owner)
    client = client_as(owner)

    confirm = client.get(f"/w/acme/channels/{sandbox.pk}/disconnect/")
    assert b"1 post is waiting" in confirm.content
    response = client.post(f"/w/acme/channels/{sandbox.pk}/disconnect/")
    assert response.status_code == 302

    sandbox.refresh_from_db()
    assert sandbox.status == ChannelStatus.DISCONNECTED
    assert sandbox.credentials_encrypted == ""
    assert sandbox.disconnected_at is not None
    assert Delivery.objects.get(channel=sandbox).state == DeliveryState.CANCELLED
    kept.refresh_from_db()
    assert kept.state == DeliveryState.SCHEDULED
    page = client.get("/w/acme/channels/").content.decode()
    assert "Sandbox" in page  # still listed, for the history
    assert "Disconnected" in page


def test_reconnect_a_channel_that_needs_it(client_as, owner, channel, respx_mock):
    services.channel_mark_needs_reconnect(channel_id=channel.pk, error="ExpiredToken")
    channel.refresh_from_db()
    channel.network_account_id = "did:plc:z72i7hdynmk6r22z27h6tvur"
    channel.save()
    respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        json=fixture("bluesky", "createSession")
    )
    respx_mock.get(f"{PDS}/xrpc/app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    client = client_as(owner)
    form = client.get(f"/w/acme/channels/{channel.pk}/reconnect/")
    assert f'value="{PDS}"'.encode() in form.content  # the stored server is filled in
    response = client.post(
        f"/w/acme/channels/{channel.pk}/reconnect/",
        {
            "method": "credentials",
            "service": PDS,
            "handle": "varde.bsky.social",
            "app_password": "new-app-password",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CONNECTED
    assert channel.last_error == ""
    assert ConnectedAccount.objects.count() == 1


def test_list_page_queries_do_not_grow_with_channels(
    client_as, owner, workspace, django_assert_max_num_queries
):
    for number in range(12):
        services.channel_connect(
            workspace=workspace, connector_key="webhook", label=f"Hook {number}", actor=owner
        )
    client = client_as(owner)
    with django_assert_max_num_queries(8):
        assert client.get("/w/acme/channels/").status_code == 200


def test_mastodon_page_offers_both_ways_with_unique_ids(client_as, owner):
    import re

    html = client_as(owner).get("/w/acme/channels/connect/mastodon/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'id="oauth_instance"' in html
    assert 'id="credentials_instance"' in html
    assert 'for="oauth_instance"' in html


def test_detail_shows_the_instance_limits_kept_at_connect(client_as, owner, workspace):
    mastodon = services.channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Toots",
        credentials=Credentials(access_token="a"),
        config={
            "instance": "https://m.example",
            "max_characters": "1000",
            "max_media_attachments": "6",
        },
        actor=owner,
    )
    text = client_as(owner).get(f"/w/acme/channels/{mastodon.pk}/").content.decode()
    assert "1000 (" in text
    assert "500 (" not in text


@pytest.mark.parametrize("network", ["instagram", "threads"])
def test_detail_says_when_the_network_cannot_download_media_from_varde(
    client_as, owner, workspace, settings, network
):
    channel = services.channel_connect(
        workspace=workspace, connector_key=network, label="Meta", actor=owner
    )
    settings.BASE_URL = "http://localhost:8000"
    with translation.override("en"):
        text = client_as(owner).get(f"/w/acme/channels/{channel.pk}/").content.decode()
    assert "downloads them from Varde&#x27;s public address" in text
    assert "downloads images and videos from Varde itself" in text
    assert "VARDE_BASE_URL" in text
    settings.BASE_URL = "https://varde.example.no"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no"]
    with translation.override("en"):
        text = client_as(owner).get(f"/w/acme/channels/{channel.pk}/").content.decode()
    assert "downloads them from Varde&#x27;s public address" in text
    assert "VARDE_BASE_URL" not in text


def test_detail_of_a_network_that_takes_uploads_says_nothing_of_the_address(
    client_as, channel, owner, settings
):
    settings.BASE_URL = "http://localhost:8000"
    text = client_as(owner).get(f"/w/acme/channels/{channel.pk}/").content.decode()
    assert "VARDE_BASE_URL" not in text


def _newsletter(workspace, owner, label, *, subscribers=0, pending=0):
    from varde.newsletter.choices import SubscriberStatus
    from varde.newsletter.models import Subscriber
    from varde.newsletter.services import list_create

    channel = services.channel_connect(
        workspace=workspace, connector_key="newsletter", label=label, actor=owner
    )
    if subscribers or pending:
        subscriber_list = list_create(
            workspace=workspace, channel=channel, name=f"{label} list", actor=owner
        )
        for number in range(subscribers + pending):
            Subscriber.objects.create(
                workspace=workspace,
                subscriber_list=subscriber_list,
                email=f"{label.lower()}{number}@example.com",
                status=SubscriberStatus.CONFIRMED if number < subscribers else "pending",
            )
    return channel


def test_newsletter_detail_links_to_its_list_with_counts(client_as, owner, workspace):
    channel = _newsletter(workspace, owner, "Weekly", subscribers=3, pending=2)
    list_id = channel.newsletter_list.pk
    analyst = member(workspace, Role.ANALYST)
    text = client_as(analyst).get(f"/w/acme/channels/{channel.pk}/").content.decode()
    assert f'href="/w/acme/newsletter/lists/{list_id}/"' in text
    assert "Weekly list" in text
    assert "<dt>Confirmed</dt><dd>3</dd>" in text
    assert "<dt>Waiting for confirmation</dt><dd>2</dd>" in text


def test_newsletter_without_a_list_links_to_the_lists_page(client_as, owner, workspace):
    channel = _newsletter(workspace, owner, "Monthly")
    text = client_as(owner).get(f"/w/acme/channels/{channel.pk}/").content.decode()
    assert 'href="/w/acme/newsletter/"' in text
    assert "no subscriber list yet" in text


def test_channel_list_shows_subscriber_counts_in_constant_queries(
    client_as, owner, workspace, django_assert_max_num_queries
):
    _newsletter(workspace, owner, "Alpha", subscribers=2, pending=1)
    _newsletter(workspace, owner, "Beta")
    client = client_as(owner)
    client.get("/w/acme/channels/")  # warm the session and caches
    with django_assert_max_num_queries(9) as counted:
        text = client.get("/w/acme/channels/").content.decode()
    few = len(counted.captured_queries)
    assert "2 subscribers" in text  # pending ones are not counted as subscribers
    assert "No subscriber list yet" in text
    for number in range(6):
        _newsletter(workspace, owner, f"More{number}", subscribers=1)
    with django_assert_max_num_queries(few):
        text = client.get("/w/acme/channels/").content.decode()
    assert text.count("1 subscriber<") == 6
