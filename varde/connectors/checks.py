"""Check a request against a network's limits before any call is made.

A post that is too long fails here with a reason the author can fix, instead of reaching
the network, half-publishing a thread and failing on its third part.
"""

from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Limits, PublishRequest
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
    return found


def ensure_publishable(
    request: PublishRequest, limits: Limits, capabilities: Capability, key: str
) -> None:
    ensure_supported(request, capabilities, key)
    found = problems(request, limits)
    if found:
        raise Rejected(" ".join(found), code="limits")
