from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.publishing import selectors, services
from varde.publishing.choices import DeliveryState
from varde.publishing.tests.conftest import NOON

pytestmark = pytest.mark.django_db


def status_url(workspace, post):
    return reverse(
        "publishing:post_status", kwargs={"workspace": workspace.slug, "post_id": post.pk}
    )


def retry_url(workspace, post):
    return reverse(
        "publishing:post_retry_failed", kwargs={"workspace": workspace.slug, "post_id": post.pk}
    )


def fail(delivery):
    claim = services.delivery_claim_next(worker="w", now=NOON)
    assert claim is not None
    assert claim.delivery.pk == delivery.pk
    services.delivery_mark_failed(claim=claim, now=NOON, kind="rejected", reason="No links, please")


def test_status_page_shows_each_channel(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, post, channel, second_channel
):
    services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    services.delivery_schedule(post=post, channel=second_channel, at=NOON, actor=editor)
    analyst = member(workspace, Role.ANALYST)
    response = client_as(analyst).get(status_url(workspace, post))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sandbox A" in body
    assert "Sandbox B" in body
    # An analyst may look but not retry.
    assert retry_url(workspace, post) not in body


def test_retry_touches_only_failed(client_as, workspace, editor, post, channel, second_channel):  # noqa: PLR0917 - pytest fixtures
    failed = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    fail(failed)
    waiting = services.delivery_schedule(post=post, channel=second_channel, at=NOON, actor=editor)
    response = client_as(editor).post(retry_url(workspace, post))
    assert response.status_code == 302
    failed.refresh_from_db()
    waiting.refresh_from_db()
    assert failed.state == DeliveryState.SCHEDULED
    assert waiting.scheduled_at == NOON
    assert AuditEvent.objects.filter(action="delivery.retried").count() == 1


def test_retry_needs_publish_permission(client_as, workspace, post):
    contributor = member(workspace, Role.CONTRIBUTOR)
    assert client_as(contributor).post(retry_url(workspace, post)).status_code == 403


def test_other_workspace_cannot_see_the_post(client_as, other_workspace, post):
    outsider = member(other_workspace, Role.OWNER)
    url = reverse(
        "publishing:post_status", kwargs={"workspace": other_workspace.slug, "post_id": post.pk}
    )
    assert client_as(outsider).get(url).status_code == 404


def test_overview_lists_unknown_with_what_the_reconciler_found(
    client_as, workspace, editor, post, channel
):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    claim = services.delivery_claim_next(worker="w", now=NOON)
    services.delivery_mark_unknown(claim=claim, now=NOON, error="Timed out", request_summary={})
    response = client_as(editor).get(
        reverse("publishing:overview", kwargs={"workspace": workspace.slug})
    )
    assert response.status_code == 200
    assert "Timed out" in response.content.decode()
    assert delivery.pk


def overview_url(workspace):
    return reverse("publishing:overview", kwargs={"workspace": workspace.slug})


def settle_url(workspace, delivery):
    return reverse(
        "publishing:unknown_settle",
        kwargs={"workspace": workspace.slug, "delivery_id": delivery.pk},
    )


def make_unknown(post, channel, editor, *, note=""):
    delivery = services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    claim = services.delivery_claim_next(worker="w", now=NOON)
    services.delivery_mark_unknown(claim=claim, now=NOON, error="Timed out", request_summary={})
    if note:
        type(delivery).objects.filter(pk=delivery.pk).update(reconcile_note=note)
    delivery.refresh_from_db()
    return delivery


def test_overview_shows_workers_next_due_backlog_and_counts_per_channel(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, editor, post, channel, second_channel
):
    from varde.worker.services import heartbeat_beat

    fail(services.delivery_schedule(post=post, channel=second_channel, at=NOON, actor=editor))
    services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    page = client_as(editor).get(overview_url(workspace)).content.decode()
    assert "None. Nothing will be published until a worker runs" in page
    assert "Hello from Varde" in page  # the next due delivery
    assert "Sandbox A" in page

    heartbeat_beat(queue_kind="SQLite")
    page = client_as(editor).get(overview_url(workspace)).content.decode()
    assert "1 running" in page
    assert "Not responding" not in page
    # A sandbox channel links to what the sandbox received.
    assert reverse("sandbox:received", kwargs={"workspace": workspace.slug}) in page
    health = selectors.publishing_health(workspace=workspace, now=NOON)
    assert health.backlog == 1
    assert health.next_delivery is not None
    assert health.next_delivery.channel == channel
    counts = {c.label: (c.scheduled, c.failed, c.unknown) for c in health.channels}
    assert counts == {"Sandbox A": (1, 0, 0), "Sandbox B": (0, 1, 0)}


def test_unknown_listed_with_note_and_settled_as_there_by_hand(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, owner, editor, post, channel
):
    delivery = make_unknown(post, channel, editor, note="Sandbox cannot be asked.")
    page = client_as(owner).get(overview_url(workspace)).content.decode()
    assert "What Varde found: Sandbox cannot be asked." in page
    assert settle_url(workspace, delivery) in page

    # "It is there" needs the link, and a bad one is shown again with what was typed.
    response = client_as(owner).post(
        settle_url(workspace, delivery), {"answer": "there", "url": ""}
    )
    assert response.status_code == 400
    assert "Paste the link to the post" in response.content.decode()
    response = client_as(owner).post(
        settle_url(workspace, delivery), {"answer": "there", "url": "not a link"}
    )
    assert response.status_code == 400
    assert 'value="not a link"' in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNKNOWN

    url = "https://sandbox.example/post/1"
    response = client_as(owner).post(
        settle_url(workspace, delivery), {"answer": "there", "url": url}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.network_url == url
    event = AuditEvent.objects.get(action="delivery.resolved")
    assert event.actor == owner
    assert event.detail["published"] is True
    assert event.detail["url"] == url


def test_unknown_settled_as_missing_is_sent_again(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, owner, editor, post, channel
):
    delivery = make_unknown(post, channel, editor)
    client_as(owner).post(settle_url(workspace, delivery), {"answer": "missing", "url": ""})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.due_at is not None
    assert delivery.send_by > delivery.due_at
    assert AuditEvent.objects.get(action="delivery.resolved").detail["published"] is False


def test_settling_is_refused_while_a_worker_is_asking_the_network(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, owner, editor, post, channel
):
    delivery = make_unknown(post, channel, editor)
    claim = services.delivery_claim_unknown(worker="w", now=timezone.now())
    assert claim is not None
    client_as(owner).post(settle_url(workspace, delivery), {"answer": "missing", "url": ""})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNKNOWN
    assert not AuditEvent.objects.filter(action="delivery.resolved").exists()


def test_settling_needs_publish_permission_and_the_workspace(  # noqa: PLR0917 - pytest fixtures
    client_as, workspace, other_workspace, owner, editor, post, channel
):
    delivery = make_unknown(post, channel, editor)
    viewer = member(workspace, Role.ANALYST)
    page = client_as(viewer).get(overview_url(workspace)).content.decode()
    assert settle_url(workspace, delivery) not in page
    assert (
        client_as(viewer).post(settle_url(workspace, delivery), {"answer": "missing"}).status_code
        == 403
    )
    outsider = member(other_workspace, Role.OWNER)
    other_url = reverse(
        "publishing:unknown_settle",
        kwargs={"workspace": other_workspace.slug, "delivery_id": delivery.pk},
    )
    client_as(outsider).post(other_url, {"answer": "missing"})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNKNOWN
