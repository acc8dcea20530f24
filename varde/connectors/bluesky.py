"""Bluesky over the AT Protocol's XRPC HTTP API, with app passwords.

Reference: https://docs.bsky.app/docs/api/ and the lexicons in bluesky-social/atproto
(com.atproto.server.createSession, com.atproto.repo.createRecord, app.bsky.feed.post, ...).
Plain httpx rather than the ``atproto`` SDK, so Bluesky's errors go through the same
mapping as every other network's (``varde.connectors.http``).

Per-account config: ``service``, the PDS URL (default https://bsky.social). Credentials:
``access_token`` is the session's accessJwt, ``refresh_token`` its refreshJwt, and
``extra`` holds ``did`` and ``handle``.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from varde.connectors.base import BaseConnector
from varde.connectors.bluesky_richtext import detect_facets
from varde.connectors.bluesky_xrpc import (
    AUTH_ERROR_CODES,
    DEFAULT_SERVICE,
    GET_POSTS_MAX,
    MAX_PAGES,
    NETWORK,
    PAGE_SIZE,
    POST_COLLECTION,
    StrongRef,
    iso,
    jwt_expiry,
    mention_from_notification,
    post_url,
    read_error,
    replies_from_thread,
    split_at_uri,
)
from varde.connectors.capabilities import Capability
from varde.connectors.checks import ensure_publishable
from varde.connectors.contracts import (
    AccountProfile,
    Credentials,
    Limits,
    Mention,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    NotSupported,
    OutcomeUnknown,
    Rejected,
    with_partial,
)
from varde.connectors.http import json_object, parse_time, send, utc_now
from varde.connectors.registry import register
from varde.connectors.text import fingerprint

# How far before the cursor notifications are read again (see ``fetch_mentions``).
MENTION_OVERLAP = timedelta(minutes=10)


@register
class BlueskyConnector(BaseConnector):
    key: ClassVar[str] = "bluesky"
    label: ClassVar[str] = "Bluesky"
    limits: ClassVar[Limits] = Limits(
        text_max=300,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
        max_image_bytes=1_000_000,
        max_alt_text=2000,
        threads=True,
    )
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.ALT_TEXT
        | Capability.THREADS
        | Capability.FIRST_COMMENT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.MENTIONS
        | Capability.REPLIES_OF_POST
        | Capability.REPLY
        | Capability.APP_PASSWORD
    )
    config_keys: ClassVar[tuple[str, ...]] = ("service", "allow_private")
    guards_addresses: ClassVar[bool] = True

    # -- plumbing -------------------------------------------------------------------------

    def _xrpc(
        self,
        method: str,
        nsid: str,
        *,
        side_effect: bool,
        token: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        service = self.config.get("service") or DEFAULT_SERVICE
        headers = dict(kwargs.pop("headers", {}))
        bearer = token if token is not None else self._creds().access_token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = send(
            self.client,
            method,
            f"{service.rstrip('/')}/xrpc/{nsid}",
            side_effect=side_effect,
            read_error=read_error,
            network=NETWORK,
            auth_error_codes=AUTH_ERROR_CODES,
            headers=headers,
            **kwargs,
        )
        if not response.content:
            return {}
        return json_object(response, side_effect=side_effect, network=NETWORK)

    def _did(self) -> str:
        did = self._creds().extra.get("did")
        if not did:
            msg = "Bluesky: the connected account has no DID; reconnect it"
            raise Rejected(msg, code="missing_did")
        return did

    def _post_url(self, uri: str) -> str:
        return post_url(uri, self._creds().extra.get("handle"))

    @staticmethod
    def _credentials(session: dict[str, Any]) -> Credentials:
        access = str(session.get("accessJwt", ""))
        return Credentials(
            access_token=access,
            refresh_token=str(session.get("refreshJwt", "")) or None,
            expires_at=jwt_expiry(access),
            extra={"did": str(session.get("did", "")), "handle": str(session.get("handle", ""))},
        )

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> str:
        raise NotSupported(Capability.OAUTH, self.key)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        raise NotSupported(Capability.OAUTH, self.key)

    def login(self, *, identifier: str, secret: str) -> Credentials:
        # Bluesky shows handles as "@name.bsky.social" and people copy them that way; the
        # "@" is not part of the handle, and the PDS refuses the login with it.
        handle = identifier.strip().removeprefix("@")
        session = self._xrpc(
            "POST",
            "com.atproto.server.createSession",
            side_effect=False,
            token="",
            json={"identifier": handle, "password": secret},
        )
        return self._credentials(session)

    def refresh(self) -> Credentials:
        refresh_token = self._creds().refresh_token
        if not refresh_token:
            msg = "Bluesky: the session cannot be refreshed; connect the account again"
            raise AuthExpired(msg)
        session = self._xrpc(
            "POST", "com.atproto.server.refreshSession", side_effect=False, token=refresh_token
        )
        return self._credentials(session)

    def get_account(self) -> AccountProfile:
        profile = self._xrpc(
            "GET", "app.bsky.actor.getProfile", side_effect=False, params={"actor": self._did()}
        )
        handle = str(profile.get("handle", ""))
        return AccountProfile(
            network_id=str(profile.get("did", self._did())),
            handle=handle,
            display_name=str(profile.get("displayName") or handle),
            url=f"https://bsky.app/profile/{handle or self._did()}",
            followers=profile.get("followersCount"),
            avatar_url=profile.get("avatar"),
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.limits, self.capabilities, self.key)
        reply_refs = self._reply_refs(request.reply_to) if request.reply_to else None
        embed = self._images_embed(request) if request.media else None
        head, published_at = self._create_post(
            request.full_text, reply=reply_refs, embed=embed, language=request.language
        )
        root = reply_refs["root"] if reply_refs else head
        result = PublishResult(
            network_post_id=head["uri"],
            url=self._post_url(head["uri"]),
            published_at=published_at,
        )
        try:
            parent, thread_ids = head, []
            for text in request.thread:
                parent, _ = self._create_post(
                    text, reply={"root": root, "parent": parent}, language=request.language
                )
                thread_ids.append(parent["uri"])
                result = replace(result, thread_ids=tuple(thread_ids))
            if request.first_comment is not None:
                comment, _ = self._create_post(
                    request.first_comment,
                    reply={"root": root, "parent": head},
                    language=request.language,
                )
                result = replace(result, first_comment_id=comment["uri"])
        except ConnectorError as error:
            raise with_partial(error, result) from error
        return result

    def _create_post(
        self,
        text: str,
        *,
        reply: dict[str, StrongRef] | None = None,
        embed: dict[str, Any] | None = None,
        language: str | None = None,
    ) -> tuple[StrongRef, datetime]:
        created_at = utc_now()
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": iso(created_at),
        }
        facets = detect_facets(text, self._resolve_handle)
        if facets:
            record["facets"] = facets
        if reply:
            record["reply"] = reply
        if embed:
            record["embed"] = embed
        if language:
            record["langs"] = [language]
        created = self._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            side_effect=True,
            json={"repo": self._did(), "collection": POST_COLLECTION, "record": record},
        )
        uri, cid = created.get("uri"), created.get("cid")
        if not isinstance(uri, str) or not isinstance(cid, str):
            msg = "Bluesky accepted the post but did not say its id; it was probably published"
            raise OutcomeUnknown(msg)
        return {"uri": uri, "cid": cid}, created_at

    def _resolve_handle(self, handle: str) -> str | None:
        try:
            found = self._xrpc(
                "GET",
                "com.atproto.identity.resolveHandle",
                side_effect=False,
                params={"handle": handle},
            )
        except Rejected:
            return None
        did = found.get("did")
        return did if isinstance(did, str) else None

    def _images_embed(self, request: PublishRequest) -> dict[str, Any]:
        images = []
        for item in request.media:
            # A blob on its own is invisible until a post points at it: safe to retry.
            uploaded = self._xrpc(
                "POST",
                "com.atproto.repo.uploadBlob",
                side_effect=False,
                content=item.read_bytes(),
                headers={"Content-Type": item.mime_type},
            )
            images.append({"alt": item.alt_text, "image": uploaded.get("blob")})
        return {"$type": "app.bsky.embed.images", "images": images}

    def _reply_refs(self, uri: str) -> dict[str, StrongRef]:
        posts = self._get_posts([uri])
        if not posts:
            msg = "The Bluesky post being replied to no longer exists"
            raise Rejected(msg, code="reply_target_missing")
        post = posts[0]
        parent = {"uri": str(post["uri"]), "cid": str(post["cid"])}
        root = ((post.get("record") or {}).get("reply") or {}).get("root") or parent
        return {"root": {"uri": str(root["uri"]), "cid": str(root["cid"])}, "parent": parent}

    def _get_posts(self, uris: Sequence[str]) -> list[dict[str, Any]]:
        found = self._xrpc(
            "GET",
            "app.bsky.feed.getPosts",
            side_effect=False,
            params=[("uris", uri) for uri in uris],
        )
        return [post for post in found.get("posts", []) if isinstance(post, dict)]

    def delete(self, network_post_id: str) -> None:
        did, collection, rkey = split_at_uri(network_post_id)
        # Deleting twice is harmless, so a lost answer is just a retry (side_effect=False).
        self._xrpc(
            "POST",
            "com.atproto.repo.deleteRecord",
            side_effect=False,
            json={"repo": did, "collection": collection, "rkey": rkey},
        )

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        wanted = fingerprint(request.full_text)
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params = {"repo": self._did(), "collection": POST_COLLECTION, "limit": PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            page = self._xrpc(
                "GET", "com.atproto.repo.listRecords", side_effect=False, params=params
            )
            records = [r for r in page.get("records", []) if isinstance(r, dict)]
            for record in records:
                value = record.get("value") or {}
                created = parse_time(value.get("createdAt"))
                if created is None or created < since:
                    continue
                if fingerprint(str(value.get("text", ""))) == wanted:
                    return PublishResult(
                        network_post_id=str(record["uri"]),
                        url=self._post_url(str(record["uri"])),
                        published_at=created,
                    )
            # Records come newest first (by record key, a timestamp): stop once past `since`.
            oldest = (
                parse_time((records[-1].get("value") or {}).get("createdAt")) if records else None
            )
            cursor = page.get("cursor")
            if not cursor or oldest is None or oldest < since:
                return None
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Replies, mentions and quotes newer than ``cursor`` (the newest ``indexedAt`` seen
        so far), and those of the ``MENTION_OVERLAP`` before it: the AppView indexes
        asynchronously, so a reply can arrive after a like that was indexed later than it (seen
        against the local network). Callers keep items by id, so the overlap stores nothing
        twice. The first call, without a cursor, returns only the latest page."""
        newest = parse_time(cursor) if cursor else None
        seen_until = newest - MENTION_OVERLAP if newest else None
        found: list[Mention] = []
        found_ids: set[str] = set()
        page_cursor: str | None = None
        for _ in range(MAX_PAGES if seen_until else 1):
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            if page_cursor:
                params["cursor"] = page_cursor
            page = self._xrpc(
                "GET", "app.bsky.notification.listNotifications", side_effect=False, params=params
            )
            notifications = [n for n in page.get("notifications", []) if isinstance(n, dict)]
            reached_seen = False
            for notification in notifications:
                indexed = parse_time(notification.get("indexedAt"))
                if indexed is None:
                    continue
                if seen_until is not None and indexed <= seen_until:
                    reached_seen = True
                    break
                newest = indexed if newest is None or indexed > newest else newest
                mention = mention_from_notification(notification, indexed)
                if mention is not None and mention.id not in found_ids:
                    found_ids.add(mention.id)
                    found.append(mention)
            page_cursor = page.get("cursor")
            if reached_seen or not page_cursor:
                break
        found.sort(key=lambda mention: mention.created_at)
        return Page(items=tuple(found), cursor=iso(newest) if newest else cursor)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        metrics = []
        for start in range(0, len(network_post_ids), GET_POSTS_MAX):
            fetched_at = utc_now()
            for post in self._get_posts(network_post_ids[start : start + GET_POSTS_MAX]):
                metrics.append(
                    PostMetrics(
                        network_post_id=str(post.get("uri")),
                        fetched_at=fetched_at,
                        likes=int(post.get("likeCount") or 0),
                        reposts=int(post.get("repostCount") or 0),
                        replies=int(post.get("replyCount") or 0),
                        quotes=int(post.get("quoteCount") or 0),
                    )
                )
        return tuple(metrics)

    def fetch_replies(self, network_post_id: str) -> tuple[Mention, ...]:
        split_at_uri(network_post_id)  # a clear error for an id that is not a post's
        answer = self._xrpc(
            "GET",
            "app.bsky.feed.getPostThread",
            side_effect=False,
            params={"uri": network_post_id, "depth": 1, "parentHeight": 0},
        )
        return replies_from_thread(answer.get("thread"), self._did())

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        return self.publish(PublishRequest(text=text, idempotency_key=idempotency_key, reply_to=to))

    def hide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)

    def unhide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)
