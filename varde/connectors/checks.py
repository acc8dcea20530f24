"""Check a request against a network's limits before any call is made.

A post that is too long fails here with a reason the author can fix, instead of reaching
the network, half-publishing a thread and failing on its third part.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Limits, PublishRequest
from varde.connectors.errors import NotSupported, Rejected
from varde.connectors.text import measure


def ensure_supported(request: PublishRequest, capabilities: Capability, key: str) -> None:
    needed = [
        (bool(request.thread), Capability.THREADS),
        (request.first_comment is not None, Capability.FIRST_COMMENT),
        (any(item.is_image for item in request.media), Capability.IMAGES),
        (any(item.is_video for item in request.media), Capability.VIDEO),
        (request.reply_to is not None, Capability.REPLY),
    ]
    for wanted, capability in needed:
        if wanted and capability not in capabilities:
            raise NotSupported(capability, key)


@dataclass(frozen=True)
class Problem:
    """One way a post breaks a network's limits: a code and the numbers that go with it.

    No words here: the composer (live, while the author types) and the publishing engine (at
    send time) both put a problem into the reader's language with
    ``varde.content.problem_words.problem_text``, so each rule is stated once, here.

    Codes and their values:
    ``empty``; ``text_too_long`` (part: post | thread | first_comment | title, number: the
    thread part's number, count, limit); ``too_many_media`` (count, limit); ``video_not_alone``;
    ``media_type`` (number, type); ``media_too_large`` (number, size, limit: bytes);
    ``alt_text_too_long`` (number, count, limit); ``video_too_long`` / ``video_too_short``
    (number, seconds, limit: seconds); ``video_aspect`` (number, width, height, low, high).
    """

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # for logs and the Rejected message, not for people
        numbers = ", ".join(f"{key}={value}" for key, value in self.values.items())
        return f"{self.code}({numbers})"


class Media(Protocol):
    """What the limits need to know of a file: a ``MediaItem`` or the composer's facts."""

    @property
    def mime_type(self) -> str: ...
    @property
    def alt_text(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def width(self) -> int | None: ...
    @property
    def height(self) -> int | None: ...
    @property
    def duration_seconds(self) -> float | None: ...
    @property
    def is_image(self) -> bool: ...
    @property
    def is_video(self) -> bool: ...


def problems(request: PublishRequest, limits: Limits) -> list[Problem]:
    """Every way the request breaks the limits."""
    return limit_problems(
        text=request.full_text,
        thread=request.thread,
        first_comment=request.first_comment,
        title=request.title,
        media=request.media,
        limits=limits,
    )


def limit_problems(
    *,
    text: str,
    thread: Sequence[str] = (),
    first_comment: str | None = None,
    title: str | None = None,
    media: Sequence[Media] = (),
    limits: Limits,
) -> list[Problem]:
    """Every way a post (its text as sent, thread, first comment, title, files) breaks the
    limits. The composer calls this with what is typed; the engine through ``problems``."""
    found: list[Problem] = []
    parts: list[tuple[str, int, str]] = [("post", 1, text)]
    parts += [("thread", number, part) for number, part in enumerate(thread, 2)]
    if first_comment:
        parts.append(("first_comment", 1, first_comment))
    if limits.text_max is not None:
        for part, number, part_text in parts:
            length = measure(part_text, limits)
            if length > limits.text_max:
                found.append(
                    Problem(
                        "text_too_long",
                        {"part": part, "number": number, "count": length, "limit": limits.text_max},
                    )
                )
    if title and limits.title_max is not None and len(title) > limits.title_max:
        found.append(
            Problem(
                "text_too_long",
                {"part": "title", "number": 1, "count": len(title), "limit": limits.title_max},
            )
        )
    if not text.strip() and not media:
        found.append(Problem("empty"))
    return found + _media_problems(media, limits)


def _media_problems(media: Sequence[Media], limits: Limits) -> list[Problem]:
    found: list[Problem] = []
    if media and len(media) > limits.max_media:
        found.append(Problem("too_many_media", {"count": len(media), "limit": limits.max_media}))
    if limits.video_alone and len(media) > 1 and any(m.is_video for m in media):
        found.append(Problem("video_not_alone"))
    for number, item in enumerate(media, 1):
        if limits.media_types and item.mime_type not in limits.media_types:
            found.append(Problem("media_type", {"number": number, "type": item.mime_type}))
        cap = limits.max_image_bytes if item.is_image else limits.max_video_bytes
        if cap is not None and item.size > cap:
            found.append(
                Problem("media_too_large", {"number": number, "size": item.size, "limit": cap})
            )
        if limits.max_alt_text is not None and len(item.alt_text) > limits.max_alt_text:
            found.append(
                Problem(
                    "alt_text_too_long",
                    {"number": number, "count": len(item.alt_text), "limit": limits.max_alt_text},
                )
            )
        if item.is_video:
            found += _video_problems(number, item, limits)
    return found


def _video_problems(number: int, item: Media, limits: Limits) -> list[Problem]:
    found: list[Problem] = []
    length = item.duration_seconds
    if length is not None:
        if limits.max_video_seconds is not None and length > limits.max_video_seconds:
            found.append(
                Problem(
                    "video_too_long",
                    {"number": number, "seconds": length, "limit": limits.max_video_seconds},
                )
            )
        if limits.min_video_seconds is not None and length < limits.min_video_seconds:
            found.append(
                Problem(
                    "video_too_short",
                    {"number": number, "seconds": length, "limit": limits.min_video_seconds},
                )
            )
    if item.width and item.height:
        aspect = item.width / item.height
        low, high = limits.min_video_aspect, limits.max_video_aspect
        if (low is not None and aspect < low) or (high is not None and aspect > high):
            found.append(
                Problem(
                    "video_aspect",
                    {
                        "number": number,
                        "width": item.width,
                        "height": item.height,
                        "low": low or 0.01,
                        "high": high or 100,
                    },
                )
            )
    return found


def ensure_publishable(
    request: PublishRequest, limits: Limits, capabilities: Capability, key: str
) -> None:
    ensure_supported(request, capabilities, key)
    found = problems(request, limits)
    if found:
        raise Rejected("; ".join(map(str, found)), code="limits", problems=tuple(found))
