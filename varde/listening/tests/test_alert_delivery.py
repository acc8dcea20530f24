"""How alerts are told: the presets and the cooldown's end, the webhook's payload, and a negative
alert that links the crisis playbook and names the people it says to involve (in the alert page,
the bell, the e-mail and the webhook)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.listening import services
from varde.listening.services import alert_delivery, alerts
from varde.listening.tests.helpers import Item
from varde.listening.tests.test_alerts import (
    NOW,
    _baseline,
    _fresh_matchers,
    _ingest,
    negative_when_bad,
)
from varde.notifications import webhooks
from varde.notifications.models import Notification, WebhookDelivery
from varde.strategy.models import EscalationStep, PlanPerson

pytestmark = pytest.mark.django_db
__all__ = ["_fresh_matchers"]  # the autouse fixture, shared with test_alerts


def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


def test_each_preset_is_stricter_than_the_next():
    history = [2.0] * 150 + [4.0] * 18
    presets = alerts.PRESETS
    thresholds = {name: alerts.spike_threshold(history, p)[1] for name, p in presets.items()}
    assert thresholds["low"] > thresholds["medium"] > thresholds["high"]
    dips = {name: alerts.dip_threshold([0.1] * 14, p)[1] for name, p in alerts.PRESETS.items()}
    assert dips["low"] > dips["medium"] > dips["high"]
    # A quiet query (median 0) still needs each preset's minimum count.
    assert [alerts.spike_threshold([0.0] * 168, p)[1] for p in alerts.PRESETS.values()] == [
        10,
        5,
        3,
    ]


def _burst(workspace, prefix, at, *, bad):
    word = "dårlig" if bad else "fin"
    services.mentions_ingest(
        workspace=workspace,
        now=at,
        sentiment=negative_when_bad,
        items=[
            Item(f"{prefix}{n}", f"Varde {word} kundeservice kø {prefix}{n}", lang="no",
                 author_handle=f"p{n % 3}", published_at=at - dt.timedelta(minutes=n))
            for n in range(1, 31)
        ],
    )  # fmt: skip


def test_the_cooldown_ends_after_six_hours(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace)
    _burst(workspace, "a", NOW, bad=False)
    assert len(services.alerts_detect(workspace=workspace, now=NOW)) == 1
    later = NOW + alerts.COOLDOWN - dt.timedelta(minutes=5)
    _burst(workspace, "b", later, bad=False)
    assert services.alerts_detect(workspace=workspace, now=later) == []
    after = NOW + alerts.COOLDOWN + dt.timedelta(minutes=5)
    _burst(workspace, "c", after, bad=False)
    assert [a.kind for a in services.alerts_detect(workspace=workspace, now=after)] == ["spike"]


@pytest.fixture
def playbook(workspace):
    viewer = member(workspace, Role.ANALYST, email="kari@example.org", full_name="Kari Nordmann")
    kari = PlanPerson.objects.create(
        workspace=workspace, name="Kari Nordmann", title="Head of communications", user=viewer
    )
    ola = PlanPerson.objects.create(workspace=workspace, name="Ola <b>Dunk</b>", title="CEO")
    EscalationStep.objects.create(
        workspace=workspace, order=1, situation="Many negative posts", action="Answer", person=kari
    )
    EscalationStep.objects.create(
        workspace=workspace, order=2, situation="Press asks", action="Statement", person=ola
    )
    EscalationStep.objects.create(
        workspace=workspace, order=3, situation="Still growing", action="Call", person=kari
    )
    return viewer


def _webhook(workspace, owner):
    webhooks.webhook_endpoint_set(
        workspace=workspace,
        kind="listening.alert",
        url="https://hooks.example/a",
        enabled=True,
        actor=owner,
        resolver=public,
    )


def _playbook_path(workspace):
    path = reverse("strategy:phase", kwargs={"workspace": workspace.slug, "number": 6})
    return f"{path}#playbook"


def _check_bells(users, workspace):
    # The bell of the owner, and of Kari: an analyst, told because the playbook names her.
    for user in users:
        told = Notification.objects.filter(user=user, kind="listening.alert").first()
        assert told is not None
        assert "Kari Nordmann (Head of communications)" in told.text
        assert "Ola <b>Dunk</b> (CEO)" in told.text
        assert _playbook_path(workspace) in told.text


def _check_mail(callbacks):
    for callback in callbacks:  # the e-mails go once the change is committed
        if getattr(callback, "__module__", "") == "varde.notifications.services":
            callback()
    mailed = [m for m in mail.outbox if "kari@example.org" in m.to]
    assert mailed
    assert "Kari Nordmann" in mailed[0].body
    assert "#playbook" in mailed[0].body


def _check_webhook(workspace):
    bodies = [json.loads(d.body) for d in WebhookDelivery.objects.all()]
    assert len(bodies) == 2
    body = next(b for b in bodies if b["data"]["alert"]["kind"] == "spike")
    assert body["type"] == "listening.alert"
    data = body["data"]
    assert data["alert"]["negative"] is True
    assert data["alert"]["query"]["name"] == "Brand"
    assert data["why"]["terms"]
    assert len(data["why"]["posts"]) == 5
    assert data["crisis"]["playbook_url"].endswith(_playbook_path(workspace))
    assert [p["name"] for p in data["crisis"]["involve"]] == ["Kari Nordmann", "Ola <b>Dunk</b>"]
    assert data["crisis"]["involve"][0]["steps"] == ["Many negative posts", "Still growing"]


def _check_page(client, workspace):
    url = reverse("listening:alerts", kwargs={"workspace": workspace.slug})
    page = client.get(url).content.decode()
    assert "data-crisis" in page
    assert 'data-webhook-last="pending"' in page  # the webhook's last message, from its log
    assert _playbook_path(workspace) in page
    assert "Ola &lt;b&gt;Dunk&lt;/b&gt;" in page
    assert "Ola <b>Dunk</b>" not in page


def test_a_negative_spike_names_the_playbook_people_everywhere(
    workspace, owner, playbook, client_as, django_capture_on_commit_callbacks
):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace)
    _webhook(workspace, owner)
    _burst(workspace, "n", NOW, bad=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        found = services.alerts_detect(workspace=workspace, now=NOW)
    # A burst of negative posts is a spike and a dip at once: both are negative.
    assert sorted(a.kind for a in found) == ["negative", "spike"]
    spike = next(a for a in found if a.kind == "spike")
    assert spike.why["negative_share"] == 1.0
    assert all(alert_delivery.is_negative(a) for a in found)
    _check_bells([owner, playbook], workspace)
    _check_mail(callbacks)
    _check_webhook(workspace)
    _check_page(client_as(owner), workspace)


def test_a_plain_spike_has_no_crisis_and_the_playbook_people_are_not_told(
    workspace, owner, playbook, client_as, django_capture_on_commit_callbacks
):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace)
    _webhook(workspace, owner)
    _burst(workspace, "p", NOW, bad=False)
    with django_capture_on_commit_callbacks(execute=False):
        found = services.alerts_detect(workspace=workspace, now=NOW)
    assert not alert_delivery.is_negative(found[0])
    assert json.loads(WebhookDelivery.objects.get().body)["data"]["crisis"] is None
    assert Notification.objects.filter(user=owner).exists()
    assert not Notification.objects.filter(user=playbook).exists()
    page = (
        client_as(owner)
        .get(reverse("listening:alerts", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "data-crisis" not in page


def test_without_playbook_people_the_alert_says_so(workspace, owner):
    crisis = alert_delivery.crisis_for(workspace)
    assert crisis.people == ()
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace, per_hour=1)
    services.listening_settings_update(
        workspace=workspace, retention_days=365, alert_sensitivity="high"
    )
    bad = [
        Item(f"d{n}", f"Varde {'dårlig' if n % 5 < 2 else 'fin'} service {n}", lang="no",
             published_at=NOW - dt.timedelta(hours=1, minutes=n * 20))
        for n in range(1, 40)
    ]  # fmt: skip
    _ingest(workspace, bad)
    found = services.alerts_detect(workspace=workspace, now=NOW)
    assert [a.kind for a in found] == ["negative"]
    told = Notification.objects.get(user=owner, kind="listening.alert")
    assert "names nobody" in told.text or "ingen" in told.text
