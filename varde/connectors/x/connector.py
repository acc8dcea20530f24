"""X (formerly Twitter) over API v2, connected with OAuth 2.0 authorization code + PKCE.

Reference: https://docs.x.com/x-api (posts: POST /2/tweets, DELETE /2/tweets/:id, hide
replies; users: GET /2/users/me, /2/users/:id/tweets, /2/users/:id/mentions; media:
POST /2/media/upload and its initialize/append/finalize steps, /2/media/metadata) and
https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code.
Media uploads (chunked video, polling until processed) live in ``x_media.py``.

Per-account config: ``client_id``; ``client_secret`` only for a confidential client (it is
then sent as HTTP Basic); ``code_verifier`` during the connect flow (see ``oauth.py``).
Credentials: ``extra`` holds ``user_id`` and ``username``. Access tokens live two hours;
X rotates the refresh token on every refresh.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
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
    Rejected,
)
from varde.connectors.http import json_object, parse_time, send
from varde.connectors.look import NetworkLook
from varde.connectors.oauth import (
    code_challenge,
    credentials_from_token,
    refresh_grant,
    token_request,
)
from varde.connectors.registry import register
from varde.connectors.text import fingerprint
from varde.connectors.x import connect
from varde.connectors.x.api import (
    API,
    AUTHORIZE_URL,
    LIMITS,
    NETWORK,
    SCOPES,
    TOKEN_URL,
    TWEET_FIELDS,
    created_result,
    mention_from_tweet,
    metrics_from_tweet,
    newer_id,
    read_error,
    tweet_fingerprint,
)
from varde.connectors.x.media import upload_media

_GONE = frozenset({404, 410})
_PAGE_SIZE = 100
_MAX_PAGES = 10
_REVOKED = frozenset({"invalid_request", "invalid_grant", "invalid_client"})


@register
class XConnector(BaseConnector):
    key: ClassVar[str] = "x"
    label: ClassVar[str] = "X"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=gettext_lazy("Short posts to your followers on X."),
        mark="x",
        link_card=True,
    )
    limits: ClassVar[Limits] = LIMITS
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
        | Capability.REPLY
        | Capability.HIDE
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = ("client_id", "client_secret", "code_verifier")
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret", "code_verifier"})
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    media_poll_attempts: ClassVar[int] = 60

    # -- plumbing -------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, side_effect: bool, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        headers["Authorization"] = f"Bearer {self._creds().access_token}"
        return send(
            self.client,
            method,
            f"{API}{path}",
            side_effect=side_effect,
            read_error=read_error,
            network=NETWORK,
            headers=headers,
            **kwargs,
        )

    def _object(
        self, method: str, path: str, *, side_effect: bool, **kwargs: Any
    ) -> dict[str, Any]:
        response = self._call(method, path, side_effect=side_effect, **kwargs)
        return json_object(response, side_effect=side_effect, network=NETWORK)

    def _username(self) -> str | None:
        return self.credentials.extra.get("username") if self.credentials else None

    def _user_id(self) -> str:
        user_id = self._creds().extra.get("user_id")
        return user_id or self.get_account().network_id

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._config("client_id"),
                "redirect_uri": redirect_uri,
                "scope": " ".join(SCOPES),
                "state": state,
                "code_challenge": code_challenge(self._config("code_verifier")),
                "code_challenge_method": "S256",
            }
        )
        return AuthorizeRedirect(f"{AUTHORIZE_URL}?{query}")

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        # A confidential client authenticates by HTTP Basic; a public one sends its id.
        return token_request(
            self.client,
            TOKEN_URL,
            form,
            client_id=self._config("client_id"),
            client_secret=self.config.get("client_secret"),
            basic_auth=True,
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
        profile = self.get_account()
        return replace(
            self.credentials, extra={"user_id": profile.network_id, "username": profile.handle}
        )

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)

    def refresh(self) -> Credentials:
        # The grant is revoked or the refresh token was already used: reconnect.
        return refresh_grant(
            self._token,
            self._creds(),
            network=NETWORK,
            revoked=_REVOKED,
            no_refresh_token=f"{NETWORK}: no refresh token was granted; connect the account again",
        )

    def get_account(self) -> AccountProfile:
        body = self._object(
            "GET",
            "/2/users/me",
            side_effect=False,
            params={"user.fields": "public_metrics,profile_image_url"},
        )
        user = body.get("data") or {}
        followers = (user.get("public_metrics") or {}).get("followers_count")
        return AccountProfile(
            network_id=str(user.get("id", "")),
            handle=str(user.get("username", "")),
            display_name=str(user.get("name") or user.get("username", "")),
            url=f"https://x.com/{user.get('username', '')}",
            followers=followers if isinstance(followers, int) else None,
            avatar_url=user.get("profile_image_url"),
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        media_ids = [
            upload_media(self._call, item, sleep=self.sleep, poll_attempts=self.media_poll_attempts)
            for item in request.media
        ]
        result = self._post(request.full_text, reply_to=request.reply_to, media_ids=media_ids)
        return publish_chain(
            request, result, head=result.network_post_id, post_reply=self._post_reply
        )

    def _post_reply(self, text: str, parent: str, _part: str) -> tuple[str, str]:
        post_id = self._post(text, reply_to=parent).network_post_id
        return post_id, post_id

    def _post(
        self, text: str, *, reply_to: str | None, media_ids: Sequence[str] = ()
    ) -> PublishResult:
        # X has no idempotency key for posts; a lost answer is settled by find_published.
        body: dict[str, Any] = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply_to}
        if media_ids:
            body["media"] = {"media_ids": list(media_ids)}
        created = self._object("POST", "/2/tweets", side_effect=True, json=body)
        return created_result(created, self._username())

    def delete(self, network_post_id: str) -> None:
        try:
            self._call("DELETE", f"/2/tweets/{network_post_id}", side_effect=False)
        except Rejected as error:
            if error.status not in _GONE:
                raise

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        wanted = fingerprint(request.full_text)
        params: dict[str, Any] = {
            "max_results": _PAGE_SIZE,
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tweet.fields": TWEET_FIELDS,
            "exclude": "retweets",
        }
        path = f"/2/users/{self._user_id()}/tweets"
        for _ in range(_MAX_PAGES):
            body = self._object("GET", path, side_effect=False, params=params)
            for tweet in body.get("data") or ():
                created = parse_time(tweet.get("created_at"))
                if created is not None and created >= since and tweet_fingerprint(tweet) == wanted:
                    found = created_result({"data": tweet}, self._username())
                    return replace(found, published_at=created)
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                return None
            params["pagination_token"] = next_token
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Posts that mention the account (replies included), newer than ``cursor`` (a
        tweet id, ``since_id``); pages follow ``meta.next_token``."""
        own_id = self._user_id()
        params: dict[str, Any] = {
            "max_results": _PAGE_SIZE,
            "tweet.fields": f"{TWEET_FIELDS},referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if cursor:
            params["since_id"] = cursor
        newest, found = cursor, []
        for _ in range(_MAX_PAGES if cursor else 1):
            body = self._object(
                "GET", f"/2/users/{own_id}/mentions", side_effect=False, params=params
            )
            users = {
                str(user.get("id")): user
                for user in (body.get("includes") or {}).get("users") or ()
                if isinstance(user, dict)
            }
            for tweet in body.get("data") or ():
                if isinstance(tweet, dict):
                    newest = newer_id(newest, tweet.get("id"))
                    found.append(mention_from_tweet(tweet, users, own_id))
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                break
            params["pagination_token"] = next_token
        found.sort(key=lambda mention: mention.created_at)
        return Page(items=tuple(found), cursor=newest)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        metrics: list[PostMetrics] = []
        ids = list(network_post_ids)
        for start in range(0, len(ids), _PAGE_SIZE):
            body = self._object(
                "GET",
                "/2/tweets",
                side_effect=False,
                params={
                    "ids": ",".join(ids[start : start + _PAGE_SIZE]),
                    "tweet.fields": "public_metrics",
                },
            )
            metrics += [
                metrics_from_tweet(t) for t in body.get("data") or () if isinstance(t, dict)
            ]
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
        # "Hide replies": only replies in a conversation the account started can be hidden.
        self._call(
            "PUT", f"/2/tweets/{comment_id}/hidden", side_effect=False, json={"hidden": True}
        )

    def unhide(self, comment_id: str) -> None:
        self._call(
            "PUT", f"/2/tweets/{comment_id}/hidden", side_effect=False, json={"hidden": False}
        )
