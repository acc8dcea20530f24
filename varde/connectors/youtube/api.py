"""YouTube Data API v3 shapes: errors, OAuth, videos, comment threads.

Parameter and field names are checked against the ``youtube.v3`` discovery document
(shipped in google-api-python-client, not a dependency) and
https://developers.google.com/youtube/v3/docs (videos, commentThreads, comments, channels,
playlistItems; "Resumable uploads"; "Errors").
"""

from collections.abc import Mapping
from typing import Any

import httpx

from varde.connectors.contracts import (
    AccountProfile,
    Limits,
    Mention,
    MentionKind,
    PostMetrics,
    PublishRequest,
    TextCounting,
)
from varde.connectors.errors import Rejected
from varde.connectors.http import ErrorDetail, parse_time, utc_now

NETWORK = "YouTube"
API = "https://www.googleapis.com/youtube/v3"
UPLOAD_URL = "https://www.googleapis.com/upload/youtube/v3/videos"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105  (a URL, not a secret)
SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload",
    # Comments (insert, moderation) need the force-ssl scope.
    "https://www.googleapis.com/auth/youtube.force-ssl",
)
TITLE_MAX = 100
DESCRIPTION_MAX_BYTES = 5000
LIMITS = Limits(
    text_max=5000,
    counting=TextCounting.CODEPOINTS,
    max_media=1,
    media_types=frozenset(
        {
            "video/mp4",
            "video/quicktime",
            "video/webm",
            "video/x-msvideo",
            "video/mpeg",
            "video/x-flv",
            "video/3gpp",
        }
    ),
    max_video_bytes=274_877_906_944,  # mediaUpload.maxSize in the discovery document
    media_required=True,  # a post is one video
    title_max=TITLE_MAX,
    # YouTube Help, "Upload videos longer than 15 minutes" (support.google.com/youtube/answer/
    # 71673): up to 15 minutes by default, up to 12 hours once the channel is verified. No
    # documented shortest length or aspect ratio (the player adapts).
    max_video_seconds=12 * 3600,
    max_video_seconds_basic=15 * 60,
)
# Quota and rate errors come as 403 with these reasons; they pass with time, not edits.
RATE_REASONS = frozenset({"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded"})


def read_error(response: httpx.Response) -> ErrorDetail:
    """``{"error": {"code", "message", "errors": [{"reason", "domain", "message"}],
    "status"}}``; the OAuth endpoint answers ``{"error", "error_description"}``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    error = body.get("error")
    if isinstance(error, str):
        description = body.get("error_description")
        return ErrorDetail(reason=str(description or error), code=error)
    if not isinstance(error, dict):
        return ErrorDetail(reason=None)
    details = [item for item in error.get("errors") or () if isinstance(item, dict)]
    reason = details[0].get("reason") if details else error.get("status")
    return ErrorDetail(
        reason=str(error["message"]) if error.get("message") else None,
        code=str(reason) if reason else None,
    )


def video_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _comment_mention(comment: Mapping[str, Any], in_reply_to: str) -> Mention | None:
    snippet = comment.get("snippet") or {}
    created = parse_time(snippet.get("publishedAt"))
    if created is None:
        return None
    video = str(snippet.get("videoId", ""))
    return Mention(
        id=str(comment["id"]),
        kind=MentionKind.COMMENT,
        author_handle=str((snippet.get("authorChannelId") or {}).get("value", "")),
        author_name=str(snippet.get("authorDisplayName", "")),
        text=str(snippet.get("textOriginal") or snippet.get("textDisplay", "")),
        url=f"{video_url(video)}&lc={comment['id']}" if video else "",
        created_at=created,
        in_reply_to=in_reply_to,
    )


def thread_mentions(thread: Mapping[str, Any], own_channel: str | None) -> list[Mention]:
    """The top-level comment and the replies YouTube includes with the thread."""
    snippet = thread.get("snippet") or {}
    top = snippet.get("topLevelComment") or {}
    found = [_comment_mention(top, str(snippet.get("videoId", "")))]
    found += [
        _comment_mention(reply, str((reply.get("snippet") or {}).get("parentId", top.get("id"))))
        for reply in (thread.get("replies") or {}).get("comments") or ()
    ]
    return [
        mention
        for mention in found
        if mention is not None and (not own_channel or mention.author_handle != own_channel)
    ]


def metrics_from_video(video: Mapping[str, Any]) -> PostMetrics:
    # The API sends counts as strings (uint64 in the discovery document).
    stats = video.get("statistics") or {}

    def count(name: str) -> int:
        value = stats.get(name)
        return int(value) if isinstance(value, str) and value.isdigit() else 0

    return PostMetrics(
        network_post_id=str(video["id"]),
        fetched_at=utc_now(),
        likes=count("likeCount"),
        replies=count("commentCount"),
        views=count("viewCount") if "viewCount" in stats else None,
    )


def video_snippet(request: PublishRequest) -> dict[str, Any]:
    """Title and description checked the way videos.insert checks them."""
    description = request.full_text
    title = request.title or (description.strip().splitlines() or [""])[0]
    if not request.title and len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "\u2026"
    found = []
    if len(title) > TITLE_MAX:
        found.append(f"The title is {len(title)} characters long; the limit is {TITLE_MAX}.")
    if len(description.encode("utf-8")) > DESCRIPTION_MAX_BYTES:
        found.append(f"The description is longer than YouTube's {DESCRIPTION_MAX_BYTES} bytes.")
    if any(sign in title + description for sign in "<>"):
        found.append("YouTube does not allow < or > in titles and descriptions.")
    if not title.strip():
        found.append("The video needs a title.")
    if found:
        raise Rejected(" ".join(found), code="limits")
    snippet: dict[str, Any] = {"title": title, "description": description, "categoryId": "22"}
    if request.language:
        snippet["defaultLanguage"] = request.language
    return snippet


def uploads_playlist(channel: Mapping[str, Any]) -> str:
    related = (channel.get("contentDetails") or {}).get("relatedPlaylists") or {}
    return str(related.get("uploads", ""))


def profile_from_channel(channel: Mapping[str, Any]) -> AccountProfile:
    snippet = channel.get("snippet") or {}
    stats = channel.get("statistics") or {}
    subscribers = str(stats.get("subscriberCount", ""))  # a string; absent when hidden
    visible = subscribers.isdigit()
    return AccountProfile(
        network_id=str(channel["id"]),
        handle=str(snippet.get("customUrl") or channel["id"]),
        display_name=str(snippet.get("title", "")),
        url=f"https://www.youtube.com/channel/{channel['id']}",
        followers=int(subscribers) if visible and not stats.get("hiddenSubscriberCount") else None,
        avatar_url=((snippet.get("thumbnails") or {}).get("default") or {}).get("url"),
    )
