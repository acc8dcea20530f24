"""The vocabulary of policy: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewHashtagRule(models.TextChoices):
    """What the #Aurora check does with a hashtag new to the workspace (not in the plan, never
    confirmed, never published): warn by default, stop the post only where a workspace asks."""

    WARN = "warn", _("Warn, and show what listening knows about it")
    BLOCK = "block", _("Stop the post until someone confirms the hashtag")


class SignatureRule(models.TextChoices):
    OFF = "off", _("Not needed")
    WARN = "warn", _("Warn when a post is not signed")
    BLOCK = "block", _("Stop posts that are not signed")
