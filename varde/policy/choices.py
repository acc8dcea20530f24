"""The vocabulary of policy: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureRule(models.TextChoices):
    OFF = "off", _("Not needed")
    WARN = "warn", _("Warn when a post is not signed")
    BLOCK = "block", _("Stop posts that are not signed")
