"""The vocabulary of sandbox: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FaultKind(models.TextChoices):
    LATENCY = "latency", _("Slow answer")
    # The request times out before the network saw it: nothing was published.
    TIMEOUT_LOST = "timeout_lost", _("Timeout, post not received")
    # The network published the post, but the answer never came back.
    TIMEOUT_ACCEPTED = "timeout_accepted", _("Timeout after the post was published")
    RATE_LIMITED = "rate_limited", _("429 Too Many Requests, with Retry-After")
    SERVER_ERROR = "server_error", _("5xx server error")
    REJECTED = "rejected", _("Post rejected")
    AUTH_EXPIRED = "auth_expired", _("Token expired")
    # The network published the post and then the sending worker died.
    CRASH_AFTER_ACCEPT = "crash_after_accept", _("Worker crash after the post was published")


class PersonaKind(models.TextChoices):
    """What a simulated person of the sandbox says: the label shown beside sandbox data."""

    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    SPAM = "spam", _("Spam")
    FOLLOWER = "follower", _("New follower")
