"""Networks where one sign-in can act for several accounts: a person manages Facebook Pages,
Instagram accounts linked to them, LinkedIn company pages.

Such a connector lists what the signed-in person manages, so the channels app can let them
choose one instead of asking for an id nobody knows. The flow is three calls:

1. ``exchange_code_for_person(code=..., redirect_uri=...)``: the person's own credentials
   (a Facebook user token, a LinkedIn member token), not yet tied to an account.
2. ``managed_accounts()`` on a connector holding those credentials: what they may connect.
3. ``credentials_for(account)`` on the same connector: the credentials to store for the
   chosen account (Facebook: the Page's own token). The account's id goes in the config
   under ``managed_config_key``.

A protocol, not a base-class hook: only the networks that have this say so, and the
channels app asks with ``lists_managed_accounts``.
"""

from dataclasses import dataclass, field
from typing import ClassVar, Protocol, runtime_checkable

from varde.connectors.contracts import Credentials


@dataclass(frozen=True, kw_only=True)
class ManagedAccount:
    """One account the signed-in person may connect. Text is the network's, untrusted."""

    id: str  # the value for ``managed_config_key``: a Page id, an Instagram user id, ...
    name: str
    handle: str = ""
    # Where it is reached through, when not itself (the Facebook Page of an Instagram account).
    via: str = ""
    # False when the person's role there does not let them publish (a Facebook Page task).
    can_post: bool = True
    # An account-specific token the network handed over with the list (a Page token).
    token: str | None = field(default=None, repr=False)


@runtime_checkable
class ListsManagedAccounts(Protocol):
    managed_config_key: ClassVar[str]

    def exchange_code_for_person(self, *, code: str, redirect_uri: str) -> Credentials: ...

    def managed_accounts(self) -> tuple[ManagedAccount, ...]: ...

    def credentials_for(self, account: ManagedAccount) -> Credentials: ...


def managed_config_key(connector_class: type) -> str:
    """The config key the chosen account's id is stored under ("" when none)."""
    key = getattr(connector_class, "managed_config_key", "")
    return key if isinstance(key, str) else ""


def lists_managed_accounts(connector_class: type) -> bool:
    return bool(managed_config_key(connector_class)) and all(
        callable(getattr(connector_class, name, None))
        for name in ("exchange_code_for_person", "managed_accounts", "credentials_for")
    )
