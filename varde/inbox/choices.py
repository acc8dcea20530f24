"""The vocabulary of inbox: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    COMMENT = "comment", _("Reply")
    MENTION = "mention", _("Mention")
    DM = "dm", _("Message")
