"""The ``Connector`` Protocol and the little every connector shares.

The Protocol is the contract checked by mypy (``registry.register`` only accepts classes
that satisfy it). ``BaseConnector`` gives the constructor, ``supports`` and a few helpers;
it deliberately has no optional hooks: every connector writes every method, raising
``NotSupported`` where its network cannot do something, so reading one module tells the
whole story of one network.
"""

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar, Protocol, runtime_checkable

import httpx

from varde.connectors.capabilities import Capability
from varde.connectors.connect import NO_FORMS, ConnectForms
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
from varde.connectors.errors import AuthExpired, NotSupported, Rejected
from varde.connectors.http import build_client, guarded_client
from varde.connectors.look import DEFAULT_LOOK, NetworkLook

Sleep = Callable[[float], None]


@runtime_checkable
class Connector(Protocol):
    key: ClassVar[str]
    label: ClassVar[str]
    limits: ClassVar[Limits]
    capabilities: ClassVar[Capability]
    # Names of the per-account settings (instance URL, site URL, ...) and which are secret,
    # as data so the channels app can build its connect form from them.
    config_keys: ClassVar[tuple[str, ...]]
    sensitive_config_keys: ClassVar[frozenset[str]]
    # How people connect it (fields, words, the account picker), as data the channels app
    # builds its connect page from: ``connectors/<network>/connect.py``.
    connect_forms: ClassVar[ConnectForms]
    # Its mark, description and how its feed shows a post: ``connectors/look.py``.
    look: ClassVar[NetworkLook]

    def __init__(
        self,
        *,
        credentials: Credentials | None = None,
        config: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        sleep: Sleep | None = None,
    ) -> None: ...

    def supports(self, capability: Capability) -> bool: ...

    def effective_limits(self) -> Limits:
        """The limits for this account (an instance may differ from the class default)."""
        ...

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        """Where to send the person to sign in, and what the callback needs again."""
        ...

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials: ...

    def login(self, *, identifier: str, secret: str) -> Credentials: ...

    def refresh(self) -> Credentials: ...

    def get_account(self) -> AccountProfile: ...

    def publish(self, request: PublishRequest) -> PublishResult: ...

    def delete(self, network_post_id: str) -> None: ...

    def find_published(
        self, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None: ...

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]: ...

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]: ...

    def fetch_replies(self, network_post_id: str) -> tuple[Mention, ...]:
        """Others' direct replies to one of the account's posts (``REPLIES_OF_POST``)."""
        ...

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult: ...

    def send_message(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        """A private message to a person (``to``: their handle on the network; ``DMS``)."""
        ...

    def hide(self, comment_id: str) -> None: ...

    def unhide(self, comment_id: str) -> None: ...


class BaseConnector:
    """Constructor, ``supports`` and helpers shared by the built-in connectors."""

    key: ClassVar[str]
    label: ClassVar[str]
    limits: ClassVar[Limits]
    capabilities: ClassVar[Capability]
    config_keys: ClassVar[tuple[str, ...]] = ()
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset()
    connect_forms: ClassVar[ConnectForms] = NO_FORMS
    look: ClassVar[NetworkLook] = DEFAULT_LOOK
    # True for connectors that call a host a person typed (a PDS, a Mastodon server, a
    # WordPress site): every connection is then checked by http.AddressGuard when the config
    # has ``allow_private`` = "false". The channels app always sets it (from
    # VARDE_ALLOW_PRIVATE_URLS, never stored); code that builds a connector without it (the
    # end-to-end tests against local servers) gets the plain client.
    guards_addresses: ClassVar[bool] = False

    def __init__(
        self,
        *,
        credentials: Credentials | None = None,
        config: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.credentials = credentials
        self.config: Mapping[str, str] = dict(config or {})
        # Tests inject a client with a mock transport; production gets explicit timeouts.
        if client is None:
            guarded = (
                self.guards_addresses
                and "allow_private" in self.config
                and not self._private_addresses_allowed()
            )
            client = guarded_client() if guarded else build_client()
        self.client = client
        self.sleep: Sleep = sleep if sleep is not None else time.sleep

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _private_addresses_allowed(self) -> bool:
        return self.config.get("allow_private", "false").strip().lower() in {"1", "true", "yes"}

    def effective_limits(self) -> Limits:
        return self.limits

    def fetch_replies(self, network_post_id: str) -> tuple[Mention, ...]:
        raise NotSupported(Capability.REPLIES_OF_POST, self.key)

    def send_message(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        # No built-in network sends private messages yet; the inbox says so to the person.
        raise NotSupported(Capability.DMS, self.key)

    def _creds(self) -> Credentials:
        if self.credentials is None:
            msg = f"{self.label}: this account is not connected yet"
            raise AuthExpired(msg)
        return self.credentials

    def _config(self, name: str, default: str | None = None) -> str:
        value = self.config.get(name, default)
        if not value:
            msg = f"{self.label}: the setting {name!r} is missing for this account"
            raise Rejected(msg, code="missing_config")
        return value
