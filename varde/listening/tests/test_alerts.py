"""Alerts: a spike and a sentiment dip against the query's own baseline, with their "why",
sensitivity presets and a cooldown; the alerts page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from varde.listening import pipeline, services
from varde.listening.models import Alert
from varde.listening.pipeline import SentimentGuess
from varde.listening.services import alerts
from varde.listening.tests.helpers import Item
from varde.notifications.models import Notification

NOW = dt.datetime(2025, 3, 10, 12, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def negative_when_bad(texts):
    return [
        SentimentGuess("negative", -0.8) if "dårlig" in t else SentimentGuess("positive", 0.6)
        for t in texts
    ]


def _ingest(workspace, items):
    services.mentions_ingest(workspace=workspace, items=items, now=NOW, sentiment=negative_when_bad)


def _baseline(workspace, *, per_hour=2, bad_every=10):
    items, n = [], 0
    for hour in range(2, 7 * 24):
        for k in range(per_hour):
            n += 1
            bad = "dårlig" if n % bad_every == 0 else "fin"
            items.append(
                Item(
                    f"b{n}",
                    f"Varde er {bad} {n}",
                    lang="no",
                    author_handle=f"u{n % 40}",
                    published_at=NOW - dt.timedelta(hours=hour, minutes=k),
                )
            )
    _ingest(workspace, items)


def test_robust_thresholds():
    preset = alerts.PRESETS["medium"]
    baseline, threshold = alerts.spike_threshold([2.0] * 100 + [40.0], preset)
    assert baseline == 2.0
    assert 6 < threshold < 10
    assert alerts.spike_threshold([0.0] * 168, preset)[1] == preset.min_count
    baseline, threshold = alerts.dip_threshold([0.1] * 14, preset)
    assert baseline == pytest.approx(0.1)
    assert threshold == pytest.approx(0.275)


def test_a_spike_is_raised_once_with_its_why(workspace, owner, client_as):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace)
    assert services.alerts_detect(workspace=workspace, now=NOW) == []

    burst = [
        Item(f"s{n}", f"Varde kundeservice kø igjen {n}", lang="no",
             author_handle="ola" if n % 2 else f"x{n}", published_at=NOW - dt.timedelta(minutes=n))
        for n in range(1, 31)
    ]  # fmt: skip
    _ingest(workspace, burst)
    found = services.alerts_detect(workspace=workspace, now=NOW)
    assert [a.kind for a in found] == ["spike"]
    alert = found[0]
    assert alert.observed == 30
    assert alert.baseline == 2
    terms = dict(map(tuple, alert.why["terms"]))
    assert terms["kundeservice"] == 30
    assert "varde" not in terms
    assert alert.why["authors"][0] == ["ola", 15]
    assert len(alert.why["mentions"]) == 5
    # Told through the one notification path, in the owner's bell.
    told = Notification.objects.get(user=owner, kind="listening.alert")
    assert "Brand" in told.text
    assert told.url.endswith(f"#alert-{alert.pk}")
    # The cooldown: the same burst judged again a little later raises nothing new.
    assert services.alerts_detect(workspace=workspace, now=NOW + dt.timedelta(minutes=15)) == []

    page = (
        client_as(owner)
        .get(reverse("listening:alerts", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "kundeservice" in page
    assert "Varde kundeservice kø igjen" in page


def test_a_sentiment_dip_is_raised_and_sensitivity_matters(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    _baseline(workspace, per_hour=1)
    services.listening_settings_update(
        workspace=workspace, retention_days=365, alert_sensitivity="low"
    )
    # 40 % negative in the last day: too little for "low" (a rise of 0.25 over ~0.1 needed
    # and k = 5), enough for "high".
    bad = [
        Item(f"d{n}", f"Varde {'dårlig' if n % 5 < 2 else 'fin'} service {n}", lang="no",
             published_at=NOW - dt.timedelta(hours=1, minutes=n * 20))
        for n in range(1, 40)
    ]  # fmt: skip
    _ingest(workspace, bad)
    assert [a.kind for a in services.alerts_detect(workspace=workspace, now=NOW)] == []
    services.listening_settings_update(
        workspace=workspace, retention_days=365, alert_sensitivity="high"
    )
    found = services.alerts_detect(workspace=workspace, now=NOW)
    assert [a.kind for a in found] == ["negative"]
    assert found[0].observed > found[0].threshold > found[0].baseline
    assert Alert.objects.count() == 1


def test_a_sentiment_dip_calls_the_hook_for_the_apps_above(workspace, monkeypatch):
    from varde.listening import hooks

    told: list[tuple[int, int]] = []
    monkeypatch.setattr(hooks.negative_alert_raised, "_callbacks", [])
    hooks.negative_alert_raised.register(lambda ws, alert_id: told.append((ws.pk, alert_id)) or 0)
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
    assert told == [(workspace.pk, found[0].pk)]
