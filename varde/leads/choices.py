"""The words of the pipeline, importable by any app (models stay private to leads)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    LOST = "lost", _("Lost")


# Left to right on the board; the arrow buttons and keys move a card along this order.
BOARD_ORDER: tuple[Stage, ...] = (Stage.PROSPECT, Stage.LEAD, Stage.CUSTOMER, Stage.LOST)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STAGE = "stage", _("Stage changed")
    NOTE = "note", _("Note")
    LINKED = "linked", _("Interaction linked")
    OWNER = "owner", _("Owner changed")
    EDITED = "edited", _("Details changed")
    MERGED = "merged", _("Merged")
    HANDOFF = "handoff", _("Sent to the CRM")


class RefKind(models.TextChoices):
    INBOX_ITEM = "inbox_item", _("Inbox item")
    MENTION = "mention", _("Listening mention")
    MANUAL = "manual", _("Entered by hand")


class HandoffState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
