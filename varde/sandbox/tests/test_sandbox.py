from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels.selectors import connector_for
from varde.connectors import registry
from varde.connectors.contracts import PublishRequest
from varde.connectors.errors import OutcomeUnknown, RateLimited, Rejected, Transient
from varde.sandbox.choices import FaultKind
from varde.sandbox.connector import SandboxConnector, SandboxCrash
from varde.sandbox.models import SandboxPost
from varde.sandbox.selectors import sandbox_tally
from varde.sandbox.services import sandbox_channel_create, sandbox_fault_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(workspace, owner):
    return sandbox_channel_create(workspace=workspace, actor=owner)


def request(text="Hei", key="k1"):
    return PublishRequest(text=text, idempotency_key=key)


def test_registered_under_its_key():
    assert registry.get("sandbox") is SandboxConnector


def test_publish_and_find_by_key_and_fingerprint(sandbox):
    connector = connector_for(sandbox)
    result = connector.publish(request())
    assert (
        connector.find_published(request(), since=timezone.now() - timedelta(minutes=1)) == result
    )
    # Same text, another key: found by fingerprint inside the window, not outside it.
    other = request(key="k2")
    assert connector.find_published(other, since=timezone.now() - timedelta(minutes=1)) == result
    assert connector.find_published(other, since=timezone.now() + timedelta(minutes=1)) is None


def test_duplicates_are_stored_and_counted(sandbox):
    connector = connector_for(sandbox)
    connector.publish(request())
    connector.publish(request())
    tally = sandbox_tally()
    assert (tally.received, tally.duplicates) == (2, 1)


@pytest.mark.parametrize(
    ("kind", "error", "stored"),
    [
        (FaultKind.SERVER_ERROR, Transient, 0),
        (FaultKind.RATE_LIMITED, RateLimited, 0),
        (FaultKind.REJECTED, Rejected, 0),
        (FaultKind.TIMEOUT_LOST, OutcomeUnknown, 0),
        (FaultKind.TIMEOUT_ACCEPTED, OutcomeUnknown, 1),
        (FaultKind.CRASH_AFTER_ACCEPT, SandboxCrash, 1),
    ],
)
def test_faults(sandbox, kind, error, stored):
    sandbox_fault_add(kind=kind, remaining=1, retry_after_s=7)
    connector = connector_for(sandbox)
    with pytest.raises(error) as raised:
        connector.publish(request())
    if kind == FaultKind.RATE_LIMITED:
        assert raised.value.retry_after == 7
    assert SandboxPost.objects.count() == stored
    connector.publish(request(key="after"))  # the fault was spent
    assert SandboxPost.objects.filter(idempotency_key="after").count() == 1


def test_fault_messages_are_in_the_language_the_engine_sends_in(sandbox):
    # The engine sends with the workspace's language active; the sandbox's own words follow.
    sandbox_fault_add(kind=FaultKind.REJECTED, remaining=2)
    connector = connector_for(sandbox)
    with translation.override("nb"), pytest.raises(Rejected) as refused:
        connector.publish(request())
    assert str(refused.value.message) == "Sandkassen tar ikke imot dette innlegget."
    with translation.override("en"), pytest.raises(Rejected) as refused:
        connector.publish(request())
    assert str(refused.value.message) == "The sandbox does not accept this post."


def test_latency_fault_sleeps(sandbox):
    sandbox_fault_add(kind=FaultKind.LATENCY, latency_ms=250)
    slept = []
    connector = SandboxConnector(
        credentials=connector_for(sandbox).credentials,
        config=sandbox.config,
        sleep=slept.append,
    )
    connector.publish(request())
    assert slept == [0.25]


def test_page_is_labelled_and_scoped(client_as, workspace, other_workspace, sandbox):
    connector_for(sandbox).publish(request(text="Only for Acme"))
    rival_channel = sandbox_channel_create(workspace=other_workspace)
    connector_for(rival_channel).publish(request(text="Only for Rival", key="r"))
    analyst = member(workspace, Role.ANALYST)
    body = (
        client_as(analyst)
        .get(reverse("sandbox:received", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "not a real social network" in body
    assert "Only for Acme" in body
    assert "Only for Rival" not in body
