"""WordPress over the core REST API (wp/v2), with an Application Password.

Reference: https://developer.wordpress.org/rest-api/reference/ (posts, media, comments,
users) and https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/.
Images and videos go to the media library first (``wordpress_media.py``); a video is shown in
the post as the block editor's ``core/video`` block.

Per-account config: ``site`` (https://blog.example), optional ``api_root`` for sites
without pretty permalinks (https://blog.example/?rest_route=). Credentials:
``access_token`` is the Application Password; ``extra`` holds ``username`` and ``user_id``.

WordPress has no idempotency keys, so each post carries an invisible HTML comment,
``<!-- varde:KEY -->``, that ``find_published`` searches for: an exact match, not a guess.
"""

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy as _

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
    MentionKind,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
    TextCounting,
)
from varde.connectors.errors import NotSupported, Rejected
from varde.connectors.http import (
    json_error_reader,
    json_list,
    json_object,
    parse_time,
    send,
    utc_now,
)
from varde.connectors.look import FeedCut, NetworkLook, PreviewShape
from varde.connectors.registry import register
from varde.connectors.text import find_urls, html_to_text
from varde.connectors.wordpress import connect
from varde.connectors.wordpress.media import Uploaded, media_block, upload_media

# Uploaded lives in wordpress_media; it is named here too, as content_html takes it.
__all__ = ["Uploaded", "WordPressConnector", "content_html", "marker", "title_for"]

NETWORK = "WordPress"
# Errors are WP_Error as JSON: {"code": "rest_...", "message": "...", "data": {"status": 403}}.
read_error = json_error_reader("message", code_key="code")
_GONE = frozenset({404, 410})
_TITLE_MAX = 70
_PAGE_SIZE = 100
_MAX_PAGES = 10


def marker(idempotency_key: str) -> str:
    # "--" would end an HTML comment early, and kses rewrites it; keep the key comment-safe.
    return f"varde:{idempotency_key.replace('--', '-')}"


def title_for(request: PublishRequest) -> str:
    if request.title:
        return request.title
    first_line = request.text.strip().splitlines()[0] if request.text.strip() else ""
    if len(first_line) <= _TITLE_MAX:
        return first_line
    return first_line[:_TITLE_MAX].rsplit(" ", 1)[0] + "\u2026"


def _linkify(escaped_line: str) -> str:
    parts, position = [], 0
    for start, end, url in find_urls(escaped_line):
        parts.append(escaped_line[position:start])
        parts.append(f'<a href="{url}">{url}</a>')
        position = end
    parts.append(escaped_line[position:])
    return "".join(parts)


def content_html(text: str, media: Sequence[Uploaded], key: str) -> str:
    """Post body: escaped paragraphs with links, then the images and videos, then the marker."""
    blocks = []
    for paragraph in text.strip().split("\n\n"):
        if paragraph.strip():
            lines = [_linkify(html.escape(line, quote=False)) for line in paragraph.splitlines()]
            blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    blocks.extend(media_block(item) for item in media)
    blocks.append(f"<!-- {marker(key)} -->")
    return "\n".join(blocks)


