"""The data that crosses the connector boundary: frozen dataclasses, aware UTC datetimes.

Connectors take and return only these types, so the rest of Varde never sees a network's
JSON. Secrets are left out of ``repr`` so they do not end up in logs or tracebacks.
"""

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{name} must be a timezone-aware datetime (UTC), got a naive one"
        raise ValueError(msg)


_LINK_SCHEMES = frozenset({"http", "https"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def web_link(value: str | None, *, schemes: frozenset[str] = _LINK_SCHEMES) -> str:
    """``value`` when it is an http(s) address with a host, else "".

    Post and mention URLs come from a network's answer, and Varde shows them as links ("View
    on the network"). A ``javascript:`` or ``data:`` URL there would run in the user's
    session when clicked (only the CSP stood in the way), so such a URL is dropped here,
    where every network's answer crosses into Varde, and never stored."""
    if not value:
        return ""
    text = value.strip()
    if _CONTROL.search(text):  # a control character (below 0x20, or DEL)
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in schemes:
        return ""
    if parts.scheme.lower() in _LINK_SCHEMES and not parts.netloc:
        return ""
    return text


def _frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    # A frozen dataclass can still hold a mutable dict; copy it into a read-only view.
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class AuthorizeRedirect:
    """The start of a sign-in (``authorize_url``): the address to send the person to, and
    ``keep``, config values the connector found on the way (Bluesky: the account's server and
    its sign-in server) that the caller keeps with the ``state`` and passes back in the config
    when the person returns. Returned, not left on the connector, so the flow's state has one
    visible path."""

    url: str
    keep: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", _frozen_mapping(self.keep))


@dataclass(frozen=True, kw_only=True)
class Credentials:
    """What a connector needs to act for one connected account.

    ``extra`` carries network-specific, non-secret identifiers (a Bluesky DID, a Mastodon
    account id). The caller encrypts the whole object at rest.
    """

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require_aware("expires_at", self.expires_at)
        object.__setattr__(self, "extra", _frozen_mapping(self.extra))


@dataclass(frozen=True, kw_only=True)
class AccountProfile:
    network_id: str
    handle: str
    display_name: str
    url: str
    followers: int | None = None
    avatar_url: str | None = None

    def __post_init__(self) -> None:
        # A newsletter's profile is its mailto: address; anything else must be a web page.
        object.__setattr__(self, "url", web_link(self.url, schemes=_LINK_SCHEMES | {"mailto"}))
        if self.avatar_url is not None:
            object.__setattr__(self, "avatar_url", web_link(self.avatar_url) or None)


@dataclass(frozen=True, kw_only=True)
class MediaItem:
    """One image or video: either bytes in memory or a path on disk, never both.

    ``public_url`` is an HTTPS address where the same file can be fetched, for networks
    that download media themselves instead of taking an upload (Instagram, Threads).
    ``width``, ``height`` (as displayed) and ``duration_seconds`` are what Varde read from the
    file when it was uploaded; None where the file does not say, and then nothing is checked.
    """

    mime_type: str
    alt_text: str = ""
    data: bytes | None = field(default=None, repr=False)
    path: Path | None = None
    public_url: str | None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.path is None):
            msg = "MediaItem needs exactly one of data or path"
            raise ValueError(msg)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None  # noqa: S101  (guaranteed by __post_init__)
        return self.path.read_bytes()

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None  # noqa: S101
        return self.path.stat().st_size

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


@dataclass(frozen=True, kw_only=True)
class Recipient:
    """One addressee of a message-based channel (the e-mail newsletter).

    The publishing side resolves who gets a post (the confirmed subscribers of a list) and
    hands them over here, because a connector never reads the database. ``key`` is a stable,
    non-secret id of the subscriber (it goes into the Message-ID); ``unsubscribe_url`` is the
    recipient's own one-click unsubscribe address, so it is kept out of ``repr``.
    """

    address: str
    key: str
    unsubscribe_url: str = field(repr=False)
    name: str = ""

    def __post_init__(self) -> None:
        if "@" not in self.address or not self.key or not self.unsubscribe_url:
            msg = "Recipient needs an e-mail address, a key and an unsubscribe URL"
            raise ValueError(msg)


@dataclass(frozen=True, kw_only=True)
class PublishRequest:
    """One post for one channel, already adapted to that channel by the content app.

    ``idempotency_key`` is stable across retries of the same delivery: networks that honour
    it drop duplicates, and ``find_published`` can use it where the network stores it.
    ``thread`` holds the follow-up posts of a thread, in order, after ``text``.
    ``link`` is appended to the text when the text does not already contain it.
    ``recipients`` is only for channels that send to people one by one (``Capability.
    RECIPIENTS``, the newsletter); every other connector ignores it, so it defaults to empty.
    """

    text: str
    idempotency_key: str
    media: tuple[MediaItem, ...] = ()
    thread: tuple[str, ...] = ()
    first_comment: str | None = None
    link: str | None = None
    reply_to: str | None = None
    title: str | None = None
    language: str | None = None
    recipients: tuple[Recipient, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.idempotency_key:
            msg = "PublishRequest needs an idempotency_key"
            raise ValueError(msg)

    @property
    def full_text(self) -> str:
        """The head post's text as sent: the text, plus the link if it is not already in it."""
        if self.link and self.link not in self.text:
            separator = "\n\n" if self.text else ""
            return f"{self.text}{separator}{self.link}"
        return self.text


@dataclass(frozen=True, kw_only=True)
class PublishResult:
    network_post_id: str
    url: str
    published_at: datetime
    thread_ids: tuple[str, ...] = ()
    first_comment_id: str | None = None

    def __post_init__(self) -> None:
        _require_aware("published_at", self.published_at)
        object.__setattr__(self, "url", web_link(self.url))


@dataclass(frozen=True, kw_only=True)
class PostMetrics:
    network_post_id: str
    fetched_at: datetime
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    views: int | None = None

    def __post_init__(self) -> None:
        _require_aware("fetched_at", self.fetched_at)


class MentionKind(enum.StrEnum):
    COMMENT = "comment"
    MENTION = "mention"
    DM = "dm"
    # Someone started following the account (``text`` is empty).
    FOLLOW = "follow"


@dataclass(frozen=True, kw_only=True)
class Mention:
    """A comment on, or mention of, a connected account. ``text`` is untrusted plain text."""

    id: str
    kind: MentionKind
    author_handle: str
    author_name: str
    text: str
    url: str
    created_at: datetime
    in_reply_to: str | None = None

    def __post_init__(self) -> None:
        _require_aware("created_at", self.created_at)
        object.__setattr__(self, "url", web_link(self.url))


@dataclass(frozen=True, kw_only=True)
class Page(Generic[T]):
    """Items from one poll, oldest first. Pass ``cursor`` to the next call to get only newer
    items; it is opaque and belongs to the connector that made it."""

    items: tuple[T, ...]
    cursor: str | None


class TextCounting(enum.StrEnum):
    GRAPHEMES = "graphemes"
    CODEPOINTS = "codepoints"
    # X's "weighted length" (twitter-text 3): most Latin, Greek, Cyrillic and Hebrew code
    # points count 1, everything else (CJK, most symbols) 2, an emoji sequence 2.
    WEIGHTED = "weighted"
    # Threads: a character counts 1, an emoji as many as its UTF-8 bytes.
    EMOJI_BYTES = "emoji_bytes"


@dataclass(frozen=True, kw_only=True)
class Limits:
    """A network's publishing rules, used to check a request before any call is made.

    ``text_max`` None means no practical limit. ``link_length`` None means a link counts as
    its own length; Mastodon counts every link as 23 characters. ``media_required``: the network
    has no text-only posts (Instagram, YouTube). ``title_max``: the network takes a separate
    title with its own limit (a YouTube video's title), None when it has none or no limit.
    ``media_by_url``: the network downloads each image and video itself from
    ``MediaItem.public_url`` instead of taking an upload (Instagram, Threads), so Varde needs
    a public address the network can reach.

    Video rules, each None where the network documents none: ``min_video_seconds`` and
    ``max_video_seconds`` (the most any account may post); ``max_video_seconds_basic``, a
    smaller cap for accounts without an upgrade (a verified YouTube channel, X Premium), which
    Varde cannot see, so it is a note and not a refusal; ``min_video_aspect`` and
    ``max_video_aspect``, the displayed width divided by the height. ``video_alone``: a post
    with a video holds that one video and no other file.
    """

    text_max: int | None
    counting: TextCounting = TextCounting.GRAPHEMES
    link_length: int | None = None
    max_media: int = 0
    media_types: frozenset[str] = frozenset()
    max_image_bytes: int | None = None
    max_video_bytes: int | None = None
    max_alt_text: int | None = None
    threads: bool = False
    media_required: bool = False
    title_max: int | None = None
    media_by_url: bool = False
    min_video_seconds: float | None = None
    max_video_seconds: float | None = None
    max_video_seconds_basic: float | None = None
    min_video_aspect: float | None = None
    max_video_aspect: float | None = None
    video_alone: bool = False
