"""The sandbox source: believable made-up posts about the brand and its competitors, the same
for the same slot, with an exact cursor."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from varde.listening.sources import get
from varde.listening.sources.base import SourceError

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)
CONFIG = {"brand": "Bryggen Sykkel", "competitors": "Spinn Bergen\nSykkelhuset"}


def _read(config, cursor=None):
    return get("sandbox").read(config, cursor, deadline=0.0)


def test_the_first_read_fills_the_backfill_and_every_post_names_a_subject():
    with time_machine.travel(NOW, tick=False):
        batch = _read({**CONFIG, "per_hour": "10", "backfill_hours": "24"})
    assert 120 <= len(batch.items) <= 240  # 240 slots, about three in four hold a post
    names = ("Bryggen Sykkel", "Spinn Bergen", "Sykkelhuset")
    for item in batch.items:
        assert any(name in item.text for name in names), item.text
        assert item.source_kind == "sandbox"
        assert item.extra["sandbox"] == "yes"
        assert NOW - dt.timedelta(hours=24) <= item.published_at < NOW
    assert {item.lang for item in batch.items} == {"nb", "en"}
    assert sum("Bryggen Sykkel" in i.text for i in batch.items) > len(batch.items) / 2
    assert len({i.external_id for i in batch.items}) == len(batch.items)


def test_the_cursor_neither_loses_nor_repeats():
    config = {**CONFIG, "per_hour": "60", "backfill_hours": "1"}
    with time_machine.travel(NOW, tick=False):
        first = _read(config)
        same_time = _read(config, first.cursor)
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        later = _read(config, first.cursor)
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        in_one_go = _read(config)
    assert same_time.items == []
    assert same_time.cursor is None
    ids = [i.external_id for i in first.items + later.items]
    assert len(ids) == len(set(ids))
    # The same slots give the same posts, however they are reached.
    assert {i.external_id: i.text for i in in_one_go.items}.items() <= {
        i.external_id: i.text for i in first.items + later.items
    }.items()


def test_without_a_brand_or_with_a_bad_rate_it_says_what_is_wrong():
    with pytest.raises(SourceError) as caught:
        _read({})
    assert caught.value.code == "bad_config"
    with pytest.raises(SourceError):
        _read({**CONFIG, "per_hour": "lots"})
