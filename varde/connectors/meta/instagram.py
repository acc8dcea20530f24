"""Instagram professional accounts over the Graph API's content publishing endpoints.

Reference: https://developers.facebook.com/docs/instagram-platform/content-publishing
(POST /{ig-user-id}/media → container, GET /{container-id}?fields=status_code, POST
/{ig-user-id}/media_publish, GET /{ig-user-id}/content_publishing_limit),
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/
ig-comment (replies, ``hide``) and ig-media, ig-user.

Instagram downloads media itself: every image or video needs ``MediaItem.public_url``, and
a post without media is refused (Instagram has no text-only posts). The connection is
Facebook Login with the Page linked to the Instagram account; the long-lived user token
lasts 60 days and ``refresh`` extends it. The channels app lists the Instagram accounts
linked to the person's Pages (``GET /me/accounts`` with ``instagram_business_account``, see
``managed.py``) and the person chooses one. Facebook Login, requests, paging and
container polling are shared with the other Meta connectors (``graph_connector.py``); the
comment window with ``graph_comments.py``.

Per-account config: ``client_id``, ``client_secret`` and ``ig_user_id``.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.connectors.capabilities import Capability
from varde.connectors.chain import publish_chain
from varde.connectors.checks import ensure_publishable
from varde.connectors.connect import ConnectForms
from varde.connectors.contracts import (
    AccountProfile,
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
from varde.connectors.errors import (
    ConnectorError,
    NotSupported,
    RateLimited,
    Rejected,
)
from varde.connectors.http import parse_time, utc_now
from varde.connectors.look import MORE, FeedCut, NetworkLook
from varde.connectors.managed import ManagedAccount
from varde.connectors.meta import connect, graph_api
from varde.connectors.meta.graph_comments import NewComments
from varde.connectors.meta.graph_connector import ContainerPublishing, FacebookLoginConnector
from varde.connectors.registry import register
from varde.connectors.text import fingerprint

NETWORK = "Instagram"
SCOPES = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "pages_show_list",
    "pages_read_engagement",
)
# Publishing needs one of these tasks on the linked Page (reference/ig-user/media_publish).
POST_TASKS = frozenset({"MANAGE", "CREATE_CONTENT"})
_RECENT_MEDIA = 10
_PAGE_SIZE = 50
_MAX_PAGES = 10
_COMMENT_FIELDS = "id,text,timestamp,username,replies{id,text,timestamp,username}"


@register
class InstagramConnector(FacebookLoginConnector, ContainerPublishing):
    key: ClassVar[str] = "instagram"
    label: ClassVar[str] = "Instagram"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Photos, carousels and reels on your Instagram professional account."),
        mark="instagram",
        # The fold: about 125 characters of the caption (third-party measurements; Meta
        # publishes none). Links in a caption are plain text, never a card.
        feed_cut=FeedCut(more=MORE, graphemes=125),
        media_first=True,
        carousel=True,
    )
    network: ClassVar[str] = NETWORK
    scopes: ClassVar[tuple[str, ...]] = SCOPES
    limits: ClassVar[Limits] = Limits(
        text_max=2200,
        counting=TextCounting.CODEPOINTS,
        max_media=10,  # a carousel holds up to 10 images and videos
        media_types=frozenset({"image/jpeg", "video/mp4", "video/quicktime"}),
        max_image_bytes=8 * 1024 * 1024,
        media_required=True,  # Instagram has no text-only posts
        media_by_url=True,  # Instagram downloads each file from MediaItem.public_url
        # IG User Media reference, "Reels specifications" (developers.facebook.com/docs/
        # instagram-platform/instagram-graph-api/reference/ig-user/media): 3 s to 15 min,
        # aspect ratio 0.01:1 to 10:1. A single video goes out as a reel.
        min_video_seconds=3,
        max_video_seconds=15 * 60,
        min_video_aspect=0.01,
        max_video_aspect=10,
    )
    capabilities: ClassVar[Capability] = (
        Capability.IMAGES
        | Capability.VIDEO
        | Capability.TEXT
        | Capability.FIRST_COMMENT
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.REPLY
        | Capability.HIDE
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = ("client_id", "client_secret", "ig_user_id")
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})
    connect_forms: ClassVar[ConnectForms] = connect.INSTAGRAM
    managed_config_key: ClassVar[str] = "ig_user_id"
    # Video containers take a while; Meta suggests polling about once a minute for 5 minutes.
    container_poll_interval: ClassVar[float] = 10.0
    container_poll_attempts: ClassVar[int] = 30
    container_status_field: ClassVar[str] = "status_code"
    container_reason_field: ClassVar[str] = "status"
    container_failed: ClassVar[str] = "Instagram could not process the media ({status})"
    container_pending: ClassVar[str] = (
        "Instagram is still processing the media; the post was not sent and can be retried"
    )

    def _ig(self) -> str:
        return self._config("ig_user_id")

    # -- connecting (authorize_url, exchange_code_for_person: graph_connector.py) ---------

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        creds = self.exchange_code_for_person(code=code, redirect_uri=redirect_uri)
        self.credentials = creds
        profile = self.get_account()
        return self.credentials_for(
            ManagedAccount(id=self._ig(), name=profile.handle, handle=profile.handle)
        )

    def managed_accounts(self) -> tuple[ManagedAccount, ...]:
        """The Instagram professional accounts linked to the person's Pages."""
        pages = graph_api.managed_pages(
            self.client,
            token=self._creds().access_token,
            network=NETWORK,
            fields="id,name,tasks,instagram_business_account{id,username}",
        )
        found = []
        for page in pages:
            linked = page.get("instagram_business_account")
            if not isinstance(linked, dict) or not linked.get("id"):
                continue
            username = str(linked.get("username") or "")
            found.append(
                ManagedAccount(
                    id=str(linked["id"]),
                    name=username or str(linked["id"]),
                    handle=username,
                    via=str(page.get("name") or ""),
                    can_post=graph_api.page_allows(page, POST_TASKS),
                )
            )
        return tuple(found)

    def credentials_for(self, account: ManagedAccount) -> Credentials:
        return replace(
            self._creds(),
            scopes=SCOPES,
            extra={"ig_user_id": account.id, "username": account.handle},
        )

    def refresh(self) -> Credentials:
        creds = self._creds()
        fresh = graph_api.long_lived_user_token(
            self.client,
            client_id=self._config("client_id"),
            client_secret=self._config("client_secret"),
            network=NETWORK,
            token=creds.access_token,
        )
        return replace(creds, access_token=fresh.access_token, expires_at=fresh.expires_at)

    def get_account(self) -> AccountProfile:
        user = self._object(
            "GET",
            f"/{self._ig()}",
            side_effect=False,
            params={"fields": "id,username,name,followers_count,profile_picture_url"},
        )
        username = str(user.get("username", ""))
        followers = user.get("followers_count")
        return AccountProfile(
            network_id=str(user.get("id", self._ig())),
            handle=username,
            display_name=str(user.get("name") or username),
            url=f"https://www.instagram.com/{username}/",
            followers=followers if isinstance(followers, int) else None,
            avatar_url=user.get("profile_picture_url"),
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        if not request.media:
            raise Rejected("Instagram posts need an image or a video.", code="limits")
        if any(not item.public_url for item in request.media):
            msg = "Instagram fetches media from a public address, and this media has none."
            raise Rejected(msg, code="media_url")
        self._check_quota()
        caption = request.full_text
        if len(request.media) == 1:
            container = self._container(request.media[0], caption=caption)
        else:
            children = [self._container(item, carousel_item=True) for item in request.media]
            for child in children:
                self._wait_for_container(child)
            container = self._create(
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
            )
        self._wait_for_container(container)
        published = self._object(
            "POST",
            f"/{self._ig()}/media_publish",
            side_effect=True,
            json={"creation_id": container},
        )
        media_id = str(published["id"])
        result = PublishResult(
            network_post_id=media_id, url=self._permalink(media_id), published_at=utc_now()
        )
        return publish_chain(request, result, head=media_id, post_reply=self._comment_reply)

    def _comment_reply(self, text: str, media_id: str, _part: str) -> tuple[str, str]:
        created = self._object(
            "POST", f"/{media_id}/comments", side_effect=True, json={"message": text}
        )
        return media_id, str(created.get("id", ""))

    def _check_quota(self) -> None:
        body = self._object(
            "GET",
            f"/{self._ig()}/content_publishing_limit",
            side_effect=False,
            params={"fields": "quota_usage,config"},
        )
        [usage, *_] = body.get("data") or [{}]
        total = (usage.get("config") or {}).get("quota_total")
        used = usage.get("quota_usage")
        if isinstance(total, int) and isinstance(used, int) and used >= total:
            msg = f"Instagram allows {total} posts per 24 hours, and this account has used them"
            raise RateLimited(msg, retry_after=None, status=None)

    def _create(self, body: dict[str, Any]) -> str:
        # A container is invisible until media_publish: safe to retry (side_effect=False).
        created = self._object("POST", f"/{self._ig()}/media", side_effect=False, json=body)
        return str(created["id"])

    def _container(
        self, item: MediaItem, *, caption: str | None = None, carousel_item: bool = False
    ) -> str:
        body: dict[str, Any] = {}
        if item.is_video:
            body |= {
                "media_type": "VIDEO" if carousel_item else "REELS",
                "video_url": item.public_url,
            }
        else:
            body["image_url"] = item.public_url
        if carousel_item:
            body["is_carousel_item"] = True
        if caption is not None:
            body["caption"] = caption
        return self._create(body)

    def _permalink(self, media_id: str) -> str:
        try:
            media = self._object(
                "GET", f"/{media_id}", side_effect=False, params={"fields": "permalink"}
            )
        except ConnectorError:
            return ""  # the post is live; a missing link must not make it look failed
        return str(media.get("permalink") or "")

    def delete(self, network_post_id: str) -> None:
        raise NotSupported(Capability.DELETE, self.key)

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        wanted = fingerprint(request.full_text)
        params = {
            "fields": "id,caption,timestamp,permalink",
            "since": int(since.timestamp()),
            "limit": _PAGE_SIZE,
        }
        for body in self._pages(f"/{self._ig()}/media", params, max_pages=_MAX_PAGES):
            media = [m for m in body.get("data") or () if isinstance(m, dict)]
            for item in media:
                created = parse_time(item.get("timestamp"))
                if (
                    created
                    and created >= since
                    and fingerprint(str(item.get("caption", ""))) == wanted
                ):
                    return PublishResult(
                        network_post_id=str(item["id"]),
                        url=str(item.get("permalink") or ""),
                        published_at=created,
                    )
            oldest = parse_time(media[-1].get("timestamp")) if media else None
            if oldest is None or oldest < since:
                return None
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Comments and replies on the latest media newer than ``cursor`` (a Unix time);
        the account's own answers are left out."""
        window = NewComments(cursor)
        own = self._creds().extra.get("username")
        media = self._object(
            "GET",
            f"/{self._ig()}/media",
            side_effect=False,
            params={"fields": "id,permalink", "limit": _RECENT_MEDIA},
        )
        for item in media.get("data") or ():
            body = self._object(
                "GET",
                f"/{item['id']}/comments",
                side_effect=False,
                params={"fields": _COMMENT_FIELDS},
            )
            for comment in body.get("data") or ():
                entries = [(comment, str(item["id"]))]
                entries += [
                    (r, str(comment["id"]))
                    for r in (comment.get("replies") or {}).get("data") or ()
                ]
                for entry, parent in entries:
                    created = parse_time(entry.get("timestamp"))
                    if not window.is_new(created) or entry.get("username") == own:
                        continue
                    window.add(
                        Mention(
                            id=str(entry["id"]),
                            kind=MentionKind.COMMENT,
                            author_handle=str(entry.get("username", "")),
                            author_name=str(entry.get("username", "")),
                            text=str(entry.get("text", "")),
                            url=str(item.get("permalink") or ""),
                            created_at=created,
                            in_reply_to=parent,
                        )
                    )
        return window.page()

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        metrics = []
        for media_id in network_post_ids:
            media = self._object(
                "GET",
                f"/{media_id}",
                side_effect=False,
                params={"fields": "like_count,comments_count"},
            )
            metrics.append(
                PostMetrics(
                    network_post_id=media_id,
                    fetched_at=utc_now(),
                    likes=int(media.get("like_count") or 0),
                    replies=int(media.get("comments_count") or 0),
                )
            )
        return tuple(metrics)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        created = self._object("POST", f"/{to}/replies", side_effect=True, json={"message": text})
        return PublishResult(network_post_id=str(created["id"]), url="", published_at=utc_now())

    def hide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}", side_effect=False, data={"hide": "true"})

    def unhide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}", side_effect=False, data={"hide": "false"})
