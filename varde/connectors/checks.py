"""Check a request against a network's limits before any call is made.

A post that is too long fails here with a reason the author can fix, instead of reaching
the network, half-publishing a thread and failing on its third part.
"""

from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Limits, MediaItem, PublishRequest
from varde.connectors.errors import NotSupported, Rejected
from varde.connectors.text import measure


def ensure_supported(request: PublishRequest, capabilities: Capability, key: str) -> None:
    needed = [
        (bool(request.thread), Capability.THREADS),
        (request.first_comment is not None, Capability.FIRST_COMMENT),
        (request.publish_at is not None, Capability.NATIVE_SCHEDULING),
        (any(item.is_image for item in request.media), Capability.IMAGES),
        (any(item.is_video for item in request.media), Capability.VIDEO),
        (request.reply_to is not None, Capability.REPLY),
    ]
    for wanted, capability in needed:
        if wanted and capability not in capabilities:
            raise NotSupported(capability, key)


def problems(request: PublishRequest, limits: Limits) -> list[str]:
    """Every reason the request breaks the limits, in words an author can act on."""
    found: list[str] = []
    if not request.full_text.strip() and not request.media:
        found.append("The post is empty.")
    parts = [("The post", request.full_text)]
    parts += [
        (f"Part {number} of the thread", text) for number, text in enumerate(request.thread, 2)
    ]
    if request.first_comment is not None:
        parts.append(("The first comment", request.first_comment))
    if limits.text_max is not None:
        for label, text in parts:
            length = measure(text, limits)
            if length > limits.text_max:
                found.append(
                    f"{label} is {length} characters long; the limit is {limits.text_max}."
                )
    found += _media_problems(request, limits)
    return found


def _media_problems(request: PublishRequest, limits: Limits) -> list[str]:
    found: list[str] = []
    if len(request.media) > limits.max_media:
        found.append(f"{len(request.media)} media files attached; the limit is {limits.max_media}.")
    if limits.video_alone and len(request.media) > 1 and any(m.is_video for m in request.media):
        found.append("A post with a video holds that one video and no other file.")
    for number, item in enumerate(request.media, 1):
        if limits.media_types and item.mime_type not in limits.media_types:
            found.append(f"Media file {number} has type {item.mime_type}, which is not accepted.")
        cap = limits.max_image_bytes if item.is_image else limits.max_video_bytes
        if cap is not None and item.size > cap:
            found.append(f"Media file {number} is {item.size:,} bytes; the limit is {cap:,} bytes.")
        if limits.max_alt_text is not None and len(item.alt_text) > limits.max_alt_text:
            found.append(
                f"The alt text of media file {number} is longer than {limits.max_alt_text} "
                "characters."
            )
        if item.is_video:
            found += _video_problems(number, item, limits)
    return found


def clock(seconds: float) -> str:
    """A length as people read it: "45 s", "2 min 20 s", "1 h 5 min 0.5 s"."""
    tenths = round(seconds * 10)
    hours, rest = divmod(tenths, 36_000)
    minutes, tenths = divmod(rest, 600)
    seconds_text = f"{tenths / 10:.1f}".removesuffix(".0")
    parts = [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes else []
    parts += [f"{seconds_text} s"] if tenths or not parts else []
    return " ".join(parts)


def ratio(aspect: float) -> str:
    """A width-to-height bound as networks write it: 1/3 → "1:3", 2.4 → "2.4:1"."""
    if aspect < 1:
        return f"1:{round(1 / aspect, 2):g}"
    return f"{round(aspect, 2):g}:1"


def _video_problems(number: int, item: MediaItem, limits: Limits) -> list[str]:
    found: list[str] = []
    length = item.duration_seconds
    if length is not None:
        if limits.max_video_seconds is not None and length > limits.max_video_seconds:
            found.append(
                f"Media file {number} is a video of {clock(length)}; the limit is "
                f"{clock(limits.max_video_seconds)}."
            )
        if limits.min_video_seconds is not None and length < limits.min_video_seconds:
            found.append(
                f"Media file {number} is a video of {clock(length)}; it must be at least "
                f"{clock(limits.min_video_seconds)}."
            )
    if item.width and item.height:
        aspect = item.width / item.height
        low, high = limits.min_video_aspect, limits.max_video_aspect
        if (low is not None and aspect < low) or (high is not None and aspect > high):
            found.append(
                f"Media file {number} is {item.width}x{item.height} pixels; the width-to-height "
                f"ratio must be between {ratio(low or 0.01)} and {ratio(high or 100)}."
            )
    return found


def ensure_publishable(
    request: PublishRequest, limits: Limits, capabilities: Capability, key: str
) -> None:
    ensure_supported(request, capabilities, key)
    found = problems(request, limits)
    if found:
        raise Rejected(" ".join(found), code="limits")
