"""The registry and the interface every source keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from varde.listening.sources import Source, get, kinds, register
from varde.listening.sources.base import CODES, SourceError
from varde.listening.sources.registry import UnknownSourceError

BUILT_IN = {
    "rss", "jetstream", "bluesky_firehose", "mastodon", "hackernews", "reddit", "csv",
    "channel", "sandbox",
}  # fmt: skip
TESTED_IN = {
    "rss": "test_rss.py",
    "jetstream": "test_bluesky_streams.py",
    "bluesky_firehose": "test_bluesky_streams.py",
    "mastodon": "test_mastodon.py",
    "hackernews": "test_hackernews.py",
    "reddit": "test_reddit.py",
    "csv": "test_csv_import.py",
    "channel": "test_channel.py",
    "sandbox": "test_sandbox.py",
}


def test_every_built_in_kind_is_registered_and_tested():
    assert set(kinds()) == BUILT_IN
    assert set(TESTED_IN) == BUILT_IN, "a new source needs its tests named here"
    for name in TESTED_IN.values():
        assert (Path(__file__).parent / name).exists()


@pytest.mark.parametrize("kind", sorted(BUILT_IN))
def test_each_source_keeps_the_interface(kind):
    source = get(kind)
    assert isinstance(source, Source)
    assert source.kind == kind
    assert str(source.label)
    # Only a source fed by Varde itself (the connected channels) needs no settings.
    assert source.config_keys or kind == "channel"
    assert isinstance(source.config_keys, tuple)


@pytest.mark.parametrize("kind", sorted(BUILT_IN))
def test_missing_config_is_a_structured_error(kind):
    with pytest.raises(SourceError) as caught:
        get(kind).read({}, None, deadline=0.0)
    assert caught.value.code in CODES


def test_unknown_kinds_and_double_registration_are_refused():
    with pytest.raises(UnknownSourceError):
        get("myspace")

    class Impostor:
        kind = "rss"

    with pytest.raises(ValueError, match="two sources claim"):
        register(Impostor)  # type: ignore[type-var]


def test_error_messages_are_translated_text():
    error = SourceError("rate_limited", "HTTP 429", retry_after=30)
    assert error.message().endswith("HTTP 429")
    assert error.retry_after == 30
