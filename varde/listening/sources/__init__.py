"""Listening sources: where mentions come from, each a small module behind one interface.

``base`` holds the interface (``Source``, ``FoundItem``, ``Batch``, ``SourceError``);
``registry`` the kinds. No models: the listening app stores each source's config and cursor
and calls ``registry.get(kind).read(config, cursor, deadline=...)``. See docs/listening.md,
"Sources", for each kind's config, cursor and health fields, and how to add one.
"""

from varde.listening.sources import (  # noqa: F401 - importing registers the built-in sources
    channel,
    csv_import,
    firehose,
    hackernews,
    jetstream,
    mastodon,
    reddit,
    rss,
    sandbox,
)
from varde.listening.sources.base import Batch, FoundItem, Source, SourceError
from varde.listening.sources.registry import get, kinds, register

__all__ = ["Batch", "FoundItem", "Source", "SourceError", "get", "kinds", "register"]
