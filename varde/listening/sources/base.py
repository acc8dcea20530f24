"""The one interface every listening source implements, and what it returns.

A source is a small class with no state between calls: ``read(config, cursor, deadline=...)``
fetches what is new since ``cursor`` and returns a :class:`Batch`. The app stores the batch's
cursor with the source's configuration and passes it back next time, so a restart neither
loses nor repeats (the few duplicates a rewind can bring are removed upstream by
``external_id``). Sources never touch the database and import only ``varde.lib`` and
``varde.connectors``.

Failures are one type, :class:`SourceError`, with a ``code`` the UI translates (see
``CODES``) and ``detail``, the network's own words, cleaned and bounded. A broken source raises;
the caller records the error on that source and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise, _StrPromise


@dataclass(frozen=True)
class FoundItem:
    """One post, comment or article a source found, normalised; untrusted text throughout."""

    source_kind: str  # "rss", "bluesky_firehose", "jetstream", "mastodon", "reddit", ...
    external_id: str  # stable within the source kind (at-uri, guid, status uri, ...)
    url: str  # http(s) only, "" if none
    author_name: str
    author_handle: str
    text: str  # plain text (HTML stripped safely)
    lang: str | None  # as the source says, else None
    published_at: datetime  # aware, UTC
    site: str  # host name, for site: queries
    extra: Mapping[str, str] = field(default_factory=dict)  # in_reply_to, title, ...


@dataclass(frozen=True)
class Batch:
    """What one ``read`` found.

    ``cursor``: what to store and pass back next time; None keeps the previous one.
    ``not_modified``: the source said nothing changed (HTTP 304).
    ``deleted_ids``: external ids the network says were deleted since the cursor (Bluesky
    delete operations); the app deletes its stored copies (Reddit's rules, and the author's).
    ``health``: figures for the source's health panel beyond what the app measures itself
    (last read, last error, items per hour); keys in ``HEALTH_FIELDS``.
    """

    items: list[FoundItem]
    cursor: str | None
    not_modified: bool = False
    deleted_ids: list[str] = field(default_factory=list)
    health: Mapping[str, str] = field(default_factory=dict)


# What a source may report in ``Batch.health`` (all values are strings).
HEALTH_FIELDS: Mapping[str, _StrPromise] = {
    "http_status": _("HTTP status of the last answer"),
    "lag_seconds": _("How far behind the live stream the last item read was, in seconds"),
    "pages": _("Pages or messages read in the last run"),
    "rewound": _("How far the cursor was rewound on reconnect"),
    "moved_to": _("The address a feed says it has moved to (permanent redirect)"),
    "feed_title": _("The feed's own title"),
    "rate_limit_remaining": _("Requests left before the network's rate limit"),
    "more": _("'yes' when there was more to read than time allowed; the next run goes on"),
    "skipped": _("Records read but not used (not posts, too big, unreadable)"),
}


# The codes a SourceError carries; the UI shows the translated text and the network's detail.
CODES: Mapping[str, _StrPromise] = {
    "bad_config": _("The source's settings are incomplete or wrong."),
    "unsafe_url": _("Varde will not connect to this address (it points into a private network)."),
    "unreachable": _("The server could not be reached."),
    "timeout": _("The server did not answer in time."),
    "too_large": _("The answer was larger than Varde accepts from this source."),
    "not_found": _("The address was not found on the server."),
    "auth": _("The server refused the credentials, or requires them."),
    "rate_limited": _("The server's rate limit was reached; Varde tries again later."),
    "server_error": _("The server had an error; Varde tries again later."),
    "rejected": _("The server refused the request."),
    "bad_answer": _("The server's answer could not be read."),
    "not_a_feed": _("The address does not serve an RSS or Atom feed."),
    "bad_file": _("The file could not be read."),
}


class SourceError(Exception):
    """A source could not be read. ``code`` is a key of ``CODES``; ``detail`` the network's
    text; ``retry_after`` seconds when the network said how long to wait."""

    def __init__(self, code: str, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.retry_after = retry_after

    def message(self) -> str:
        """The translated explanation (for logs and the health panel)."""
        text = str(CODES.get(self.code, CODES["rejected"]))
        return f"{text} {self.detail}".strip()


@runtime_checkable
class Source(Protocol):
    """A listening source. ``deadline`` is a ``time.monotonic()`` value: return by then, with
    what was read so far and a cursor that covers exactly that."""

    kind: ClassVar[str]
    label: ClassVar[_StrOrPromise]
    config_keys: ClassVar[tuple[str, ...]]

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch: ...


def flag(config: Mapping[str, str], key: str) -> bool:
    return config.get(key, "").strip().lower() in {"1", "true", "yes", "on"}


def required(config: Mapping[str, str], key: str) -> str:
    value = config.get(key, "").strip()
    if not value:
        raise SourceError("bad_config", f"{key} is missing")
    return value
