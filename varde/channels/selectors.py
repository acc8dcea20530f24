"""Reading connected accounts, and turning one into a connector that can act for it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext

from varde.channels import atproto_client, hooks, network_apps
from varde.channels.connect_methods import credential_method, oauth_method
from varde.channels.models import ConnectedAccount, ConnectedAccountQuerySet, InstanceApp
from varde.connectors import registry
from varde.connectors.contracts import Credentials
from varde.lib.crypto import decrypt_secret

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.connectors.base import Connector
    from varde.connectors.connect import CredentialMethod, OAuthMethod


class _PlanEntry(Protocol):
    @property
    def channel_id(self) -> int: ...
    @property
    def network(self) -> str: ...
    @property
    def name(self) -> str: ...


PlanT = TypeVar("PlanT", bound=_PlanEntry)


def channels_in(*, workspace: Workspace) -> ConnectedAccountQuerySet:
    """The workspace's channels as a queryset, for other apps to filter further (by id, label,
    network, status: ``.current()``, ``.usable()``)."""
    return ConnectedAccount.objects.in_workspace(workspace)


def usable_channels() -> ConnectedAccountQuerySet:
    """Every connected channel of every workspace, for the periodic read-back (which filters
    by workspace or channel when a person asks for one)."""
    return ConnectedAccount.objects.usable().select_related("workspace", "owner")


def channels_listed(*, workspace: Workspace) -> list[ConnectedAccount]:
    """The channel page's list: current channels first, disconnected ones after them."""
    channels = ConnectedAccount.objects.in_workspace(workspace).select_related("owner")
    return sorted(channels, key=lambda c: (c.status == "disconnected", c.label.lower(), c.pk))


def channel_get(*, workspace: Workspace, channel_id: int) -> ConnectedAccount:
    return (
        ConnectedAccount.objects.in_workspace(workspace).select_related("owner").get(pk=channel_id)
    )


def channel_waiting_count(*, channel: ConnectedAccount) -> int:
    """How many posts wait to go out on this channel (drafts and scheduled ones): what
    disconnecting it cancels. Publishing holds them and answers through the hook."""
    return sum(hooks.channel_waiting_work.call(channel))


def channel_credentials(channel: ConnectedAccount) -> Credentials | None:
    if not channel.credentials_encrypted:
        return None
    data = json.loads(decrypt_secret(channel.credentials_encrypted))
    expires = data.get("expires_at")
    return Credentials(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token"),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        scopes=tuple(data.get("scopes") or ()),
        extra=data.get("extra") or {},
    )


def channel_secret_config(channel: ConnectedAccount) -> dict[str, str]:
    if not channel.secret_config_encrypted:
        return {}
    data = json.loads(decrypt_secret(channel.secret_config_encrypted))
    return {str(key): str(value) for key, value in data.items()}


def instance_app_get(
    *, connector_key: str, instance: str, redirect_uri: str
) -> dict[str, str] | None:
    """Varde's stored registration on ``instance`` (client id and secret), or None."""
    app = InstanceApp.objects.filter(
        connector_key=connector_key, instance=instance, redirect_uri=redirect_uri
    ).first()
    if app is None:
        return None
    return {
        "client_id": app.client_id,
        "client_secret": decrypt_secret(app.client_secret_encrypted),
    }


def oauth_app_credentials(connector_key: str) -> dict[str, str] | None:
    """This Varde's app credentials for an OAuth network (from the environment, else as the
    owner saved them in Settings: ``network_apps``), or None when not set up.

    Mastodon needs none (Varde registers on each server), so it answers an empty dict; Bluesky
    needs Varde's own client id, which only a usable ``VARDE_BASE_URL`` gives.
    """
    method = oauth_method(connector_key)
    if method is None:
        return None
    if method.client_metadata:
        return atproto_client.app_credentials()
    if method.app is None:
        return {}
    return network_apps.app_credentials(method.app, needs_secret=method.needs_secret)


def connector_config(
    connector_key: str, stored: dict[str, str], secret: dict[str, str]
) -> dict[str, str]:
    """The config a connector gets: what the account stores, its secrets, and what the
    operator decides (app credentials, whether private addresses are allowed), which a
    stored value can never override."""
    config = {**stored, **secret}
    config.update(oauth_app_credentials(connector_key) or {})
    connector_class = registry.get(connector_key)
    if "allow_private" in connector_class.config_keys:
        config["allow_private"] = "true" if settings.VARDE_ALLOW_PRIVATE_URLS else "false"
    return config


def connector_for(channel: ConnectedAccount) -> Connector:
    """A connector instance that acts for this account."""
    connector_class = registry.get(channel.connector_key)
    stored = {str(key): str(value) for key, value in (channel.config or {}).items()}
    config = connector_config(channel.connector_key, stored, channel_secret_config(channel))
    return connector_class(credentials=channel_credentials(channel), config=config)


