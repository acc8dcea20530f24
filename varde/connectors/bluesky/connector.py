"""Bluesky over the AT Protocol's XRPC HTTP API, with app passwords or OAuth.

Reference: https://docs.bsky.app/docs/api/ and the lexicons in bluesky-social/atproto
(com.atproto.server.createSession, com.atproto.repo.createRecord, app.bsky.feed.post, ...).
Plain httpx rather than the ``atproto`` SDK, so Bluesky's errors go through the same
mapping as every other network's (``varde.connectors.http``).

Per-account config: ``service``, the PDS URL (default https://bsky.social), and for video
``video_service`` and ``video_upload`` (``bluesky_media``). Credentials:
``access_token`` is the session's accessJwt, ``refresh_token`` its refreshJwt, and
``extra`` holds ``did`` and ``handle``; OAuth credentials (``extra["auth"] == "oauth"``) are
DPoP-bound instead, and every call carries a DPoP proof (``bluesky_auth``, ``atproto_oauth``).
The post record itself (facets, reply references) is built in ``bluesky_posts``.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.connectors.atproto import oauth as atproto_oauth
from varde.connectors.atproto.dpop import DPoPKey, DPoPSender
from varde.connectors.base import BaseConnector
from varde.connectors.bluesky import connect
from varde.connectors.bluesky.auth import (
    FLOW_KEYS,
    is_oauth,
    oauth_begin,
    oauth_exchange,
    session_credentials,
)
from varde.connectors.bluesky.media import (
    MAX_VIDEO_BYTES,
    MAX_VIDEO_SECONDS,
    MediaUploader,
    ensure_one_video,
)
from varde.connectors.bluesky.moderation import set_reply_hidden
from varde.connectors.bluesky.posts import create_post, reply_refs
from varde.connectors.bluesky.xrpc import (
    AUTH_ERROR_CODES,
    DEFAULT_SERVICE,
    GET_POSTS_MAX,
    NETWORK,
    POST_COLLECTION,
    StrongRef,
    find_post_by_text,
    post_url,
    read_error,
    read_mentions,
    replies_from_thread,
    split_at_uri,
)
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
    AuthExpired,
    Rejected,
)
from varde.connectors.http import json_object, send, utc_now
from varde.connectors.look import NetworkLook
from varde.connectors.registry import register


@register
class BlueskyConnector(BaseConnector):
    key: ClassVar[str] = "bluesky"
    label: ClassVar[str] = "Bluesky"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Short public posts on Bluesky, the open network."),
        mark="bluesky",
        link_card=True,
    )
    limits: ClassVar[Limits] = Limits(
        text_max=300,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4"}),
        max_image_bytes=1_000_000,
        max_video_bytes=MAX_VIDEO_BYTES,
        max_video_seconds=MAX_VIDEO_SECONDS,
        max_alt_text=2000,
        threads=True,
        # A post's embed is images or one video (app.bsky.embed.images / .video), never both.
        video_alone=True,
    )
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.VIDEO
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
        | Capability.HIDE
        | Capability.APP_PASSWORD
        | Capability.OAUTH
    )
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    config_keys: ClassVar[tuple[str, ...]] = (
        "service",
        "allow_private",
        "video_service",
        "video_upload",
        # Only during an OAuth sign-in (see bluesky_auth).
        "login_hint",
        "client_id",
        "plc_directory",
        "code_verifier",
        "dpop_key",
    )
    flow_config_keys: ClassVar[frozenset[str]] = FLOW_KEYS
    guards_addresses: ClassVar[bool] = True
    _dpop: DPoPSender | None = None

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
        url = f"{service.rstrip('/')}/xrpc/{nsid}"
        headers = dict(kwargs.pop("headers", {}))
        creds = self._creds() if token is None else None
        common: dict[str, Any] = {
            "side_effect": side_effect,
            "read_error": read_error,
            "network": NETWORK,
            "auth_error_codes": AUTH_ERROR_CODES,
            "headers": headers,
        }
        if creds is not None and is_oauth(creds):
            # DPoP-bound token: "Authorization: DPoP <token>" plus a proof with its hash.
            response = self._dpop_sender().send(
                method, url, access_token=creds.access_token, **common, **kwargs
            )
        else:
            bearer = token if creds is None else creds.access_token
            if bearer:
                headers["Authorization"] = f"Bearer {bearer}"
            response = send(self.client, method, url, **common, **kwargs)
        if not response.content:
            return {}
        return json_object(response, side_effect=side_effect, network=NETWORK)

    def _dpop_sender(self) -> DPoPSender:
        """One sender per connector: it remembers the servers' DPoP nonces between calls."""
        if self._dpop is None:
            key = self._creds().extra.get("dpop_key")
            if not key:
                msg = "Bluesky: the connection has no DPoP key; connect the account again"
                raise AuthExpired(msg)
            self._dpop = DPoPSender(self.client, DPoPKey.from_jwk(key))
        return self._dpop

    def _uploader(self) -> MediaUploader:
        return MediaUploader(
            xrpc=self._xrpc,
            client=self.client,
            config=self.config,
            did=self._did(),
            sleep=self.sleep,
        )

    def _did(self) -> str:
        did = self._creds().extra.get("did")
        if not did:
            msg = "Bluesky: the connected account has no DID; reconnect it"
            raise Rejected(msg, code="missing_did")
        return did

    def _post_url(self, uri: str) -> str:
        return post_url(uri, self._creds().extra.get("handle"))

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        # What the sign-in found (the account's server and its sign-in server) is needed again
        # when the person comes back: returned with the address, for the caller to keep.
        url, found = oauth_begin(self.client, self.config, redirect_uri=redirect_uri, state=state)
        return AuthorizeRedirect(url, keep=found)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        return oauth_exchange(self.client, self.config, code=code, redirect_uri=redirect_uri)

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
        return session_credentials(session)

    def refresh(self) -> Credentials:
        creds = self._creds()
        refresh_token = creds.refresh_token
        if not refresh_token:
            msg = "Bluesky: the session cannot be refreshed; connect the account again"
            raise AuthExpired(msg)
        if is_oauth(creds):
            return atproto_oauth.refresh(
                self._dpop_sender(),
                atproto_oauth.Grant.from_extra(creds.extra),
                refresh_token=refresh_token,
            )
        session = self._xrpc(
            "POST", "com.atproto.server.refreshSession", side_effect=False, token=refresh_token
        )
        return session_credentials(session)

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
        ensure_one_video(request)
        refs = reply_refs(self._get_posts, request.reply_to) if request.reply_to else None
        embed = self._uploader().embed(request)
        head, published_at = self._create_post(
            request.full_text, reply=refs, embed=embed, language=request.language
        )
        root = refs["root"] if refs else head
        result = PublishResult(
            network_post_id=head["uri"],
            url=self._post_url(head["uri"]),
            published_at=published_at,
        )

        def post_reply(text: str, parent: StrongRef, _part: str) -> tuple[StrongRef, str]:
            # Every reply names the thread's root as well as the post it answers.
            post, _ = self._create_post(
                text, reply={"root": root, "parent": parent}, language=request.language
            )
            return post, post["uri"]

        return publish_chain(request, result, head=head, post_reply=post_reply)

    def _create_post(
        self,
        text: str,
        *,
        reply: dict[str, StrongRef] | None = None,
        embed: dict[str, Any] | None = None,
        language: str | None = None,
    ) -> tuple[StrongRef, datetime]:
        return create_post(
            self._xrpc, self._did(), text, reply=reply, embed=embed, language=language
        )

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
        def list_page(params: dict[str, Any]) -> dict[str, Any]:
            params = {"repo": self._did(), "collection": POST_COLLECTION, **params}
            return self._xrpc(
                "GET", "com.atproto.repo.listRecords", side_effect=False, params=params
            )

        found = find_post_by_text(list_page, text=request.full_text, since=since)
        if found is None:
            return None
        uri, created = found
        return PublishResult(network_post_id=uri, url=self._post_url(uri), published_at=created)

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        def list_page(params: dict[str, Any]) -> dict[str, Any]:
            return self._xrpc(
                "GET", "app.bsky.notification.listNotifications", side_effect=False, params=params
            )

        return read_mentions(list_page, cursor=cursor)

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
        # Only in threads the account started (a threadgate record, see bluesky_moderation).
        set_reply_hidden(self._xrpc, self._get_posts, self._did(), comment_id, hidden=True)

    def unhide(self, comment_id: str) -> None:
        set_reply_hidden(self._xrpc, self._get_posts, self._did(), comment_id, hidden=False)
