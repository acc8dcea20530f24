"""The worker's tasks: every enabled source read once a minute, retention at night."""

from __future__ import annotations

import pytest

from varde.listening import pipeline, services, tasks
from varde.listening.models import Mention
from varde.listening.tests.helpers import Item, ListSource, lookup_from, make_source


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def test_the_minute_task_reads_every_enabled_source(workspace, monkeypatch):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    reading = make_source(workspace, "test", name="On")
    paused = make_source(workspace, "test", name="Off")
    services.source_set_enabled(source=paused, enabled=False)
    reader = ListSource([Item("1", "Varde")])
    monkeypatch.setattr(services, "registry_lookup", lookup_from({"test": reader}))
    monkeypatch.setattr(pipeline, "default_sentiment", pipeline.no_sentiment)

    queued = tasks.listening_read_sources.call_local()

    assert queued == 1  # the test settings run Huey's tasks at once, in this thread
    assert [m.source_id for m in Mention.objects.all()] == [reading.pk]


def test_a_source_being_read_is_skipped(workspace, monkeypatch):
    source = make_source(workspace, "test")
    reader = ListSource([])
    monkeypatch.setattr(services, "registry_lookup", lookup_from({"test": reader}))
    with tasks.HUEY.lock_task(f"listening-source-{source.pk}"):
        assert tasks.listening_read_source.call_local(source.pk) is None
    assert reader.calls == []
    assert tasks.listening_read_source.call_local(source.pk) == {"ok": True, "read": 0, "stored": 0}


def test_the_nightly_prune_runs(db):
    assert tasks.listening_prune.call_local() == 0
