"""The demo's week of posts: made by the real engine, against the sandbox, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.demo.posts import FAILED_REASON, demo_posts_seed
from varde.publishing.choices import AttemptOutcome, DeliveryState
from varde.publishing.models import Delivery
from varde.sandbox.selectors import sandbox_posts_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    workspace = WorkspaceFactory(slug="demo", language="nb", timezone="Europe/Oslo")
    owner = member(workspace, Role.OWNER)
    users = {"ingrid": owner, "silje": member(workspace, Role.EDITOR)}
    demo_posts_seed(workspace=workspace, actor=owner, users=users)
    return workspace, owner, users


def test_demo_week_is_sent_by_the_engine_and_idempotent(demo):
    workspace, owner, users = demo
    deliveries = Delivery.objects.in_workspace(workspace)
    states = sorted(deliveries.values_list("state", flat=True))
    assert states.count(DeliveryState.PUBLISHED) == 3
    assert states.count(DeliveryState.FAILED) == 1
    assert states.count(DeliveryState.SCHEDULED) == 4

    # What shows as published arrived at the sandbox, each once, through an attempt.
    received = sandbox_posts_of(workspace=workspace)
    published = deliveries.filter(state=DeliveryState.PUBLISHED)
    assert received.count() == 3
    for delivery in published:
        assert received.filter(idempotency_key=delivery.idempotency_key).count() == 1
        assert delivery.attempts.get().outcome == AttemptOutcome.PUBLISHED

    failed = deliveries.get(state=DeliveryState.FAILED)
    # The engine's words around the network's own text (docs/new-connector.md, error codes).
    assert FAILED_REASON in failed.last_error
    assert not received.filter(idempotency_key=failed.idempotency_key).exists()

    # Scheduled ones lie ahead: one within minutes (a running worker sends it), the rest later.
    now = timezone.now()
    due = sorted(deliveries.filter(state=DeliveryState.SCHEDULED).values_list("due_at", flat=True))
    assert now < due[0] <= now + timedelta(minutes=11)
    assert all(at > now + timedelta(hours=1) for at in due[1:])
    assert deliveries.filter(post__author=users["silje"]).exists()

    # Running it again changes nothing.
    demo_posts_seed(workspace=workspace, actor=owner, users=users)
    assert Delivery.objects.in_workspace(workspace).count() == 8
    assert sandbox_posts_of(workspace=workspace).count() == 3


def test_sandbox_page_shows_what_the_demo_sent(demo, client_as):
    workspace, owner, _users = demo
    page = client_as(owner).get(reverse("sandbox:received", kwargs={"workspace": workspace.slug}))
    text = page.content.decode()
    assert "elsykler til utleie" in text
    assert "sykkelhjelmer" not in text  # refused, so never received


def test_demo_uses_a_sandbox_channel_that_is_already_there():
    from varde.sandbox.selectors import sandbox_accounts_of
    from varde.sandbox.services import sandbox_channel_create

    workspace = WorkspaceFactory(slug="demo2", language="nb", timezone="Europe/Oslo")
    owner = member(workspace, Role.OWNER)
    made = sandbox_channel_create(workspace=workspace, label="Sandbox", actor=owner)
    demo_posts_seed(workspace=workspace, actor=owner, users={"ingrid": owner})
    assert list(sandbox_accounts_of(workspace=workspace).values()) == [made]
    assert Delivery.objects.in_workspace(workspace).filter(channel=made).count() == 8
