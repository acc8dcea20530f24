"""Deliveries: one post going to one channel, with every attempt kept.

The schedule lives here, not in the task queue: a due ``Delivery`` row is the truth, and the
publisher loop in every worker reads it. Rows are changed only by ``publishing.services``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.publishing.choices import AttemptKind, AttemptOutcome, DeliveryState, FailureKind

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def in_workspace(self, workspace: Workspace) -> DeliveryQuerySet:
        return self.filter(workspace=workspace)


class Delivery(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.DRAFT
    )
    # What the author asked for (UTC), and the workspace zone it was entered in.
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    scheduled_timezone = models.CharField(max_length=64, blank=True)
    # When the engine should next act: the schedule, a retry after backoff, or a reconcile.
    due_at = models.DateTimeField(null=True, blank=True)
    # The late cut-off: after this instant the delivery is marked missed instead of sent.
    send_by = models.DateTimeField(null=True, blank=True)
    # Stable across every retry of this delivery, so networks and the reconciler recognise it.
    idempotency_key = models.CharField(max_length=64, unique=True, default=new_idempotency_key)
    # Tries in the current round; a manual retry starts a new round.
    tries = models.PositiveIntegerField(default=0)

    # The lease of the worker that holds the delivery (state publishing, or unknown while
    # being reconciled). claim_token changes on every claim, so a worker whose lease expired
    # cannot overwrite what the next holder did.
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)

    network_post_id = models.CharField(max_length=300, blank=True)
    network_url = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    failure_kind = models.CharField(max_length=20, choices=FailureKind.choices, blank=True)
    # The last problem in plain words, shown to the author.
    last_error = models.TextField(blank=True)
    # What the reconciler found the last time it asked the network.
    reconcile_note = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_delivery_per_channel")
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The claim query: the earliest due row in a state the engine acts on.
            models.Index(fields=["state", "due_at", "id"], name="delivery_due"),
            models.Index(fields=["state", "lease_expires_at"], name="delivery_lease"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} → {self.channel_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One try at publishing or reconciling a delivery; never deleted, never rewritten later."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=12, choices=AttemptKind.choices)
    worker = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS
    )
    request_summary = models.JSONField(default=dict, blank=True)
    response = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["started_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["outcome"], name="attempt_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.delivery_id}: {self.outcome}"


class PublishingRules(models.Model):
    """A workspace's rules for posts that could not go out on time."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="publishing_rules"
    )
    # A post may still go out this long after its time (Varde was down, a network was out);
    # later than that it is marked missed and the author is told.
    late_cutoff_minutes = models.PositiveIntegerField(
        _("publish late for at most (minutes)"), default=60
    )

    def __str__(self) -> str:
        return f"rules of {self.workspace_id}"
