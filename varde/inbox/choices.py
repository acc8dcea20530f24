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
    FOLLOW = "follow", _("New follower")


class ConversationState(models.TextChoices):
    # New: the person waits for us. Pending: we answered and wait for them. A reply from the
    # person sends Pending, Resolved and Snoozed back to New.
    NEW = "new", _("New")
    PENDING = "pending", _("Pending")
    RESOLVED = "resolved", _("Resolved")
    SNOOZED = "snoozed", _("Snoozed")


class TriageClass(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    LEAD = "lead", _("Lead")
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OTHER = "other", _("Other")


class Sentiment(models.TextChoices):
    # The same values as listening's SentimentLabel, so the listening model's answer is kept
    # as it is.
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral or mixed")
    NEGATIVE = "negative", _("Negative")


class ReplyMode(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    PRIVATE = "private", _("Private message")
    # A new public post that names the person (@handle): for a new follower, where there is
    # no post of theirs to answer.
    MENTION = "mention", _("Public mention")


class ReplyStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ModerationKind(models.TextChoices):
    """What was done to an item, by a rule or a person; each one can be undone."""

    HIDE = "hide", _("Hide")
    LABEL = "label", _("Label")
    ASSIGN = "assign", _("Assign")
    ESCALATE = "escalate", _("Escalate")
    REVIEW = "review", _("Mark reviewed")
    CLASSIFY = "classify", _("Correct the class")


class AuthorListKind(models.TextChoices):
    VIP = "vip", _("VIP")
    BLOCK = "block", _("Block list")


class ProposalStatus(models.TextChoices):
    """Candidate replies waiting for an approver (the playbook's reply approval)."""

    WAITING = "waiting", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ThanksOutcome(models.TextChoices):
    SENT = "sent", _("Thanked")
    SKIPPED = "skipped", _("Skipped")
