"""X API v2 shapes: error bodies, tweets, users and limits.

Shapes follow https://docs.x.com/x-api (posts, users, media, "Fundamentals → Response
codes and errors") and the OpenAPI models in the ``xdk`` package.
"""

import html
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
from varde.connectors.text import fingerprint

NETWORK = "X"
API = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
TOKEN_URL = f"{API}/2/oauth2/token"
# offline.access is what makes X hand out a refresh token.
SCOPES = (
    "tweet.read",
    "tweet.write",
    "tweet.moderate.write",
    "users.read",
    "media.write",
    "offline.access",
)
LIMITS = Limits(
    text_max=280,
    counting=TextCounting.WEIGHTED,
    link_length=23,  # every URL is wrapped by t.co and counts 23
    max_media=4,
    # API v2 POST /2/tweets, media.media_ids: up to 4 images, or one GIF, or one video.
    video_alone=True,
    media_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4"}),
    max_image_bytes=5 * 1024 * 1024,
    max_video_bytes=512 * 1024 * 1024,
    max_alt_text=1000,
    threads=True,
    # docs.x.com, X API → Media → Best practices, "Size and duration limits" and "Advanced":
    # video on a Post 0.5 s to 20 minutes by default, to 125 minutes for Premium / verified
    # accounts; aspect ratio between 1:3 and 3:1. (The older page said 0.5–140 s; 140 s is
    # now the cap for video in a DM.)
    min_video_seconds=0.5,
    max_video_seconds=125 * 60,
    max_video_seconds_basic=20 * 60,
    min_video_aspect=1 / 3,
    max_video_aspect=3,
)
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,entities,public_metrics"


def read_error(response: httpx.Response) -> ErrorDetail:
    """Three shapes: a problem ``{"title", "detail", "type"}``, a problem with an ``errors``
    array of ``{"message", "parameters"}``, and OAuth's ``{"error", "error_description"}``."""
    body = response.json()
    if not isinstance(body, dict):
        return ErrorDetail(reason=None)
    if isinstance(body.get("error_description"), str):
        error = body.get("error")
        return ErrorDetail(
            reason=body["error_description"], code=error if isinstance(error, str) else None
        )
    messages = [
        str(item["message"])
        for item in body.get("errors") or ()
        if isinstance(item, dict) and isinstance(item.get("message"), str)
    ]
    detail = body.get("detail") if isinstance(body.get("detail"), str) else None
    title = body.get("title") if isinstance(body.get("title"), str) else None
    reason = "; ".join(dict.fromkeys(messages)) or detail or title
    kind = body.get("type")
    return ErrorDetail(reason=reason, code=kind if isinstance(kind, str) else title)


def tweet_url(tweet_id: str, username: str | None) -> str:
    return f"https://x.com/{username or 'i'}/status/{tweet_id}"


def created_result(body: Mapping[str, Any], username: str | None) -> PublishResult:
    data = body.get("data") or {}
    tweet_id = str(data["id"])
    return PublishResult(
        network_post_id=tweet_id, url=tweet_url(tweet_id, username), published_at=utc_now()
    )


def visible_text(tweet: Mapping[str, Any]) -> str:
    """The text as written: t.co links expanded back, HTML entities (``&amp;``) undone."""
    text = str((tweet.get("note_tweet") or {}).get("text") or tweet.get("text", ""))
    for url in (tweet.get("entities") or {}).get("urls") or ():
        if isinstance(url, dict) and url.get("url") and url.get("expanded_url"):
            text = text.replace(str(url["url"]), str(url["expanded_url"]))
    return html.unescape(text)


def tweet_fingerprint(tweet: Mapping[str, Any]) -> str:
    return fingerprint(visible_text(tweet))


def mention_from_tweet(
    tweet: Mapping[str, Any], users: Mapping[str, Mapping[str, Any]], own_id: str | None
) -> Mention:
    author = users.get(str(tweet.get("author_id")), {})
    username = str(author.get("username", ""))
    replied_to = next(
        (
            str(ref["id"])
            for ref in tweet.get("referenced_tweets") or ()
            if isinstance(ref, dict) and ref.get("type") == "replied_to"
        ),
        None,
    )
    to_us = own_id is not None and str(tweet.get("in_reply_to_user_id")) == own_id
    return Mention(
        id=str(tweet["id"]),
        kind=MentionKind.COMMENT if to_us and replied_to else MentionKind.MENTION,
        author_handle=username,
        author_name=str(author.get("name") or username),
        text=visible_text(tweet),
        url=tweet_url(str(tweet["id"]), username),
        created_at=parse_time(tweet.get("created_at")) or utc_now(),
        in_reply_to=replied_to,
    )


def metrics_from_tweet(tweet: Mapping[str, Any]) -> PostMetrics:
    counts = tweet.get("public_metrics") or {}
    views = counts.get("impression_count")
    return PostMetrics(
        network_post_id=str(tweet["id"]),
        fetched_at=utc_now(),
        likes=int(counts.get("like_count") or 0),
        reposts=int(counts.get("retweet_count") or 0),
        replies=int(counts.get("reply_count") or 0),
        quotes=int(counts.get("quote_count") or 0),
        views=int(views) if isinstance(views, int) else None,
    )


def newer_id(current: str | None, candidate: object) -> str | None:
    # Tweet ids are snowflakes: numeric strings that grow with time.
    value = str(candidate) if candidate is not None else ""
    if not value.isdigit():
        return current
    if current is None or not current.isdigit() or int(value) > int(current):
        return value
    return current
