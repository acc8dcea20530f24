"""YouTube over the Data API v3: resumable video upload, comments, moderation, statistics.

Reference: https://developers.google.com/youtube/v3/docs (videos.insert, videos.delete,
videos.list, commentThreads.list/insert, comments.insert, comments.setModerationStatus,
channels.list, playlistItems.list), https://developers.google.com/youtube/v3/guides/
using_resumable_upload_protocol and https://developers.google.com/identity/protocols/
oauth2/web-server (authorization code with PKCE, ``access_type=offline``).

Per-account config: ``client_id``, ``client_secret``, ``code_verifier`` during the connect
flow (see ``oauth.py``) and optional ``privacy_status`` (``public``, ``unlisted``,
``private``; default ``public``). Credentials: ``extra`` holds ``channel_id`` and
``uploads_playlist``. A post is one video; its text is the description, ``title`` the title.
The resumable upload itself lives in ``youtube_upload.py``.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx
from django.utils.translation import gettext_lazy

from varde.connectors.base import BaseConnector
from varde.connectors.capabilities import Capability
from varde.connectors.chain import publish_chain
from varde.connectors.checks import ensure_publishable
from varde.connectors.connect import ConnectForms
from varde.connectors.contracts import (
    AccountProfile,
    AuthorizeRedirect,
    Credentials,
    Limits,
    Mention,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from varde.connectors.errors import (
    NotSupported,
    RateLimited,
    Rejected,
)
from varde.connectors.http import json_object, parse_time, send, utc_now
from varde.connectors.look import MORE, FeedCut, NetworkLook, PreviewShape
from varde.connectors.oauth import (
    code_challenge,
    credentials_from_token,
    refresh_grant,
    token_request,
)
from varde.connectors.registry import register
from varde.connectors.text import fingerprint
from varde.connectors.youtube import connect
from varde.connectors.youtube.api import (
    API,
    AUTHORIZE_URL,
    LIMITS,
    NETWORK,
    RATE_REASONS,
    SCOPES,
    TOKEN_URL,
    metrics_from_video,
    profile_from_channel,
    read_error,
    thread_mentions,
    uploads_playlist,
    video_snippet,
    video_url,
)
from varde.connectors.youtube.upload import upload_video

_GONE = frozenset({404, 410})
_PAGE_SIZE = 50
_MAX_PAGES = 10


@register
class YouTubeConnector(BaseConnector):
    key: ClassVar[str] = "youtube"
    label: ClassVar[str] = "YouTube"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=gettext_lazy("Videos on your YouTube channel."),
        mark="youtube",
        shape=PreviewShape.VIDEO,
        # The description folds after its first lines, commonly measured as 100-150 characters
        # (YouTube publishes no number); the longer one is used.
        feed_cut=FeedCut(more=MORE, graphemes=150),
    )
    limits: ClassVar[Limits] = LIMITS
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.VIDEO
        | Capability.FIRST_COMMENT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.REPLY
        | Capability.HIDE
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = (
        "client_id",
        "client_secret",
        "code_verifier",
        "privacy_status",
    )
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret", "code_verifier"})
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    # Chunks must be multiples of 256 KiB; a lost chunk is resumed from the server's Range.
    upload_chunk_bytes: ClassVar[int] = 32 * 256 * 1024
    upload_resume_attempts: ClassVar[int] = 3

    # -- plumbing -------------------------------------------------------------------------

    def _call(self, method: str, url: str, *, side_effect: bool, **kwargs: Any) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self._creds().access_token}",
            **kwargs.pop("headers", {}),
        }
        try:
            return send(
                self.client,
                method,
                url if url.startswith("https://") else f"{API}{url}",
                side_effect=side_effect,
                read_error=read_error,
                network=NETWORK,
                headers=headers,
                **kwargs,
            )
        except Rejected as error:
            if error.code in RATE_REASONS:
                # Daily quota resets at midnight Pacific time; YouTube gives no wait.
                raise RateLimited(
                    f"{NETWORK}: {error.reason}", retry_after=None, status=error.status
                ) from error
            raise

    def _object(self, method: str, url: str, *, side_effect: bool, **kwargs: Any) -> dict[str, Any]:
        response = self._call(method, url, side_effect=side_effect, **kwargs)
        return json_object(response, side_effect=side_effect, network=NETWORK)

    def _channel(self) -> dict[str, Any]:
        body = self._object(
            "GET",
            "/channels",
            side_effect=False,
            params={"part": "snippet,statistics,contentDetails", "mine": "true"},
        )
        items = body.get("items") or []
        if not items:
            raise Rejected("This Google account has no YouTube channel.", code="no_channel")
        return dict(items[0])

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        query = {
            "client_id": self._config("client_id"),
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "state": state,
            "access_type": "offline",  # a refresh token
            "prompt": "consent",
            "include_granted_scopes": "true",
            "code_challenge": code_challenge(self._config("code_verifier")),
            "code_challenge_method": "S256",
        }
        return AuthorizeRedirect(f"{AUTHORIZE_URL}?{urlencode(query)}")

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        return token_request(
            self.client,
            TOKEN_URL,
            form,
            client_id=self._config("client_id"),
            client_secret=self._config("client_secret"),
            network=NETWORK,
            read_error=read_error,
        )

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        token = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": self._config("code_verifier"),
            }
        )
        self.credentials = credentials_from_token(token, None)
        channel = self._channel()
        uploads = uploads_playlist(channel)
        return replace(
            self.credentials,
            extra={"channel_id": str(channel["id"]), "uploads_playlist": str(uploads)},
        )

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)

    def refresh(self) -> Credentials:
        return refresh_grant(
            self._token,
            self._creds(),
            network=NETWORK,
            revoked={"invalid_grant"},
            no_refresh_token=f"{NETWORK}: no refresh token was granted; connect the channel again",
        )

    def get_account(self) -> AccountProfile:
        return profile_from_channel(self._channel())

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        videos = [item for item in request.media if item.is_video]
        if len(videos) != 1:
            raise Rejected("A YouTube post is exactly one video.", code="limits")
        body = {
            "snippet": video_snippet(request),
            "status": {
                "privacyStatus": self.config.get("privacy_status") or "public",
                "selfDeclaredMadeForKids": False,
            },
        }
        video = upload_video(
            self._call,
            videos[0],
            body,
            chunk_bytes=self.upload_chunk_bytes,
            resume_attempts=self.upload_resume_attempts,
        )
        video_id = str(video["id"])
        published = parse_time((video.get("snippet") or {}).get("publishedAt")) or utc_now()
        result = PublishResult(
            network_post_id=video_id, url=video_url(video_id), published_at=published
        )
        return publish_chain(request, result, head=video_id, post_reply=self._comment_reply)

    def _comment_reply(self, text: str, video_id: str, _part: str) -> tuple[str, str]:
        # A comment on a video is a new comment thread (commentThreads.insert).
        thread = self._object(
            "POST",
            "/commentThreads",
            side_effect=True,
            params={"part": "snippet"},
            json={
                "snippet": {
                    "videoId": video_id,
                    "topLevelComment": {"snippet": {"textOriginal": text}},
                }
            },
        )
        return video_id, str(thread.get("id", ""))

    def delete(self, network_post_id: str) -> None:
        try:
            self._call("DELETE", "/videos", side_effect=False, params={"id": network_post_id})
        except Rejected as error:
            if error.status not in _GONE:
                raise

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        """Looks through the channel's uploads playlist (1 quota unit a page, where
        search.list costs 100) for a video whose description matches."""
        wanted = fingerprint(request.full_text)
        playlist = self._creds().extra.get("uploads_playlist") or uploads_playlist(self._channel())
        params: dict[str, Any] = {
            "part": "snippet,contentDetails",
            "playlistId": playlist,
            "maxResults": _PAGE_SIZE,
        }
        for _ in range(_MAX_PAGES):
            body = self._object("GET", "/playlistItems", side_effect=False, params=params)
            items = [item for item in body.get("items") or () if isinstance(item, dict)]
            for item in items:
                snippet = item.get("snippet") or {}
                created = parse_time(snippet.get("publishedAt"))
                if (
                    created
                    and created >= since
                    and fingerprint(str(snippet.get("description", ""))) == wanted
                ):
                    video_id = str((item.get("contentDetails") or {}).get("videoId") or "")
                    return PublishResult(
                        network_post_id=video_id, url=video_url(video_id), published_at=created
                    )
            oldest = (
                parse_time((items[-1].get("snippet") or {}).get("publishedAt")) if items else None
            )
            token = body.get("nextPageToken")
            if not token or oldest is None or oldest < since:
                return None
            params["pageToken"] = token
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Comments and replies on the channel's videos newer than ``cursor`` (an ISO time),
        newest threads first (``order=time``), following ``nextPageToken``."""
        channel = self._creds().extra.get("channel_id") or str(self._channel()["id"])
        since = parse_time(cursor)
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": channel,
            "order": "time",
            "maxResults": 100,
            "textFormat": "plainText",
        }
        found: list[Mention] = []
        for _ in range(_MAX_PAGES if since else 1):
            body = self._object("GET", "/commentThreads", side_effect=False, params=params)
            threads = [t for t in body.get("items") or () if isinstance(t, dict)]
            for thread in threads:
                found += [
                    m
                    for m in thread_mentions(thread, channel)
                    if since is None or m.created_at > since
                ]
            last = threads[-1] if threads else {}
            updated = parse_time(
                ((last.get("snippet") or {}).get("topLevelComment") or {})
                .get("snippet", {})
                .get("updatedAt")
            )
            token = body.get("nextPageToken")
            if not token or updated is None or (since is not None and updated <= since):
                break
            params["pageToken"] = token
        found.sort(key=lambda mention: mention.created_at)
        newest = found[-1].created_at.isoformat() if found else cursor
        return Page(items=tuple(found), cursor=newest)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        ids = list(network_post_ids)
        metrics: list[PostMetrics] = []
        for start in range(0, len(ids), _PAGE_SIZE):
            body = self._object(
                "GET",
                "/videos",
                side_effect=False,
                params={"part": "statistics", "id": ",".join(ids[start : start + _PAGE_SIZE])},
            )
            metrics += [metrics_from_video(video) for video in body.get("items") or ()]
        return tuple(metrics)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        # Replies hang under the top-level comment; a reply's id is "<parent>.<reply>".
        parent = to.split(".", 1)[0]
        comment = self._object(
            "POST",
            "/comments",
            side_effect=True,
            params={"part": "snippet"},
            json={"snippet": {"parentId": parent, "textOriginal": text}},
        )
        snippet = comment.get("snippet") or {}
        return PublishResult(
            network_post_id=str(comment["id"]),
            url="",
            published_at=parse_time(snippet.get("publishedAt")) or utc_now(),
        )

    def _moderate(self, comment_id: str, status: str) -> None:
        self._call(
            "POST",
            "/comments/setModerationStatus",
            side_effect=False,
            params={"id": comment_id, "moderationStatus": status},
        )

    def hide(self, comment_id: str) -> None:
        self._moderate(comment_id, "heldForReview")

    def unhide(self, comment_id: str) -> None:
        self._moderate(comment_id, "published")