@dataclass(frozen=True)
class NetworkChoice:
    """One network on the "connect a channel" page, and how it can be connected now."""

    key: str
    label: str
    credentials: CredentialMethod | None
    oauth: OAuthMethod | None
    # An OAuth network whose app credentials the operator has not set.
    oauth_unconfigured: bool
    sandbox: bool
    # One line on what the network is for, from the connector (``look.description``).
    description: str | Promise = ""

    @property
    def available(self) -> bool:
        return self.sandbox or self.credentials is not None or self.oauth_ready

    @property
    def oauth_ready(self) -> bool:
        return self.oauth is not None and not self.oauth_unconfigured


def network_choice(connector_key: str) -> NetworkChoice | None:
    """How ``connector_key`` connects, or None when it is not an enabled network."""
    if not registry.is_enabled(connector_key):
        return None
    connector_class = registry.get(connector_key)
    oauth = oauth_method(connector_key)
    return NetworkChoice(
        key=connector_key,
        label=gettext(connector_class.label),
        credentials=credential_method(connector_key),
        oauth=oauth,
        oauth_unconfigured=oauth is not None and oauth_app_credentials(connector_key) is None,
        sandbox=connector_key == "sandbox",
        description=connector_class.look.description,
    )


def network_choices() -> list[NetworkChoice]:
    found = (network_choice(cls.key) for cls in registry.enabled())
    return [choice for choice in found if choice is not None]


# --- Which entry of the publishing plan a connected account is ------------------------------
#
# A person ties a connected account to one channel of the plan (``channel_plan_tie``): the tie
# is kept in the account's config, as the plan channel's id (``PLAN_CHANNEL_KEY``) and its
# network (``PLAN_NETWORK_KEY``, which a sandbox made to stand in for a network also uses). An
# account that is not tied, or tied to a plan channel that was deleted since, is matched by
# network as before: a blog is a WordPress site, and of several plan channels on one network
# the one whose name is the account's handle or label.

PLAN_CHANNEL_KEY = "plan_channel"
PLAN_NETWORK_KEY = "plan_network"

# Connector keys whose network the strategy names differently.
_PLAN_NETWORK_OF_CONNECTOR = {"wordpress": "blog"}


def plan_network_of(account: ConnectedAccount) -> str:
    """The strategy's network for a connected account: the network of the plan channel it is
    tied to (or a sandbox stands in for), else its own."""
    stands_in_for = account.config.get(PLAN_NETWORK_KEY) if account.config else None
    if isinstance(stands_in_for, str) and stands_in_for:
        return stands_in_for
    return _PLAN_NETWORK_OF_CONNECTOR.get(account.connector_key, account.connector_key)


def plan_channel_id_of(account: ConnectedAccount) -> int | None:
    """The id of the plan channel this account was tied to by a person, or None."""
    value = account.config.get(PLAN_CHANNEL_KEY) if account.config else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _plan_name_key(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def plan_name_matches(plan_name: str, account: ConnectedAccount) -> bool:
    """Whether the plan's name for a channel ("@bryggensykkel") is this account's."""
    key = _plan_name_key(plan_name)
    return bool(key) and key in {_plan_name_key(account.handle), _plan_name_key(account.label)}


def _tied_entry(account: ConnectedAccount, plans: Sequence[PlanT]) -> PlanT | None:
    tied = plan_channel_id_of(account)
    if tied is None:
        return None
    return next((p for p in plans if p.channel_id == tied), None)


def plan_entries_for(account: ConnectedAccount, plans: Sequence[PlanT]) -> list[PlanT]:
    """The plan's channels that describe this account: the one it is tied to; else those of
    the same network, and of several on that network the ones whose name matches the account's
    label or handle (all of them when none matches). ``plans`` are the strategy's
    ``ChannelPlan`` rows (anything with ``channel_id``, ``network`` and ``name``)."""
    tied = _tied_entry(account, plans)
    if tied is not None:
        return [tied]
    network = plan_network_of(account)
    same_network = [p for p in plans if p.network == network]
    if len(same_network) <= 1:
        return same_network
    named = [p for p in same_network if plan_name_matches(p.name, account)]
    return named or same_network


def plan_accounts(
    plans: Sequence[PlanT], accounts: Sequence[ConnectedAccount]
) -> list[tuple[PlanT, tuple[ConnectedAccount, ...]]]:
    """Each plan channel with the connected accounts that are it: the accounts tied to it, and
    the untied accounts of its network (of those, the ones whose name matches, if any do)."""
    tied: dict[int, list[ConnectedAccount]] = {}
    untied: dict[str, list[ConnectedAccount]] = {}
    for account in accounts:
        entry = _tied_entry(account, plans)
        if entry is not None:
            tied.setdefault(entry.channel_id, []).append(account)
        else:
            untied.setdefault(plan_network_of(account), []).append(account)
    result = []
    for plan in plans:
        candidates = untied.get(plan.network, [])
        named = [a for a in candidates if plan_name_matches(plan.name, a)]
        result.append((plan, (*tied.get(plan.channel_id, []), *(named or candidates))))
    return result


def plan_network_suggestion(account: ConnectedAccount, networks: Sequence[str]) -> str:
    """The plan network to offer when a person adds this account to the plan: its own network
    when the plan knows it (a WordPress site is a blog), else "other" (a sandbox, a webhook)."""
    own = _PLAN_NETWORK_OF_CONNECTOR.get(account.connector_key, account.connector_key)
    return own if own in networks else "other"
