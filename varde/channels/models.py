"""Connected accounts: one row per account Varde may act for on one network.

The network itself is a connector (``varde.connectors``, no models); this row is the
installation: who connected it, its encrypted credentials, and whether it is usable now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.channels.choices import ChannelStatus
from varde.connectors import registry

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def network_name(connector_key: str) -> str:
    try:
        return str(registry.get(connector_key).label)
    except registry.UnknownConnectorError:
        return connector_key


class ConnectedAccountQuerySet(models.QuerySet["ConnectedAccount"]):
    def in_workspace(self, workspace: Workspace) -> ConnectedAccountQuerySet:
        return self.filter(workspace=workspace)

    def usable(self) -> ConnectedAccountQuerySet:
        return self.filter(status=ChannelStatus.CONNECTED)

    def current(self) -> ConnectedAccountQuerySet:
        """Every channel except the disconnected ones (kept only for history)."""
        return self.exclude(status=ChannelStatus.DISCONNECTED)


class ConnectedAccount(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="channels"
    )
    connector_key = models.CharField(_("network"), max_length=40)
    label = models.CharField(_("name"), max_length=120)
    handle = models.CharField(_("account"), max_length=200, blank=True)
    # Credentials (a connectors.contracts.Credentials as JSON), encrypted with lib.crypto.
    credentials_encrypted = models.TextField(blank=True)
    # Non-secret per-account settings the connector declares in ``config_keys``.
    config = models.JSONField(default=dict, blank=True)
    # The connector's ``sensitive_config_keys`` (a Mastodon app's client secret), as encrypted
    # JSON. App credentials from the operator's settings are never stored here.
    secret_config_encrypted = models.TextField(blank=True)
    # The account's id on the network, so a reconnect cannot silently switch to another account.
    network_account_id = models.CharField(max_length=200, blank=True)
    # A copy of the access token's expiry (it is inside the encrypted credentials) so the
    # refresh task can find the tokens due without decrypting every row.
    token_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    # The last refresh that failed for a passing reason (network down, 5xx); cleared on success.
    refresh_error = models.TextField(blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.CONNECTED
    )
    # The person told when the channel needs attention (a token expired, say).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConnectedAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("connected account")
        verbose_name_plural = _("connected accounts")
        ordering: ClassVar[list[str]] = ["label", "id"]

    def __str__(self) -> str:
        # A channel named after its network ("Sandbox") is not written twice.
        if self.label.casefold() == self.network_name.casefold():
            return self.label
        return f"{self.label} · {self.network_name}"

    @property
    def network_name(self) -> str:
        """The network as people write it ("Facebook"), never its code ("facebook")."""
        return network_name(self.connector_key)


class InstanceApp(models.Model):
    """Varde's own registration on one server that each account's server registers apps on
    (Mastodon's ``POST /api/v1/apps``), reused for every account connected there.

    Not tied to a workspace: the registration names Varde (this installation, this redirect
    address), not a customer; each account still signs in and gets its own token. The client
    secret is encrypted with ``lib.crypto``.
    """

    connector_key = models.CharField(max_length=40)
    instance = models.CharField(max_length=300)
    # An app is registered for one redirect address; a new VARDE_BASE_URL needs a new app.
    redirect_uri = models.CharField(max_length=500)
    client_id = models.CharField(max_length=300)
    client_secret_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["connector_key", "instance", "redirect_uri"], name="channels_instance_app"
            )
        ]

    def __str__(self) -> str:
        return f"{self.connector_key} app on {self.instance}"


class NetworkApp(models.Model):
    """This installation's own app with a network that people sign in on (X, LinkedIn, Meta,
    Threads, Google), as the owner of this Varde entered it in Settings.

    One row per app key (``OAuthMethod.app``), shared by every workspace: the app names this
    Varde, not a customer. The secret is encrypted with ``lib.crypto`` and never shown again.
    An app set in the environment (``VARDE_<APP>_CLIENT_ID``) wins over a row here
    (``channels/network_apps.py``).
    """

    app = models.CharField(max_length=40, unique=True)
    client_id = models.CharField(max_length=300)
    # Empty for an app that needs no secret (an X app of the "Native App" type).
    client_secret_encrypted = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.app} app"
