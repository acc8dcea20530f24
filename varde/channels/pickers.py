"""Choosing the account after signing in, on networks where one person manages several
(Facebook Pages, Instagram accounts linked to them, LinkedIn company pages).

Nobody knows their Page id, so none is asked. After the network sends the person back,
``pick_begin`` swaps the code for the person's own token and lists what they manage
(``varde/connectors/managed.py``); the person chooses one on the picker page (its words are
the network's ``connect_forms.picker``, declared in its ``connect.py``), and
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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

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
    from varde.connectors.connect import PickerWords


def picks_account(connector_key: str) -> bool:
    """True for networks where the account is chosen after signing in: the connector lists
    the accounts a person manages and declares the picker's words (its ``connect.py``)."""
    connector_class = registry.get(connector_key)
    return connector_class.connect_forms.picker is not None and lists_managed_accounts(
        connector_class
    )


def words(connector_key: str) -> PickerWords:
    """What the picker page says for this network (declared in its ``connect.py``)."""
    picker = registry.get(connector_key).connect_forms.picker
    if picker is None:
        msg = f"{connector_key} declares no account picker"
        raise LookupError(msg)
    return picker


def _lister(connector: Connector) -> ListsManagedAccounts:
    if not isinstance(connector, ListsManagedAccounts):
        raise ConnectError(
            _("%(network)s cannot be connected this way.") % {"network": _(connector.label)}
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
