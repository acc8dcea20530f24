"""The vocabulary of content: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class MixCategory(models.TextChoices):
    """The three kinds of content the plan balances (seed 002)."""

    PROMOTIONAL = "promotional", _("Promotional")
    CURATED = "curated", _("Curated")
    ENGAGEMENT = "engagement", _("Engagement")
