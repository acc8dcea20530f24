from __future__ import annotations

import pytest
from django.urls import reverse

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.publishing import services
from varde.publishing.models import DeliveryState
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
