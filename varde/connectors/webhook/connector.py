"""Outgoing webhook: POST each post as signed JSON to a URL the user gives.

For the networks Varde does not speak (an intranet, Zapier, a chat bot). The receiver
checks the signature the way :func:`verify_signature` does:

    X-Varde-Timestamp: 1735689600
    X-Varde-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>
    Idempotency-Key: <the delivery's key; the same on every retry>

The timestamp is signed too, so a captured request cannot be replayed later. The URL is
user input: it is checked by :mod:`varde.connectors.ssrf` and the connection is pinned to
the address that was checked; redirects are never followed.

Per-account config: ``url``; ``allow_private`` = "true" only for tests and a LAN receiver.
Credentials: ``access_token`` is the shared secret.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy as _

from varde.connectors.base import BaseConnector
from varde.connectors.capabilities import Capability
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
    TextCounting,
)
from varde.connectors.errors import NotSupported, Rejected
from varde.connectors.http import (
    ErrorDetail,
    clean_reason,
    parse_time,
    send,
    utc_now,
)
from varde.connectors.look import NetworkLook, PreviewShape
from varde.connectors.registry import register
from varde.connectors.ssrf import Resolver, UnsafeURLError, check_url, system_resolver
from varde.connectors.webhook import connect

NETWORK = "Webhook"
SIGNATURE_HEADER = "X-Varde-Signature"
TIMESTAMP_HEADER = "X-Varde-Timestamp"
_MAX_ERROR_BYTES = 2048


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    )
    return f"sha256={digest.hexdigest()}"


def verify_signature(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    now: datetime,
    tolerance_seconds: int = 300,
) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale requests."""
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def read_error(response: httpx.Response) -> ErrorDetail:
    """Receivers answer anything: a common JSON error key when there is one, else the start
    of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if isinstance(body.get(key), str):
                return ErrorDetail(reason=body[key])
    text = response.content[:_MAX_ERROR_BYTES].decode("utf-8", "replace")
    return ErrorDetail(reason=clean_reason(text))


def payload(request: PublishRequest, *, sent_at: datetime) -> dict[str, Any]:
    return {
        "event": "post.publish",
        "idempotency_key": request.idempotency_key,
        "sent_at": sent_at.isoformat(),
        "title": request.title,
        "text": request.full_text,
        "link": request.link,
        "language": request.language,
        "thread": list(request.thread),
        "first_comment": request.first_comment,
        "reply_to": request.reply_to,
        # Metadata only: the receiver gets no file bytes through a webhook.
        "media": [
            {
                "mime_type": item.mime_type,
                "alt_text": item.alt_text,
                "size": item.size,
                "sha256": hashlib.sha256(item.read_bytes()).hexdigest(),
            }
            for item in request.media
        ],
    }


@register
class WebhookConnector(BaseConnector):
    key: ClassVar[str] = "webhook"
    label: ClassVar[str] = "Webhook"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_(
            "Sends each post to an address of your own, for a tool Varde has no connector for."
        ),
        shape=PreviewShape.MESSAGE,
    )
    limits: ClassVar[Limits] = Limits(
        text_max=None, counting=TextCounting.CODEPOINTS, max_media=10, threads=True
    )
    capabilities: ClassVar[Capability] = (
        Capability.TEXT | Capability.IMAGES | Capability.THREADS | Capability.FIRST_COMMENT
    )
    config_keys: ClassVar[tuple[str, ...]] = ("url", "allow_private")
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    # The address is a person's: besides the pinned URL below, every connection goes through
    # http.AddressGuard and never through a proxy from the environment (base.BaseConnector).
    guards_addresses: ClassVar[bool] = True
    # Tests replace the resolver; production asks the system's DNS.
    resolver: Resolver = staticmethod(system_resolver)

    def _allow_private(self) -> bool:
        value = self.config.get("allow_private", "false").strip().lower()
        return value in {"1", "true", "yes"}

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.limits, self.capabilities, self.key)
        secret = self._creds().access_token
        try:
            target = check_url(
                self._config("url"), allow_private=self._allow_private(), resolver=self.resolver
            )
        except UnsafeURLError as exc:
            raise Rejected(f"The webhook address is refused: {exc}", code="unsafe_url") from exc
        sent_at = utc_now()
        body = json.dumps(payload(request, sent_at=sent_at), ensure_ascii=False).encode("utf-8")
        timestamp = str(int(sent_at.timestamp()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": request.idempotency_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            "Host": target.host_header,
        }
        extensions = {"sni_hostname": target.hostname} if target.url.startswith("https") else {}
        response = send(
            self.client,
            "POST",
            target.pinned_url,
            side_effect=True,
            read_error=read_error,
            network=NETWORK,
            content=body,
            headers=headers,
            extensions=extensions,
        )
        return self._result(response, request, sent_at)

    @staticmethod
    def _result(
        response: httpx.Response, request: PublishRequest, sent_at: datetime
    ) -> PublishResult:
        # A receiver may answer {"id": ..., "url": ...}; anything else is fine too.
        answer: dict[str, Any] = {}
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            answer = parsed
        return PublishResult(
            network_post_id=str(answer.get("id") or request.idempotency_key),
            url=str(answer.get("url") or ""),
            published_at=parse_time(answer.get("published_at")) or sent_at,
        )

    # -- everything a one-way webhook cannot do ------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        raise NotSupported(Capability.OAUTH, self.key)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        raise NotSupported(Capability.OAUTH, self.key)

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)

    def refresh(self) -> Credentials:
        return self._creds()

    def get_account(self) -> AccountProfile:
        url = self._config("url")
        return AccountProfile(network_id=url, handle=url, display_name=url, url=url)

    def delete(self, network_post_id: str) -> None:
        raise NotSupported(Capability.DELETE, self.key)

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        raise NotSupported(Capability.FIND_PUBLISHED, self.key)

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        raise NotSupported(Capability.MENTIONS, self.key)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        raise NotSupported(Capability.METRICS, self.key)

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        raise NotSupported(Capability.REPLY, self.key)

    def hide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)

    def unhide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)
