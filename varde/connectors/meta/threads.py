"""Threads (Meta) over the Threads API at graph.threads.net.

Reference: https://developers.facebook.com/docs/threads/ (posts: POST /{user-id}/threads
then POST /{user-id}/threads_publish; reply-management: ``reply_to_id``, /conversation,
POST /{reply-id}/manage_reply; insights: /{media-id}/insights, /{user-id}/threads_insights;
get-started/get-access-tokens-and-permissions; troubleshooting/publishing-limits).

Errors have the Graph shape (``graph_api.read_error``); code 190 is an expired token.
Requests, paging and container polling are shared with the other Meta connectors
(``graph_connector.py``); the comment window with ``graph_comments.py``.
Images and videos are fetched by Threads from ``MediaItem.public_url``. Long-lived tokens
last 60 days and ``refresh`` renews them (``th_refresh_token``).

Per-account config: ``client_id`` and ``client_secret``. Credentials: ``extra`` holds
``user_id`` and ``username``.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from varde.connectors.capabilities import Capability
from varde.connectors.chain import publish_chain
from varde.connectors.checks import ensure_publishable
from varde.connectors.connect import ConnectForms
from varde.connectors.contracts import (
    AccountProfile,
    AuthorizeRedirect,
    Credentials,
    Limits,
    MediaItem,
    Mention,
    MentionKind,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
    TextCounting,
)
from varde.connectors.errors import NotSupported, Rejected
from varde.connectors.http import json_object, parse_time, utc_now
from varde.connectors.look import NetworkLook
from varde.connectors.meta import connect, graph_api
from varde.connectors.meta.graph_comments import NewComments
from varde.connectors.meta.graph_connector import ContainerPublishing
from varde.connectors.registry import register
from varde.connectors.text import fingerprint

NETWORK = "Threads"
HOST = "https://graph.threads.net"
API = f"{HOST}/v1.0"
AUTHORIZE_URL = "https://threads.net/oauth/authorize"
SCOPES = (
    "threads_basic",
    "threads_content_publish",
    "threads_read_replies",
    "threads_manage_replies",
    "threads_manage_insights",
)
_RECENT_POSTS = 10
_PAGE_SIZE = 50
_MAX_PAGES = 10
_REPLY_FIELDS = "id,text,username,timestamp,permalink,replied_to,is_reply_owned_by_me"


@register
class ThreadsConnector(ContainerPublishing):
    key: ClassVar[str] = "threads"
    label: ClassVar[str] = "Threads"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Text posts, images and videos on Threads."),
        mark="threads",
        link_card=True,
    )
    network: ClassVar[str] = NETWORK
    api_root: ClassVar[str] = API
    limits: ClassVar[Limits] = Limits(
        text_max=500,
        counting=TextCounting.EMOJI_BYTES,
        max_media=20,  # a carousel holds 2 to 20 items
        media_types=frozenset({"image/jpeg", "image/png", "video/mp4", "video/quicktime"}),
        max_image_bytes=8 * 1024 * 1024,
        max_video_bytes=1024 * 1024 * 1024,
        threads=True,
        media_by_url=True,  # Threads downloads each file from MediaItem.public_url
        # Threads API overview, "Video specifications" (developers.facebook.com/docs/threads/
        # overview): at most 300 s, "minimum longer than 0 seconds"; aspect 0.01:1 to 10:1.
        max_video_seconds=300,
        min_video_aspect=0.01,
        max_video_aspect=10,
    )
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.VIDEO
        | Capability.THREADS
        | Capability.FIRST_COMMENT
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.REPLY
        | Capability.HIDE
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = ("client_id", "client_secret")
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})
    connect_forms: ClassVar[ConnectForms] = connect.THREADS
    container_poll_interval: ClassVar[float] = 5.0
    container_poll_attempts: ClassVar[int] = 60
    container_status_field: ClassVar[str] = "status"
    container_reason_field: ClassVar[str] = "error_message"
    container_failed: ClassVar[str] = "Threads could not process the post ({status})"
    container_pending: ClassVar[str] = (
        "Threads is still processing the media; the post was not sent and can be retried"
    )

    def _user(self) -> str:
        return self._creds().extra.get("user_id") or "me"

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        query = {
            "client_id": self._config("client_id"),
            "redirect_uri": redirect_uri,
            "scope": ",".join(SCOPES),
            "response_type": "code",
            "state": state,
        }
        return AuthorizeRedirect(f"{AUTHORIZE_URL}?{urlencode(query)}")

    def _token_call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        response = graph_api.call(
            self.client, method, url, token=None, side_effect=False, network=NETWORK, **kwargs
        )
        return json_object(response, side_effect=False, network=NETWORK)

    @staticmethod
    def _long_lived(answer: dict[str, Any], previous: Credentials) -> Credentials:
        expires_in = answer.get("expires_in")
        return replace(
            previous,
            access_token=str(answer["access_token"]),
            expires_at=utc_now() + timedelta(seconds=expires_in)
            if isinstance(expires_in, int)
            else None,
        )

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        short = self._token_call(
            "POST",
            f"{HOST}/oauth/access_token",
            data={
                "client_id": self._config("client_id"),
                "client_secret": self._config("client_secret"),
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        answer = self._token_call(
            "GET",
            f"{HOST}/access_token",
            params={
                "grant_type": "th_exchange_token",
                "client_secret": self._config("client_secret"),
                "access_token": str(short["access_token"]),
            },
        )
        self.credentials = self._long_lived(answer, Credentials(access_token="", scopes=SCOPES))
        profile = self.get_account()
        return replace(
            self.credentials, extra={"user_id": profile.network_id, "username": profile.handle}
        )

    def refresh(self) -> Credentials:
        creds = self._creds()
        answer = self._token_call(
            "GET",
            f"{HOST}/refresh_access_token",
            params={"grant_type": "th_refresh_token", "access_token": creds.access_token},
        )
        return self._long_lived(answer, creds)

    def get_account(self) -> AccountProfile:
        user = self._object(
            "GET",
            "/me",
            side_effect=False,
            params={"fields": "id,username,name,threads_profile_picture_url"},
        )
        insights = self._object(
            "GET",
            f"/{user.get('id', 'me')}/threads_insights",
            side_effect=False,
            params={"metric": "followers_count"},
        )
        followers = next(
            (
                (item.get("total_value") or {}).get("value")
                for item in insights.get("data") or ()
                if item.get("name") == "followers_count"
            ),
            None,
        )
        username = str(user.get("username", ""))
        return AccountProfile(
            network_id=str(user.get("id", "")),
            handle=username,
            display_name=str(user.get("name") or username),
            url=f"https://www.threads.net/@{username}",
            followers=followers if isinstance(followers, int) else None,
            avatar_url=user.get("threads_profile_picture_url"),
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        if any(not item.public_url for item in request.media):
            msg = "Threads fetches media from a public address, and this media has none."
            raise Rejected(msg, code="media_url")
        result = self._post(request.full_text, media=request.media, reply_to=request.reply_to)
        return publish_chain(
            request, result, head=result.network_post_id, post_reply=self._post_reply
        )

    def _post_reply(self, text: str, parent: str, _part: str) -> tuple[str, str]:
        post_id = self._post(text, reply_to=parent).network_post_id
        return post_id, post_id

    def _post(
        self, text: str, *, reply_to: str | None, media: Sequence[MediaItem] = ()
    ) -> PublishResult:
        if len(media) > 1:
            children = [self._container(item, text=None, carousel_item=True) for item in media]
            for child in children:
                self._wait_for_container(child)
            body: dict[str, Any] = {"media_type": "CAROUSEL", "children": ",".join(children)}
            if text:
                body["text"] = text
            container = self._create(body, reply_to)
        elif media:
            container = self._container(media[0], text=text, reply_to=reply_to)
        else:
            container = self._create({"media_type": "TEXT", "text": text}, reply_to)
        self._wait_for_container(container)
        published = self._object(
            "POST",
            f"/{self._user()}/threads_publish",
            side_effect=True,
            json={"creation_id": container},
        )
        post_id = str(published["id"])
        username = self._creds().extra.get("username", "")
        return PublishResult(
            network_post_id=post_id,
            url=f"https://www.threads.net/@{username}/post/{post_id}" if username else "",
            published_at=utc_now(),
        )

    def _create(self, body: dict[str, Any], reply_to: str | None) -> str:
        # A container is invisible until threads_publish: safe to retry.
        if reply_to:
            body["reply_to_id"] = reply_to
        created = self._object("POST", f"/{self._user()}/threads", side_effect=False, json=body)
        return str(created["id"])

    def _container(
        self,
        item: MediaItem,
        *,
        text: str | None,
        carousel_item: bool = False,
        reply_to: str | None = None,
    ) -> str:
        body: dict[str, Any] = (
            {"media_type": "VIDEO", "video_url": item.public_url}
            if item.is_video
            else {"media_type": "IMAGE", "image_url": item.public_url}
        )
        if carousel_item:
            body["is_carousel_item"] = True
        if text:
            body["text"] = text
        return self._create(body, reply_to)

    def delete(self, network_post_id: str) -> None:
        raise NotSupported(Capability.DELETE, self.key)

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        wanted = fingerprint(request.full_text)
        params = {
            "fields": "id,text,timestamp,permalink",
            "since": int(since.timestamp()),
            "limit": _PAGE_SIZE,
        }
        for body in self._pages(f"/{self._user()}/threads", params, max_pages=_MAX_PAGES):
            for post in body.get("data") or ():
                created = parse_time(post.get("timestamp"))
                if (
                    created
                    and created >= since
                    and fingerprint(str(post.get("text", ""))) == wanted
                ):
                    return PublishResult(
                        network_post_id=str(post["id"]),
                        url=str(post.get("permalink") or ""),
                        published_at=created,
                    )
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Replies at any depth under the latest posts (``/conversation``), newer than
        ``cursor`` (a Unix time); the account's own replies are left out."""
        window = NewComments(cursor)
        posts = self._object(
            "GET",
            f"/{self._user()}/threads",
            side_effect=False,
            params={"fields": "id", "limit": _RECENT_POSTS},
        )
        for post in posts.get("data") or ():
            body = self._object(
                "GET",
                f"/{post['id']}/conversation",
                side_effect=False,
                params={"fields": _REPLY_FIELDS, "reverse": "false"},
            )
            for reply in body.get("data") or ():
                created = parse_time(reply.get("timestamp"))
                if not window.is_new(created) or reply.get("is_reply_owned_by_me"):
                    continue
                window.add(
                    Mention(
                        id=str(reply["id"]),
                        kind=MentionKind.COMMENT,
                        author_handle=str(reply.get("username", "")),
                        author_name=str(reply.get("username", "")),
                        text=str(reply.get("text", "")),
                        url=str(reply.get("permalink") or ""),
                        created_at=created,
                        in_reply_to=str((reply.get("replied_to") or {}).get("id") or post["id"]),
                    )
                )
        return window.page()

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        metrics = []
        for post_id in network_post_ids:
            body = self._object(
                "GET",
                f"/{post_id}/insights",
                side_effect=False,
                params={"metric": "views,likes,replies,reposts,quotes"},
            )
            values = {
                str(item.get("name")): int(((item.get("values") or [{}])[0]).get("value") or 0)
                for item in body.get("data") or ()
            }
            metrics.append(
                PostMetrics(
                    network_post_id=post_id,
                    fetched_at=utc_now(),
                    likes=values.get("likes", 0),
                    replies=values.get("replies", 0),
                    reposts=values.get("reposts", 0),
                    quotes=values.get("quotes", 0),
                    views=values.get("views"),
                )
            )
        return tuple(metrics)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        ensure_publishable(
            PublishRequest(text=text, idempotency_key=idempotency_key),
            self.effective_limits(),
            self.capabilities,
            self.key,
        )
        return self._post(text, reply_to=to)

    def hide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}/manage_reply", side_effect=False, data={"hide": "true"})

    def unhide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}/manage_reply", side_effect=False, data={"hide": "false"})
