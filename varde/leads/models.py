"""The pipeline's tables: leads, what they engaged with, their timeline, and CRM hand-offs.

Handles, names and texts copied from inbox items and mentions come from strangers: always
escaped when shown, and written to CSV through ``lib.tables.safe_cell``.

Inbox items and mentions are referenced by kind and id, not by foreign key, with a copy of
what the person said: listening deletes old mentions (retention) and the inbox is rebuilt on
its own schedule, and a lead must keep its history either way.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.leads.choices import EventKind, HandoffState, RefKind, Stage


class Lead(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    handle = models.CharField(_("handle"), max_length=300)
    # The handle folded for finding duplicates: lower case, without a leading "@".
    handle_key = models.CharField(max_length=300)
    # A connector key ("bluesky") or a listening source kind ("rss"); "" when not known.
    network = models.CharField(_("network"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.PROSPECT
    )
    lost_reason = models.CharField(_("why it was lost"), max_length=300, blank=True)
    value = models.DecimalField(
        _("value (NOK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    # The conversion is credited to the campaign and the post that started it.
    campaign = models.ForeignKey(
        "content.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign"),
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once, the first time the lead reaches the stage (a customer was a lead too).
    lead_at = models.DateTimeField(null=True, blank=True)
    customer_at = models.DateTimeField(null=True, blank=True)
    # A duplicate merged into another lead is kept, hidden, so old links still lead somewhere.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering: ClassVar[list[str]] = ["-updated_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "stage", "-updated_at"], name="lead_board"),
            models.Index(fields=["workspace", "network", "handle_key"], name="lead_handle"),
            models.Index(fields=["workspace", "campaign"], name="lead_campaign"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.network or '?'})"


class LeadSource(models.Model):
    """One thing the person engaged with: an inbox item or a mention, as it was when linked."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="sources")
    ref_kind = models.CharField(max_length=12, choices=RefKind.choices)
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    # The post it answered (our post, when the item replied to one of ours).
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["ref_kind", "ref_id"], name="lead_source_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.ref_kind} {self.ref_id} of lead {self.lead_id}"


class LeadEvent(models.Model):
    """One line of a lead's timeline. Merging moves the duplicate's lines here, unchanged."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    text = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["lead", "-at"], name="lead_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on lead {self.lead_id}"


class CrmTarget(models.Model):
    """Where leads are handed off: one address per workspace, signed with its own secret."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    url = models.URLField(_("address"), max_length=500)
    # "whsec_…" (Standard Webhooks), encrypted with lib.crypto.
    secret_encrypted = models.TextField()
    enabled = models.BooleanField(_("send leads"), default=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"CRM of workspace {self.workspace_id}"


class Handoff(models.Model):
    """One message to the CRM. The body and webhook-id stay the same on every retry, so the
    receiver can drop a message it already has."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="handoffs")
    message_id = models.CharField(max_length=64, unique=True)
    body = models.TextField()
    state = models.CharField(
        max_length=10, choices=HandoffState.choices, default=HandoffState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "next_try_at"], name="handoff_due"),
        ]

    def __str__(self) -> str:
        return f"hand-off {self.message_id} of lead {self.lead_id}"


class HandoffAttempt(models.Model):
    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"try of {self.handoff_id} at {self.at:%Y-%m-%d %H:%M}"
