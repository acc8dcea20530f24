"""Choosing the account after signing in, on networks where one person manages several
(Facebook Pages, Instagram accounts linked to them, LinkedIn company pages).

Nobody knows their Page id, so none is asked. After the network sends the person back,
``pick_begin`` swaps the code for the person's own token and lists what they manage
(``varde/connectors/managed.py``); the person chooses one on the picker page, and
``pick_complete`` verifies that account with the network, like every connect
(``get_account``), and returns a :class:`~varde.channels.connecting.Verified` to store.

Between the two steps the pending choice lives in the person's session (server side), tied
to the user, the workspace and a deadline, like a started sign-in. The tokens in it (the
person's token and, for Facebook, each Page's token) are encrypted even there; the page and
its address only ever carry names and ids.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.channels.connecting import ConnectError, Verified, explain, pending_flow, verified
from varde.channels.selectors import connector_config
from varde.connectors import registry
from varde.connectors.contracts import Credentials
from varde.connectors.errors import ConnectorError
from varde.connectors.managed import (
    ListsManagedAccounts,
    ManagedAccount,
    lists_managed_accounts,
    managed_config_key,
)
from varde.lib.crypto import decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    from varde.connectors.base import Connector


@dataclass(frozen=True)
class PickerWords:
    """What the picker page says for one network, in words for the people using it."""

    title: str | Promise
    legend: str | Promise
    none_found: str | Promise
    submit: str | Promise
    cannot_post: str | Promise = ""


WORDS: dict[str, PickerWords] = {
    "facebook": PickerWords(
        gettext_lazy("Choose the Facebook Page"),
        gettext_lazy("Pages you manage"),
        gettext_lazy(
            "This Facebook account manages no Pages that it shared with Varde. Sign in as a "
            "Page admin, and when Facebook asks which Pages Varde may use, tick the Page."
        ),
        gettext_lazy("Connect this Page"),
        gettext_lazy(
            "Your access to this Page does not include creating posts. Ask someone with full "
            "control of the Page to give you access to content, then start again."
        ),
    ),
    "instagram": PickerWords(
        gettext_lazy("Choose the Instagram account"),
        gettext_lazy("Instagram accounts linked to your Pages"),
        gettext_lazy(
            "None of the Facebook Pages you shared with Varde has an Instagram professional "
            "account linked to it. Link the Instagram account to its Facebook Page (in Meta "
            "Business Suite), then start again and tick that Page when Facebook asks which "
            "Pages Varde may use."
        ),
        gettext_lazy("Connect this account"),
        gettext_lazy(
            "Your access to the Facebook Page linked to this account does not include "
            "creating content. Ask someone with full control of the Page to give you that "
            "access, then start again."
        ),
    ),
    "linkedin": PickerWords(
        gettext_lazy("Choose the LinkedIn page"),
        gettext_lazy("Company pages you administer"),
        gettext_lazy(
            "This LinkedIn account is not an administrator of any company page. Sign in as a "
            "page administrator, or ask one to make you an administrator of the page."
        ),
        gettext_lazy("Connect this page"),
    ),
}


def picks_account(connector_key: str) -> bool:
    """True for networks where the account is chosen after signing in."""
    return connector_key in WORDS and lists_managed_accounts(registry.get(connector_key))


def words(connector_key: str) -> PickerWords:
    return WORDS[connector_key]


def _lister(connector: Connector) -> ListsManagedAccounts:
    if not isinstance(connector, ListsManagedAccounts):
        raise ConnectError(
            _("%(network)s cannot be connected this way.") % {"network": connector.label}
        )
    return connector


def _credentials_data(credentials: Credentials) -> dict[str, Any]:
    return {
        "access_token": credentials.access_token,
        "refresh_token": credentials.refresh_token,
        "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
        "scopes": list(credentials.scopes),
        "extra": dict(credentials.extra),
    }


def _credentials_from(data: Mapping[str, Any]) -> Credentials:
    expires = data.get("expires_at")
    return Credentials(
        access_token=str(data["access_token"]),
        refresh_token=data.get("refresh_token"),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        scopes=tuple(data.get("scopes") or ()),
        extra=dict(data.get("extra") or {}),
    )


def pick_begin(*, pending: Mapping[str, Any], code: str, redirect_uri: str) -> dict[str, Any]:
    """Exchange the code for the person's token and list what they manage: the pending
    choice to keep in the session (see the module docstring). Raises ``ConnectError``."""
    flow = pending_flow(pending)
    try:
        person = _lister(flow.connector_class(config=flow.run_config)).exchange_code_for_person(
            code=code, redirect_uri=redirect_uri
        )
        accounts = _lister(
            flow.connector_class(credentials=person, config=flow.run_config)
        ).managed_accounts()
    except ConnectorError as error:
        raise ConnectError(explain(error, flow.connector_class.label)) from error
    sealed = {
        "person": _credentials_data(person),
        "tokens": {account.id: account.token for account in accounts if account.token},
        "flow": flow.flow_secrets,
    }
    return {
        "id": secrets.token_urlsafe(24),
        "connector_key": flow.key,
        "workspace": pending["workspace"],
        "user_id": pending["user_id"],
        "channel_id": pending.get("channel_id"),
        "label": pending.get("label") or "",
        "config": flow.config,
        # Names and ids only: what the page shows.
        "accounts": [
            {
                "id": account.id,
                "name": account.name,
                "handle": account.handle,
                "via": account.via,
                "can_post": account.can_post,
            }
            for account in accounts
        ],
        # Nothing that can be chosen, nothing to keep: the tokens are dropped at once.
        "secrets": encrypt_secret(json.dumps(sealed))
        if any(account.can_post for account in accounts)
        else "",
        # The choice gets its own deadline, as long as a sign-in's.
        "started_at": timezone.now().timestamp(),
    }


def pick_complete(*, pick: Mapping[str, Any], account_id: str) -> Verified:
    """Verify the chosen account with the network and return it to store.
    Raises ``ConnectError`` with a message to show."""
    key = str(pick["connector_key"])
    connector_class = registry.get(key)
    chosen = next((a for a in pick.get("accounts") or () if a.get("id") == account_id), None)
    if chosen is not None and not chosen.get("can_post"):
        raise ConnectError(str(words(key).cannot_post))
    if chosen is None or not pick.get("secrets"):
        raise ConnectError(_("Choose one of the accounts in the list."))
    sealed = json.loads(decrypt_secret(str(pick["secrets"])))
    flow_secrets = {str(k): str(v) for k, v in dict(sealed.get("flow") or {}).items()}
    account = ManagedAccount(
        id=account_id,
        name=str(chosen.get("name") or ""),
        handle=str(chosen.get("handle") or ""),
        via=str(chosen.get("via") or ""),
        token=(sealed.get("tokens") or {}).get(account_id),
    )
    config = {**dict(pick.get("config") or {}), managed_config_key(connector_class): account_id}
    run_config = connector_config(key, config, flow_secrets)
    try:
        person = _credentials_from(sealed["person"])
        credentials = _lister(
            connector_class(credentials=person, config=run_config)
        ).credentials_for(account)
        profile = connector_class(credentials=credentials, config=run_config).get_account()
    except ConnectorError as error:
        raise ConnectError(explain(error, connector_class.label)) from error
    return verified(
        key=key, config={**config, **flow_secrets}, credentials=credentials, profile=profile
    )