@register
class WordPressConnector(BaseConnector):
    key: ClassVar[str] = "wordpress"
    label: ClassVar[str] = "WordPress"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Blog posts on your WordPress site."),
        mark="wordpress",
        shape=PreviewShape.ARTICLE,
        # wp_trim_excerpt: the first 55 words (excerpt_length), then " [&hellip;]".
        feed_cut=FeedCut(more=_("[…]"), words=55),
    )
    limits: ClassVar[Limits] = Limits(
        text_max=None,
        counting=TextCounting.CODEPOINTS,
        max_media=10,
        media_types=frozenset(
            {
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/webp",
                # WordPress's default allowed types (wp_get_mime_types) that Varde takes in.
                "video/mp4",
                "video/quicktime",
                "video/webm",
            }
        ),
        # The upload limit is each site's (PHP's upload and post sizes, and filters), and the
        # REST API does not state it (neither the index nor /wp/v2/media): a site that refuses
        # a file answers 413 or an error with its reason, which the author is shown.
        max_image_bytes=None,
        max_video_bytes=None,
        threads=False,
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
        | Capability.APP_PASSWORD
    )
    config_keys: ClassVar[tuple[str, ...]] = ("site", "api_root", "allow_private")
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    guards_addresses: ClassVar[bool] = True

    # -- plumbing -------------------------------------------------------------------------

    def _api(self, route: str) -> str:
        root = self.config.get("api_root") or f"{self._config('site').rstrip('/')}/wp-json"
        if "rest_route=" in root:
            return f"{root}/wp/v2{route}"
        return f"{root.rstrip('/')}/wp/v2{route}"

    def _call(
        self,
        method: str,
        route: str,
        *,
        side_effect: bool,
        auth: tuple[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        if auth is None:
            creds = self._creds()
            auth = (creds.extra.get("username", ""), creds.access_token)
        return send(
            self.client,
            method,
            self._api(route),
            side_effect=side_effect,
            read_error=read_error,
            network=NETWORK,
            auth=auth,
            **kwargs,
        )

    def _object(
        self, method: str, route: str, *, side_effect: bool, **kwargs: Any
    ) -> dict[str, Any]:
        response = self._call(method, route, side_effect=side_effect, **kwargs)
        return json_object(response, side_effect=side_effect, network=NETWORK)

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        raise NotSupported(Capability.OAUTH, self.key)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        raise NotSupported(Capability.OAUTH, self.key)

    def login(self, *, identifier: str, secret: str) -> Credentials:
        """Check a user name and Application Password against ``/users/me``."""
        user = self._object(
            "GET",
            "/users/me",
            side_effect=False,
            auth=(identifier, secret),
            params={"context": "edit"},
        )
        return Credentials(
            access_token=secret,
            extra={"username": identifier, "user_id": str(user.get("id", ""))},
        )

    def refresh(self) -> Credentials:
        # Application Passwords do not expire; they are revoked, which login cannot fix.
        return self._creds()

    def get_account(self) -> AccountProfile:
        user = self._object("GET", "/users/me", side_effect=False, params={"context": "edit"})
        avatars = user.get("avatar_urls") or {}
        return AccountProfile(
            network_id=str(user.get("id", "")),
            handle=str(user.get("slug") or user.get("username") or ""),
            display_name=str(user.get("name", "")),
            url=self._config("site"),
            avatar_url=avatars.get("96") if isinstance(avatars, dict) else None,
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.limits, self.capabilities, self.key)
        uploaded = [
            upload_media(self._object, item, number) for number, item in enumerate(request.media, 1)
        ]
        body: dict[str, Any] = {
            "title": title_for(request),
            "content": content_html(request.full_text, uploaded, request.idempotency_key),
            "status": "publish",
        }
        images = [item for item in uploaded if not item.is_video]
        if images:
            # A theme shows the featured image as a picture: never a video.
            body["featured_media"] = images[0].media_id
        post = self._object("POST", "/posts", side_effect=True, json=body)
        result = self._result(post)
        return publish_chain(request, result, head=post["id"], post_reply=self._comment_reply)

    def _comment_reply(self, text: str, post_id: object, _part: str) -> tuple[object, str]:
        # ``post_id`` as the site gave it (a number), sent back unchanged.
        comment = self._object(
            "POST", "/comments", side_effect=True, json={"post": post_id, "content": text}
        )
        return post_id, str(comment.get("id"))

    def _result(self, post: dict[str, Any]) -> PublishResult:
        return PublishResult(
            network_post_id=str(post["id"]),
            url=str(post.get("link", "")),
            published_at=parse_time(post.get("date_gmt")) or utc_now(),
        )

    def delete(self, network_post_id: str) -> None:
        # To the trash, not gone for good: WordPress keeps it 30 days for an undo.
        try:
            self._call("DELETE", f"/posts/{network_post_id}", side_effect=False)
        except Rejected as error:
            if error.status not in _GONE:
                raise

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        # The marker is exact, so no time window is needed; ``since`` is part of the contract.
        wanted = marker(request.idempotency_key)
        response = self._call(
            "GET",
            "/posts",
            side_effect=False,
            params=[
                ("search", wanted),
                ("status[]", "publish"),
                ("status[]", "future"),
                ("context", "edit"),
                ("per_page", "10"),
            ],
        )
        for post in json_list(response, side_effect=False, network=NETWORK):
            raw = ((post.get("content") or {}).get("raw") or "") if isinstance(post, dict) else ""
            if f"<!-- {wanted} -->" in raw:
                return self._result(post)
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Comments newer than ``cursor`` (the highest comment id seen), held ones included
        so moderation sees them. The first call returns only the latest page."""
        seen = int(cursor) if cursor and cursor.isdigit() else None
        found: list[Mention] = []
        newest = seen
        for page in range(1, (_MAX_PAGES if seen is not None else 1) + 1):
            params = {
                "orderby": "id",
                "order": "desc",
                "per_page": _PAGE_SIZE,
                "page": page,
                "status": "all",
                "context": "edit",
            }
            comments = json_list(
                self._call("GET", "/comments", side_effect=False, params=params),
                side_effect=False,
                network=NETWORK,
            )
            fresh = [
                c for c in comments if isinstance(c, dict) and (seen is None or int(c["id"]) > seen)
            ]
            for comment in fresh:
                newest = max(newest or 0, int(comment["id"]))
                found.append(self._mention(comment))
            if len(fresh) < len(comments) or len(comments) < _PAGE_SIZE:
                break
        # date_gmt has whole seconds: comments from the same second keep their id order.
        found.sort(key=lambda mention: (mention.created_at, int(mention.id)))
        return Page(items=tuple(found), cursor=str(newest) if newest is not None else cursor)

    @staticmethod
    def _mention(comment: dict[str, Any]) -> Mention:
        content = comment.get("content") or {}
        parent = int(comment.get("parent") or 0)
        name = str(comment.get("author_name", ""))
        return Mention(
            id=str(comment["id"]),
            kind=MentionKind.COMMENT,
            author_handle=name,
            author_name=name,
            text=html_to_text(str(content.get("raw") or content.get("rendered") or "")).strip(),
            url=str(comment.get("link", "")),
            created_at=parse_time(comment.get("date_gmt")) or utc_now(),
            # A top-level comment answers the post; a nested one answers its parent comment.
            in_reply_to=str(parent) if parent else str(comment.get("post", "")),
        )

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        # Core WordPress counts no views or likes; the comment count is what it knows.
        metrics = []
        for post_id in network_post_ids:
            response = self._call(
                "GET", "/comments", side_effect=False, params={"post": post_id, "per_page": 1}
            )
            total = response.headers.get("x-wp-total", "0")
            metrics.append(
                PostMetrics(
                    network_post_id=str(post_id),
                    fetched_at=utc_now(),
                    replies=int(total) if total.isdigit() else 0,
                )
            )
        return tuple(metrics)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        parent = self._object(
            "GET", f"/comments/{to}", side_effect=False, params={"context": "edit"}
        )
        comment = self._object(
            "POST",
            "/comments",
            side_effect=True,
            json={"post": parent["post"], "parent": int(to), "content": text},
        )
        return PublishResult(
            network_post_id=str(comment["id"]),
            url=str(comment.get("link", "")),
            published_at=parse_time(comment.get("date_gmt")) or utc_now(),
        )

    def hide(self, comment_id: str) -> None:
        # "hold" sends the comment back to moderation: invisible to readers, not deleted.
        self._object("POST", f"/comments/{comment_id}", side_effect=False, json={"status": "hold"})

    def unhide(self, comment_id: str) -> None:
        self._object(
            "POST", f"/comments/{comment_id}", side_effect=False, json={"status": "approved"}
        )
