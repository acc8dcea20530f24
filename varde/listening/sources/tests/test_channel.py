"""The channel source asks the reader a higher app registered (the inbox) for its items."""

from __future__ import annotations

import pytest

from varde.listening.sources import get, hooks
from varde.listening.sources.base import Batch, SourceError


def test_it_hands_over_what_the_registered_reader_answers(monkeypatch):
    calls = []

    def reader(workspace_id, cursor, limit):
        calls.append((workspace_id, cursor, limit))
        return Batch(items=[], cursor="7")

    monkeypatch.setattr(hooks.channel_items_after, "_callbacks", [reader])
    batch = get("channel").read({"workspace_id": "3"}, "5", deadline=0.0)
    assert batch.cursor == "7"
    assert calls == [(3, "5", 1000)]


def test_without_a_reader_or_a_workspace_it_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(hooks.channel_items_after, "_callbacks", [])
    with pytest.raises(SourceError) as caught:
        get("channel").read({"workspace_id": "3"}, None, deadline=0.0)
    assert caught.value.code == "bad_config"
    with pytest.raises(SourceError):
        get("channel").read({"workspace_id": "three"}, None, deadline=0.0)
