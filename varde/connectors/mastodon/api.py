"""Mastodon REST API shapes: error bodies, instance limits, statuses and notifications.

Shapes follow https://docs.joinmastodon.org/ (methods/statuses, methods/media,
methods/notifications, methods/instance, entities/Status, entities/Instance).
"""

import re
from collections.abc import Mapping
from typing import Any

import httpx

from varde.connectors.contracts import (
    Limits,
    Mention,
    MentionKind,
    PostMetrics,
    PublishResult,
    TextCounting,
)
from varde.connectors.http import ErrorDetail, parse_time, utc_now
from varde.connectors.text import fingerprint, html_to_text

NETWORK = "Mastodon"
# Granular scopes (Mastodon >= 3.1): only what Varde uses, never `follow` or admin scopes.
SCOPES = (
    "read:accounts",
    "read:statuses",
    "read:notifications",
    "write:statuses",
    "write:media",
)
DEFAULT_LIMITS = Limits(
    # Mastodon's PostStatusService refuses a video or audio file next to any other file
    # ("images_and_video" validation).
    video_alone=True,
    text_max=500,
    counting=TextCounting.GRAPHEMES,
    link_length=23,
    max_media=4,
    media_types=frozenset(
        {
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/webp",
            "image/heic",
            "image/avif",
            "video/mp4",
            "video/webm",
            "video/quicktime",
        }
    ),
    max_image_bytes=16 * 1024 * 1024,
    max_video_bytes=99 * 1024 * 1024,
    max_alt_text=1500,
    threads=True,
    # Mastodon documents no video length limit: an instance announces only file sizes, frame
    # rate and pixel counts (configuration.media_attachments), so the video rules stay None.
)
_REMOTE_MENTION = re.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w")


def read_error(response: httpx.Response) -> ErrorDetail:
    """API errors are ``{"error": "..."}``; OAuth errors add ``error_description``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    error = body.get("error") if isinstance(body.get("error"), str) else None
    description = body.get("error_description")
    if isinstance(description, str) and description:
        return ErrorDetail(reason=description, code=error)
    return ErrorDetail(reason=error)


def limits_from_instance(instance: Mapping[str, Any]) -> Limits:
    """The limits an instance announces in ``GET /api/v2/instance`` ``configuration``;
    anything missing keeps Mastodon's defaults."""
    config = instance.get("configuration") or {}
    statuses = config.get("statuses") or {}
    media = config.get("media_attachments") or {}

    def number(section: Mapping[str, Any], name: str, default: int | None) -> int | None:
        value = section.get(name)
        return value if isinstance(value, int) and value > 0 else default

    types = media.get("supported_mime_types")
    return Limits(
        text_max=number(statuses, "max_characters", DEFAULT_LIMITS.text_max),
        counting=TextCounting.GRAPHEMES,
        link_length=number(statuses, "characters_reserved_per_url", DEFAULT_LIMITS.link_length),
        max_media=number(statuses, "max_media_attachments", DEFAULT_LIMITS.max_media) or 0,
        media_types=frozenset(t for t in types if isinstance(t, str))
        if isinstance(types, list)
        else DEFAULT_LIMITS.media_types,
        max_image_bytes=number(media, "image_size_limit", DEFAULT_LIMITS.max_image_bytes),
        max_video_bytes=number(media, "video_size_limit", DEFAULT_LIMITS.max_video_bytes),
        max_alt_text=number(media, "description_limit", DEFAULT_LIMITS.max_alt_text),
        threads=True,
        video_alone=True,
    )


# The instance limits the channels app stores in an account's config when it is connected,
# so the composer shows the server's own numbers without asking the server while typing.
INSTANCE_SETTING_KEYS = ("max_characters", "max_media_attachments")


def instance_settings(instance: Mapping[str, Any]) -> dict[str, str]:
    """``configuration.statuses.max_characters`` and ``max_media_attachments`` from
    ``GET /api/v2/instance`` or ``GET /api/v1/instance`` (both have the same
    ``configuration.statuses`` since Mastodon 3.4.2), as text for ``ConnectedAccount.config``.
    A value the server leaves out or gets wrong is left out: the defaults then apply."""
    config = instance.get("configuration")
    statuses = config.get("statuses") if isinstance(config, dict) else None
    if not isinstance(statuses, dict):
        return {}
    found = {}
    for key in INSTANCE_SETTING_KEYS:
        value = statuses.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            found[key] = str(value)
    return found


def status_result(status: Mapping[str, Any]) -> PublishResult:
    return PublishResult(
        network_post_id=str(status["id"]),
        url=str(status.get("url") or status.get("uri") or ""),
        published_at=parse_time(status.get("created_at")) or utc_now(),
    )


def content_fingerprint(status: Mapping[str, Any]) -> str:
    """Fingerprint of a status's visible text, comparable with :func:`text_fingerprint`."""
    return fingerprint(html_to_text(str(status.get("content", ""))))


def text_fingerprint(text: str) -> str:
    # Mastodon renders "@user@other.social" as "@user"; compare the way it is shown.
    return fingerprint(_REMOTE_MENTION.sub(r"@\1", text))


def mention_from_notification(
    notification: Mapping[str, Any], own_account_id: str | None
) -> Mention | None:
    status = notification.get("status")
    if notification.get("type") != "mention" or not isinstance(status, dict):
        return None
    account = status.get("account") or notification.get("account") or {}
    if status.get("visibility") == "direct":
        kind = MentionKind.DM
    elif own_account_id and str(status.get("in_reply_to_account_id")) == own_account_id:
        kind = MentionKind.COMMENT
    else:
        kind = MentionKind.MENTION
    created = parse_time(status.get("created_at")) or parse_time(notification.get("created_at"))
    in_reply_to = status.get("in_reply_to_id")
    return Mention(
        id=str(status["id"]),
        kind=kind,
        author_handle=str(account.get("acct", "")),
        author_name=str(account.get("display_name") or account.get("acct", "")),
        text=html_to_text(str(status.get("content", ""))).strip(),
        url=str(status.get("url") or status.get("uri") or ""),
        created_at=created or utc_now(),
        in_reply_to=str(in_reply_to) if in_reply_to else None,
    )


def metrics_from_status(status: Mapping[str, Any], post_id: str) -> PostMetrics:
    return PostMetrics(
        network_post_id=str(status.get("id", post_id)),
        fetched_at=utc_now(),
        likes=int(status.get("favourites_count") or 0),
        reposts=int(status.get("reblogs_count") or 0),
        replies=int(status.get("replies_count") or 0),
        quotes=int(status.get("quotes_count") or 0),
    )


def newer_id(current: str | None, candidate: str) -> str | None:
    # Mastodon ids are numeric strings (snowflakes); compare as numbers, not text.
    if not candidate.isdigit():
        return current
    if current is None or not current.isdigit() or int(candidate) > int(current):
        return candidate
    return current
