"""Test doubles for the listening app: found items, a source that reads from a list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from varde.listening.pipeline import SentimentGuess


@dataclass(frozen=True)
class Item:
    """Shaped like varde.listening.sources' FoundItem."""

    external_id: str
    text: str
    source_kind: str = "test"
    url: str = ""
    author_name: str = "Ola Nordmann"
    author_handle: str = "ola"
    lang: str | None = None
    published_at: dt.datetime = field(default_factory=timezone.now)
    site: str = ""


@dataclass(frozen=True)
class Batch:
    items: list[Item]
    cursor: str | None


class ListSource:
    """Hands out its items after the cursor, a page at a time; the cursor is the last index."""

    def __init__(self, items: list[Item], page: int = 100) -> None:
        self.items = items
        self.page = page
        self.calls: list[tuple[dict[str, Any], str | None]] = []

    def read(self, config: dict[str, Any], cursor: str | None, *, deadline: float) -> Batch:
        self.calls.append((dict(config), cursor))
        start = int(cursor) if cursor else 0
        chunk = self.items[start : start + self.page]
        return Batch(chunk, str(start + len(chunk)) if chunk else None)


class BrokenSource:
    def read(self, config: dict[str, Any], cursor: str | None, *, deadline: float) -> Batch:
        raise ConnectionError("the feed answered 503")


def lookup_from(readers: dict[str, Any]):
    def lookup(kind: str) -> Any:
        return readers[kind]

    return lookup


def positive_when_love(texts):
    return [
        SentimentGuess("positive", 0.8)
        if "love" in t or "elsker" in t
        else SentimentGuess("neutral", 0.0)
        for t in texts
    ]


def make_source(workspace, kind: str = "test", name: str = "", **fields: Any):
    """A source row of any kind, even one the registry does not know (the service refuses
    those): for tests that pass their own reader."""
    from varde.listening.models import Source

    return Source.objects.create(workspace=workspace, kind=kind, name=name or kind, **fields)
