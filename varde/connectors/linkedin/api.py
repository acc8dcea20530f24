"""LinkedIn Community Management API shapes: errors, little text, URNs, comments.

Shapes follow https://learn.microsoft.com/linkedin/marketing/community-management/ (shares/
posts-api, shares/images-api, shares/comments-api, little-text-format, organizations/
organization-lookup-api) and https://learn.microsoft.com/linkedin/shared/api-guide/concepts/
error-handling.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from varde.connectors.contracts import (
    Limits,
    Mention,
    MentionKind,
    PostMetrics,
    TextCounting,
)
from varde.connectors.http import ErrorDetail, utc_now

NETWORK = "LinkedIn"
API = "https://api.linkedin.com"
AUTHORIZE_URL = "https://www.linkedin.com/oauth/v2/authorization"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105  (a URL, not a secret)
# Versioned API ("LinkedIn-Version: YYYYMM"); a version is served for about a year.
DEFAULT_VERSION = "202605"
SCOPES = ("r_organization_social", "w_organization_social", "rw_organization_admin")
LIMITS = Limits(
    text_max=3000,
    counting=TextCounting.CODEPOINTS,
    max_media=20,
    # Posts API: content.media holds one video, or content.multiImage several images.
    video_alone=True,
    # Videos API: a video is an MP4 file.
    media_types=frozenset({"image/jpeg", "image/png", "image/gif", "video/mp4"}),
    # Images API: at most 36,152,320 pixels; LinkedIn documents no byte limit for images.
    max_alt_text=4086,
    threads=False,
    # Videos API, "Video File Size Specifications" (learn.microsoft.com/linkedin/marketing/
    # community-management/shares/videos-api): 3 s to 30 minutes; aspect 1:2.4 to 2.4:1.
    min_video_seconds=3,
    max_video_seconds=30 * 60,
    min_video_aspect=1 / 2.4,
    max_video_aspect=2.4,
)
# Little Text Format: these characters are markup and must be escaped to show as text.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_ESCAPED = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")
_COMMENT_URN = re.compile(r"^urn:li:comment:\((urn:li:[A-Za-z]+:[^,]+),([^)]+)\)$")


def read_error(response: httpx.Response) -> ErrorDetail:
    """``{"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": ...}``;
    the OAuth endpoints answer ``{"error", "error_description"}``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    if isinstance(body.get("error_description"), str):
        error = body.get("error")
        return ErrorDetail(
            reason=body["error_description"], code=error if isinstance(error, str) else None
        )
    message = body.get("message") if isinstance(body.get("message"), str) else None
    code = body.get("code") or body.get("serviceErrorCode")
    return ErrorDetail(reason=message, code=str(code) if code is not None else None)


def escape_little_text(text: str) -> str:
    return _RESERVED.sub(r"\\\1", text)


def unescape_little_text(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def urn_path(urn: str) -> str:
    """A URN as one path segment or query value (Rest.li 2.0 wants it percent-encoded)."""
    return quote(urn, safe="")


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def millis_time(value: object) -> datetime | None:
    if isinstance(value, int) and value > 0:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return None


def comment_target(urn: str) -> tuple[str, str | None]:
    """``(object, parentComment)`` for answering ``urn``: a comment is answered as a nested
    comment on its activity, a post with a top-level comment."""
    match = _COMMENT_URN.match(urn)
    if match:
        return match.group(1), urn
    return urn, None


def comment_urn(comment: Mapping[str, Any]) -> str:
    return str(comment.get("commentUrn") or comment.get("$URN") or comment.get("id", ""))


def post_body(author: str, commentary: str) -> dict[str, Any]:
    """A public feed post as the Posts API takes it; ``content`` is added for media."""
    return {
        "author": author,
        "commentary": commentary,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def mention_from_comment(comment: Mapping[str, Any], post_urn: str) -> Mention | None:
    created = millis_time((comment.get("created") or {}).get("time"))
    if created is None:
        return None
    actor = str(comment.get("actor", ""))
    parent = comment.get("parentComment")
    return Mention(
        id=comment_urn(comment),
        kind=MentionKind.COMMENT,
        # The API gives a member URN only; names need a profile permission Varde lacks.
        author_handle=actor,
        author_name=actor,
        text=str((comment.get("message") or {}).get("text", "")),
        url=post_url(post_urn),
        created_at=created,
        in_reply_to=str(parent) if parent else post_urn,
    )


def metrics_from_social_actions(body: Mapping[str, Any], post_urn: str) -> PostMetrics:
    likes = (body.get("likesSummary") or {}).get("totalLikes")
    comments = body.get("commentsSummary") or {}
    replies = comments.get("aggregatedTotalComments", comments.get("totalFirstLevelComments"))
    return PostMetrics(
        network_post_id=post_urn,
        fetched_at=utc_now(),
        likes=int(likes or 0),
        replies=int(replies or 0),
    )
