"""The vocabulary of publishing: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    # The network may or may not have the post; the reconciler will ask it before any retry.
    UNKNOWN = "unknown", _("Checking with the network")
    CANCELLED = "cancelled", _("Cancelled")
    # It went out, and later a person asked Varde to take it down from the network.
    REMOVED = "removed", _("Removed from the network")


class FailureKind(models.TextChoices):
    REJECTED = "rejected", _("Rejected by the network")
    MISSED = "missed", _("Missed: too late to publish")
    NOT_APPROVED = "not_approved", _("Not approved at publishing time")
    GAVE_UP = "gave_up", _("Gave up after repeated errors")
    MISCONFIGURED = "misconfigured", _("The channel cannot publish this")
    POLICY = "policy", _("Stopped by the publishing rules")


class AttemptKind(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    RECONCILE = "reconcile", _("Check with the network")


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    PUBLISHED = "published", _("Published")
    FOUND = "found", _("Found on the network")
    NOT_FOUND = "not_found", _("Not on the network: safe to send again")
    TRANSIENT = "transient", _("Temporary error")
    RATE_LIMITED = "rate_limited", _("Rate limited")
    REJECTED = "rejected", _("Rejected")
    AUTH_EXPIRED = "auth_expired", _("Token expired")
    UNKNOWN = "unknown", _("Outcome unknown")
    WORKER_LOST = "worker_lost", _("Worker stopped during the call")
    SKIPPED = "skipped", _("Not sent")
    ERROR = "error", _("Error")
