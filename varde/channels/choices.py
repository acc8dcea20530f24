"""The vocabulary of channels: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelStatus(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    # The network refused the token: nothing is sent until someone reconnects the account.
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    PAUSED = "paused", _("Paused")
    # Disconnected by a person: the credentials are deleted, the row stays for the history of
    # what was published through it.
    DISCONNECTED = "disconnected", _("Disconnected")
