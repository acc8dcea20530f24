"""How the Facebook connector counts one Page post or Page video.

A Page post (id "{page-id}_{post-id}") and a Page video (one number) are read differently:
a video has no ``shares`` field and its own insights edge, ``video_insights``, whose
``total_video_views`` counts views of 3 s or more
(https://developers.facebook.com/docs/video-api/guides/insights); a post's views are its
``post_impressions`` (https://developers.facebook.com/docs/graph-api/reference/insights).
Kept apart from ``facebook.py`` so the connector stays about the Page and its requests.
"""

from collections.abc import Callable
from typing import Any

from varde.connectors.contracts import PostMetrics
from varde.connectors.http import utc_now

# One GET on the Graph API: (path, query parameters) -> the answer's JSON object.
Get = Callable[[str, dict[str, Any]], dict[str, Any]]

_VIDEO_COUNT_FIELDS = (
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
_COUNT_FIELDS = f"{_VIDEO_COUNT_FIELDS},shares"


def is_video_id(network_post_id: str) -> bool:
    # A Page post's id is "{page-id}_{post-id}"; a video's id is one number.
    return "_" not in network_post_id


def _total(counted: Any) -> int:
    # reactions/comments come as {"summary": {"total_count": n}} (Graph's summary=true).
    return int(((counted or {}).get("summary") or {}).get("total_count") or 0)


def post_metrics(get: Get, post_id: str) -> PostMetrics:
    """The counts of one post or video: two GETs, its fields and then its insights."""
    video = is_video_id(post_id)
    post = get(f"/{post_id}", {"fields": _VIDEO_COUNT_FIELDS if video else _COUNT_FIELDS})
    metric = "total_video_views" if video else "post_impressions"
    insights = get(
        f"/{post_id}/video_insights" if video else f"/{post_id}/insights", {"metric": metric}
    )
    views = next(
        (
            values[0].get("value")
            for item in insights.get("data") or ()
            if item.get("name") == metric and (values := item.get("values"))
        ),
        None,
    )
    return PostMetrics(
        network_post_id=post_id,
        fetched_at=utc_now(),
        likes=_total(post.get("reactions")),
        replies=_total(post.get("comments")),
        reposts=int((post.get("shares") or {}).get("count") or 0),
        views=views if isinstance(views, int) else None,
    )
