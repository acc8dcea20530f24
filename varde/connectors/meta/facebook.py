"""Facebook Pages over the Graph API (pinned version in ``graph_api.py``).

Reference: https://developers.facebook.com/docs/pages-api/ (posts: POST /{page-id}/feed,
photos: POST /{page-id}/photos, comments: /{object-id}/comments and POST /{comment-id}
``is_hidden``), https://developers.facebook.com/docs/graph-api/reference/page/feed and
https://developers.facebook.com/docs/graph-api/reference/insights; videos:
https://developers.facebook.com/docs/graph-api/video-uploads (see ``graph_api.upload_page_video``)
and https://developers.facebook.com/docs/video-api/guides/insights (counting a post or a
video: ``facebook_metrics.py``).

Connecting is Facebook Login's server-side code flow with the app secret (Varde is a
confidential client; no PKCE; the part shared with Instagram is in ``graph_connector.py``):
the code becomes a long-lived user token, which gives the Page's own access token, which
does not expire. The channels app lists the person's Pages (``GET /me/accounts``, see
``managed.py``) and stores the chosen Page's token; ``exchange_code`` does the same for a
``page_id`` already in the config (``GET /{page-id}?fields=access_token``).

Per-account config: ``client_id``, ``client_secret`` and ``page_id``. Credentials: the Page
access token; ``extra`` holds ``page_id``.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

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
from varde.connectors.errors import Rejected
from varde.connectors.http import parse_time, utc_now
from varde.connectors.look import SEE_MORE, FeedCut, NetworkLook
from varde.connectors.managed import ManagedAccount
from varde.connectors.meta import connect, graph_api
from varde.connectors.meta.facebook_metrics import post_metrics
from varde.connectors.meta.graph_comments import NewComments
from varde.connectors.meta.graph_connector import FacebookLoginConnector
from varde.connectors.registry import register
from varde.connectors.text import fingerprint

NETWORK = "Facebook"
SCOPES = (
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_manage_engagement",
    "read_insights",
)
# The Page task needed to publish (developers.facebook.com/docs/pages-api/getting-started).
POST_TASKS = frozenset({"CREATE_CONTENT"})
_GONE = frozenset({404, 410})
_RECENT_POSTS = 10
_PAGE_SIZE = 100
_MAX_PAGES = 10


def video_url(page_id: str, video_id: str) -> str:
    return f"https://www.facebook.com/{page_id}/videos/{video_id}/"


@register
class FacebookConnector(FacebookLoginConnector):
    key: ClassVar[str] = "facebook"
    label: ClassVar[str] = gettext_noop("Facebook Page")
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Posts on your Facebook Page."),
        mark="facebook",
        # The fold: about 480 characters on the desktop feed (third-party measurements, e.g.
        # posttruncate.com/en/platform-limits; Meta publishes none).
        feed_cut=FeedCut(more=SEE_MORE, graphemes=480),
        link_card=True,
    )
    network: ClassVar[str] = NETWORK
    scopes: ClassVar[tuple[str, ...]] = SCOPES
    limits: ClassVar[Limits] = Limits(
        text_max=63206,
        counting=TextCounting.CODEPOINTS,
        max_media=10,
        # A video goes to /{page-id}/videos on its own; photos go to /feed.
        video_alone=True,
        media_types=frozenset(
            {
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/bmp",
                "image/tiff",
                # Of the formats Varde takes in (content/services.py), the two Facebook lists
                # (developers.facebook.com/docs/graph-api/video-uploads); WebM is not one.
                "video/mp4",
                "video/quicktime",
            }
        ),
        max_image_bytes=4 * 1024 * 1024,
        max_video_bytes=graph_api.VIDEO_MAX_BYTES,
        # A Page's video length cap is its own (the Graph API's video_upload_limits), so no
        # single number goes here; Facebook refuses a longer video when it processes it.
    )
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.VIDEO
        | Capability.ALT_TEXT
        | Capability.FIRST_COMMENT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.REPLY
        | Capability.HIDE
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = ("client_id", "client_secret", "page_id")
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})
    connect_forms: ClassVar[ConnectForms] = connect.FACEBOOK
    managed_config_key: ClassVar[str] = "page_id"

    def _page(self) -> str:
        return self._config("page_id")

    # -- connecting (authorize_url, exchange_code_for_person: graph_connector.py) ---------

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        user = self.exchange_code_for_person(code=code, redirect_uri=redirect_uri)
        page = graph_api.get_object(
            self.client,
            f"/{self._page()}",
            token=user.access_token,
            network=NETWORK,
            params={"fields": "id,name,access_token"},
        )
        return self.credentials_for(
            ManagedAccount(
                id=str(page.get("id", self._page())),
                name=str(page.get("name", "")),
                token=page.get("access_token") or None,
            )
        )

    def managed_accounts(self) -> tuple[ManagedAccount, ...]:
        """The Pages the person shared with Varde, each with its own token and whether
        their tasks there allow posting."""
        pages = graph_api.managed_pages(
            self.client,
            token=self._creds().access_token,
            network=NETWORK,
            fields="id,name,access_token,tasks",
        )
        return tuple(
            ManagedAccount(
                id=str(page["id"]),
                name=str(page.get("name") or ""),
                can_post=graph_api.page_allows(page, POST_TASKS),
                token=str(page["access_token"]) if page.get("access_token") else None,
            )
            for page in pages
            if page.get("id")
        )

    def credentials_for(self, account: ManagedAccount) -> Credentials:
        if not account.token:
            msg = "Facebook gave no access to this Page; the person connecting must manage it"
            raise Rejected(msg, code="no_page_token")
        return Credentials(access_token=account.token, scopes=SCOPES, extra={"page_id": account.id})

    def refresh(self) -> Credentials:
        # A Page token obtained from a long-lived user token has no expiry; a revoked one
        # answers code 190, which every call reports as AuthExpired.
        return self._creds()

    def get_account(self) -> AccountProfile:
        page = self._object(
            "GET",
            f"/{self._page()}",
            side_effect=False,
            params={"fields": "id,name,username,link,followers_count,picture{url}"},
        )
        followers = page.get("followers_count")
        return AccountProfile(
            network_id=str(page.get("id", self._page())),
            handle=str(page.get("username") or page.get("id", "")),
            display_name=str(page.get("name", "")),
            url=str(page.get("link") or f"https://www.facebook.com/{self._page()}"),
            followers=followers if isinstance(followers, int) else None,
            avatar_url=((page.get("picture") or {}).get("data") or {}).get("url"),
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        if any(item.is_video for item in request.media):
            result = self._publish_video(request)
        else:
            result = self._publish_post(request)
        return publish_chain(
            request, result, head=result.network_post_id, post_reply=self._comment_reply
        )

    def _comment_reply(self, text: str, parent: str, _part: str) -> tuple[str, str]:
        return parent, self._comment(parent, text).network_post_id

    def _publish_post(self, request: PublishRequest) -> PublishResult:
        photos = [self._upload(item) for item in request.media]
        body: dict[str, Any] = {"message": request.full_text}
        if request.link and not photos:
            body["link"] = request.link  # a link preview; the text keeps the link too
        if photos:
            body["attached_media"] = [{"media_fbid": photo} for photo in photos]
        created = self._object("POST", f"/{self._page()}/feed", side_effect=True, json=body)
        post_id = str(created["id"])
        return PublishResult(
            network_post_id=post_id,
            url=f"https://www.facebook.com/{post_id}",
            published_at=utc_now(),
        )

    def _publish_video(self, request: PublishRequest) -> PublishResult:
        """A Page video (POST /{page-id}/videos): the text is its description. Its id is the
        network post id: delete, comments and metrics work on it (see ``fetch_metrics``)."""
        if len(request.media) != 1:
            msg = "A Facebook video post holds one video and no other images or videos."
            raise Rejected(msg, code="limits")
        # Graph has no alt text for a video; the description is what people read with it.
        video_id = graph_api.upload_page_video(
            self.client,
            page_id=self._page(),
            item=request.media[0],
            token=self._creds().access_token,
            network=NETWORK,
            description=request.full_text,
            title=request.title,
        )
        return PublishResult(
            network_post_id=video_id,
            url=video_url(self._page(), video_id),
            published_at=utc_now(),
        )

    def _upload(self, item: MediaItem) -> str:
        # An unpublished photo is invisible until a post attaches it.
        data = {"published": "false"}
        if item.alt_text:
            data["alt_text_custom"] = item.alt_text
        photo = self._object(
            "POST",
            f"/{self._page()}/photos",
            side_effect=False,
            data=data,
            files={"source": ("upload", item.read_bytes(), item.mime_type)},
        )
        return str(photo["id"])

    def _comment(self, target: str, text: str) -> PublishResult:
        created = self._object(
            "POST", f"/{target}/comments", side_effect=True, json={"message": text}
        )
        comment_id = str(created["id"])
        return PublishResult(
            network_post_id=comment_id,
            url=f"https://www.facebook.com/{comment_id}",
            published_at=utc_now(),
        )

    def delete(self, network_post_id: str) -> None:
        try:
            self._call("DELETE", f"/{network_post_id}", side_effect=False)
        except Rejected as error:
            if error.status not in _GONE:
                raise

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        """The post among the Page's posts, or the video among its videos (by description).

        A video request looks at the videos first, so the id found is the one ``publish``
        returned. The engine reconciles with the text alone (no media), so a text request looks
        at the posts and then the videos: a processed video is found as its feed story (an id
        that delete, comments and metrics take too), one still processing among the videos.
        """
        wanted = fingerprint(request.full_text)
        sources = [("posts", "message"), ("videos", "description")]
        if any(item.is_video for item in request.media):
            sources.reverse()
        for edge, text_field in sources:
            found = self._find_in(edge, text_field, wanted, since)
            if found is not None:
                return found
        return None

    def _find_in(
        self, edge: str, text_field: str, wanted: str, since: datetime
    ) -> PublishResult | None:
        params = {
            "fields": f"id,{text_field},created_time,permalink_url",
            "since": int(since.timestamp()),
            "limit": _PAGE_SIZE,
        }
        for body in self._pages(f"/{self._page()}/{edge}", params, max_pages=_MAX_PAGES):
            for post in body.get("data") or ():
                created = parse_time(post.get("created_time"))
                if (
                    created
                    and created >= since
                    and fingerprint(str(post.get(text_field, ""))) == wanted
                ):
                    # A video's permalink_url is a path ("/{page}/videos/{id}/"), a post's whole.
                    link = str(post.get("permalink_url") or f"/{post['id']}")
                    return PublishResult(
                        network_post_id=str(post["id"]),
                        url=link
                        if link.startswith("https://")
                        else f"https://www.facebook.com{link}",
                        published_at=created,
                    )
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Comments (and replies to them) on the Page's latest posts, newer than ``cursor``
        (a Unix time). Comments by the Page itself are left out."""
        window = NewComments(cursor)
        posts = self._object(
            "GET",
            f"/{self._page()}/posts",
            side_effect=False,
            params={"fields": "id", "limit": _RECENT_POSTS},
        )
        for post in posts.get("data") or ():
            params: dict[str, Any] = {
                "filter": "stream",
                "fields": "id,message,from,created_time,parent{id},permalink_url",
                "limit": _PAGE_SIZE,
            }
            if window.since:
                params["since"] = window.since
            body = self._object("GET", f"/{post['id']}/comments", side_effect=False, params=params)
            for comment in body.get("data") or ():
                created = parse_time(comment.get("created_time"))
                author = comment.get("from") or {}
                if not window.is_new(created) or str(author.get("id")) == self._page():
                    continue
                parent = (comment.get("parent") or {}).get("id") or post["id"]
                window.add(
                    Mention(
                        id=str(comment["id"]),
                        kind=MentionKind.COMMENT,
                        # Graph leaves out `from` unless the commenter allows it.
                        author_handle=str(author.get("id", "")),
                        author_name=str(author.get("name", "")),
                        text=str(comment.get("message", "")),
                        url=str(comment.get("permalink_url") or ""),
                        created_at=created,
                        in_reply_to=str(parent),
                    )
                )
        return window.page()

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        def get(path: str, params: dict[str, Any]) -> dict[str, Any]:
            return self._object("GET", path, side_effect=False, params=params)

        return tuple(post_metrics(get, post_id) for post_id in network_post_ids)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        return self._comment(to, text)

    def hide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}", side_effect=False, data={"is_hidden": "true"})

    def unhide(self, comment_id: str) -> None:
        self._call("POST", f"/{comment_id}", side_effect=False, data={"is_hidden": "false"})
