"""Choices of the listening app, importable by other apps without touching its models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.listening.sources import registry

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class QueryKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    COMPETITOR = "competitor", _("Competitor")
    CAMPAIGN = "campaign", _("Campaign hashtag")
    HASHTAG_TO_AVOID = "hashtag_to_avoid", _("Hashtag to avoid")
    OTHER = "other", _("Other")


class SentimentLabel(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral or mixed")
    NEGATIVE = "negative", _("Negative")


# Languages the detector chooses between. Bokmål and nynorsk are stored as one, "no".
LANGUAGE_LABELS = {
    "no": _("Norwegian"),
    "en": _("English"),
    "sv": _("Swedish"),
    "da": _("Danish"),
    "de": _("German"),
}


class AlertKind(models.TextChoices):
    SPIKE = "spike", _("Volume spike")
    NEGATIVE = "negative", _("Sentiment dip")


class AlertSensitivity(models.TextChoices):
    LOW = "low", _("Low: only large changes")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High: small changes too")


def source_kind_labels() -> dict[str, _StrOrPromise]:
    """Every source kind the sources registry knows, with its label (translated when shown).

    The registry is the one list: a kind is added by adding a source module, not here.
    """
    return {kind: registry.source_class(kind).label for kind in registry.kinds()}
