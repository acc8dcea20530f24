"""Choices of the listening app, importable by other apps without touching its models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

# Source kinds named in issue 12; the sources package decides which are installed.
SOURCE_KIND_LABELS = {
    "rss": _("RSS or Atom feed"),
    "bluesky": _("Bluesky"),
    "jetstream": _("Bluesky (Jetstream)"),
    "mastodon": _("Mastodon"),
    "reddit": _("Reddit"),
    "hackernews": _("Hacker News"),
    "youtube": _("YouTube comments"),
    "channels": _("Connected channels"),
    "csv": _("CSV import"),
}
