"""Mastodon (and API-compatible servers) over its REST API, with OAuth per instance.

Reference: https://docs.joinmastodon.org/methods/ (apps, oauth, statuses, media,
notifications, instance, accounts). Plain httpx rather than Mastodon.py, so Mastodon's
errors go through the same mapping as every other network's (``varde.connectors.http``).

Per-account config: ``instance`` (https://mastodon.example), ``client_id`` and
``client_secret`` from :meth:`MastodonConnector.register_app`, optional ``visibility``
(default ``public``), and the instance's ``max_characters`` and ``max_media_attachments`` as
read when the account was connected (:meth:`MastodonConnector.read_instance_settings`).
Credentials: ``extra`` holds ``account_id`` and ``acct``. Media uploads live in
``mastodon_media.py``, the paged reading of statuses and notifications in ``mastodon_pages.py``.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

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
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from varde.connectors.errors import (
    AuthExpired,
    NotSupported,
    Rejected,
)
from varde.connectors.http import json_object, send
from varde.connectors.look import NetworkLook
from varde.connectors.mastodon import connect
from varde.connectors.mastodon.api import (
    DEFAULT_LIMITS,
    INSTANCE_SETTING_KEYS,
    NETWORK,
    SCOPES,
    instance_settings,
    limits_from_instance,
    metrics_from_status,
    read_error,
    status_result,
)
from varde.connectors.mastodon.media import upload_media
from varde.connectors.mastodon.pages import find_status_by_text, read_notifications
from varde.connectors.oauth import token_request
from varde.connectors.registry import register

_NOT_FOUND = 404


@register
class MastodonConnector(BaseConnector):
    key: ClassVar[str] = "mastodon"
    label: ClassVar[str] = "Mastodon"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Posts from your account on a Mastodon server, seen across the fediverse."),
        mark="mastodon",
        link_card=True,
    )
    limits: ClassVar[Limits] = DEFAULT_LIMITS
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.VIDEO
        | Capability.ALT_TEXT
        | Capability.THREADS
        | Capability.FIRST_COMMENT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.IDEMPOTENCY_KEY
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.MENTIONS
        | Capability.REPLY
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = (
        "instance",
        "client_id",
        "client_secret",
        *INSTANCE_SETTING_KEYS,
        "allow_private",
    )
    guards_addresses: ClassVar[bool] = True
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    # Video can take a while to transcode; images are usually ready at once (Mastodon 4.0+).
    media_poll_interval: ClassVar[float] = 2.0
    media_poll_attempts: ClassVar[int] = 60

    _instance_limits: Limits | None = None

    # -- plumbing -------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._config('instance').rstrip('/')}{path}"

    def _call(
        self, method: str, path: str, *, side_effect: bool, auth: bool = True, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            headers["Authorization"] = f"Bearer {self._creds().access_token}"
        return send(
            self.client,
            method,
            path if path.startswith("http") else self._url(path),
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

    def _get(self, path: str, params: dict[str, Any] | None) -> httpx.Response:
        return self._call("GET", path, side_effect=False, params=params)

    def effective_limits(self) -> Limits:
        if self._instance_limits is None:
            instance = self._object("GET", "/api/v2/instance", side_effect=False, auth=False)
            self._instance_limits = limits_from_instance(instance)
        return self._instance_limits

    def read_instance_settings(self) -> dict[str, str]:
        """The instance's own post limits (see ``mastodon_api.instance_settings``), from
        ``/api/v2/instance`` (Mastodon 4.0+) or, where that is missing, ``/api/v1/instance``."""
        try:
            instance = self._object("GET", "/api/v2/instance", side_effect=False, auth=False)
        except Rejected as error:
            if error.status != _NOT_FOUND:
                raise
            instance = self._object("GET", "/api/v1/instance", side_effect=False, auth=False)
        return instance_settings(instance)

    # -- connecting -----------------------------------------------------------------------

    def register_app(self, *, redirect_uri: str, website: str | None = None) -> dict[str, str]:
        """Register Varde on the instance (``POST /api/v1/apps``); store the answer in the
        account's config before calling :meth:`authorize_url`."""
        app = self._object(
            "POST",
            "/api/v1/apps",
            side_effect=False,
            auth=False,
            data={
                "client_name": "Varde",
                "redirect_uris": redirect_uri,
                "scopes": " ".join(SCOPES),
                **({"website": website} if website else {}),
            },
        )
        return {"client_id": str(app["client_id"]), "client_secret": str(app["client_secret"])}

    def app_is_registered(self) -> bool:
        """Whether the instance still knows the app in ``client_id``/``client_secret``: an app
        token (``grant_type=client_credentials``, methods/oauth) is refused with 401
        ``invalid_client`` once the app is gone (an admin removed it, the server was reset)."""
        try:
            self._token({"grant_type": "client_credentials", "scope": SCOPES[0]})
        except AuthExpired:
            return False
        return True

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        """The instance's token endpoint, with Varde's app on that instance as the client."""
        return token_request(
            self.client,
            self._url("/oauth/token"),
            form,
            client_id=self._config("client_id"),
            client_secret=self._config("client_secret"),
            network=NETWORK,
            read_error=read_error,
        )

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._config("client_id"),
                "redirect_uri": redirect_uri,
                "scope": " ".join(SCOPES),
                "state": state,
            }
        )
        return AuthorizeRedirect(self._url(f"/oauth/authorize?{query}"))

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        token = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "scope": " ".join(SCOPES),
            }
        )
        access = str(token.get("access_token", ""))
        # Ask who we are now, so find_published and the inbox know the account id.
        self.credentials = Credentials(access_token=access)
        account = self._object("GET", "/api/v1/accounts/verify_credentials", side_effect=False)
        return Credentials(
            access_token=access,
            refresh_token=token.get("refresh_token"),
            scopes=tuple(str(token.get("scope", "")).split()),
            extra={"account_id": str(account.get("id", "")), "acct": str(account.get("acct", ""))},
        )

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)

    def refresh(self) -> Credentials:
        # Mastodon access tokens do not expire by default; nothing to do unless the server
        # handed out a refresh token.
        creds = self._creds()
        if not creds.refresh_token:
            return creds
        token = self._token({"grant_type": "refresh_token", "refresh_token": creds.refresh_token})
        return replace(
            creds,
            access_token=str(token.get("access_token", creds.access_token)),
            refresh_token=token.get("refresh_token") or creds.refresh_token,
        )

    def get_account(self) -> AccountProfile:
        account = self._object("GET", "/api/v1/accounts/verify_credentials", side_effect=False)
        return AccountProfile(
            network_id=str(account.get("id", "")),
            handle=str(account.get("acct", "")),
            display_name=str(account.get("display_name") or account.get("username", "")),
            url=str(account.get("url", "")),
            followers=account.get("followers_count"),
            avatar_url=account.get("avatar"),
        )

    def _account_id(self) -> str:
        account_id = self._creds().extra.get("account_id")
        if account_id:
            return account_id
        return self.get_account().network_id

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        media_ids = [
            upload_media(
                self._call,
                item,
                sleep=self.sleep,
                poll_attempts=self.media_poll_attempts,
                poll_interval=self.media_poll_interval,
            )
            for item in request.media
        ]
        visibility = self.config.get("visibility") or "public"
        head = self._post_status(
            request.full_text,
            key=request.idempotency_key,
            media_ids=media_ids,
            in_reply_to=request.reply_to,
            visibility=visibility,
            language=request.language,
        )
        result = status_result(head)

        def post_reply(text: str, parent: str, part: str) -> tuple[str, str]:
            # Each part has its own idempotency key (key:2, key:comment): a retried part is
            # never posted twice, and never taken for another part.
            status = self._post_status(
                text,
                key=f"{request.idempotency_key}:{part}",
                in_reply_to=parent,
                visibility=visibility,
                language=request.language,
            )
            return str(status["id"]), str(status["id"])

        return publish_chain(request, result, head=result.network_post_id, post_reply=post_reply)

    def _post_status(
        self,
        text: str,
        *,
        key: str,
        in_reply_to: str | None,
        visibility: str,
        language: str | None,
        media_ids: Sequence[str] = (),
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"status": text, "visibility": visibility}
        if media_ids:
            body["media_ids"] = list(media_ids)
        if in_reply_to:
            body["in_reply_to_id"] = in_reply_to
        if language:
            body["language"] = language
        # Mastodon keeps idempotency keys for an hour: a retry with the same key returns
        # the status already created instead of posting it twice.
        return self._object(
            "POST",
            "/api/v1/statuses",
            side_effect=True,
            json=body,
            headers={"Idempotency-Key": key},
        )

    def delete(self, network_post_id: str) -> None:
        try:
            self._call("DELETE", f"/api/v1/statuses/{network_post_id}", side_effect=False)
        except Rejected as error:
            if error.status != _NOT_FOUND:
                raise
            # Already gone: deleting is done.

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        path = f"/api/v1/accounts/{self._account_id()}/statuses"
        return find_status_by_text(self._get, path, text=request.full_text, since=since)

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Mentions, replies and direct messages newer than ``cursor`` (a notification id),
        page by page (``mastodon_pages.read_notifications``)."""
        own_id = self._creds().extra.get("account_id")
        return read_notifications(self._get, cursor=cursor, own_id=own_id)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        metrics = []
        for post_id in network_post_ids:
            status = self._object("GET", f"/api/v1/statuses/{post_id}", side_effect=False)
            metrics.append(metrics_from_status(status, post_id))
        return tuple(metrics)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        parent = self._object("GET", f"/api/v1/statuses/{to}", side_effect=False)
        acct = str((parent.get("account") or {}).get("acct", ""))
        if acct and f"@{acct}" not in text and acct != self._creds().extra.get("acct"):
            # Mastodon notifies only the accounts a status mentions.
            text = f"@{acct} {text}"
        # A reply to a private or direct status must stay as private as the conversation.
        visibility = parent.get("visibility")
        if visibility not in {"direct", "private"}:
            visibility = self.config.get("visibility") or "public"
        status = self._post_status(
            text, key=idempotency_key, in_reply_to=to, visibility=str(visibility), language=None
        )
        return status_result(status)

    def hide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)

    def unhide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)
