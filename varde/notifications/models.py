"""A notification shown in the app (the bell), and each person's choice per kind."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varde.notifications.choices import DeliveryState, Reach


class Notification(models.Model):
    """Something a person should know about, shown in the app (the bell)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    # Written in the recipient's language when it was created.
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "workspace", "read_at"], name="notification_unread_at")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationPreference(models.Model):
    """How one person wants to hear of one kind; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    reach = models.CharField(_("how"), max_length=10, choices=Reach.choices)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.reach}"


class WebhookEndpoint(models.Model):
    """Where a workspace's notifications of one kind also go: a signed webhook (the channel of
    the notification path for other systems: a chat, an on-call tool, a script)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    url = models.URLField(_("address"), max_length=500)
    # "whsec_…" (Standard Webhooks), encrypted with lib.crypto; shown once, when it is made.
    secret_encrypted = models.TextField()
    enabled = models.BooleanField(_("send"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "kind"], name="one_webhook_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} webhook of workspace {self.workspace_id}"


class WebhookDelivery(models.Model):
    """One message to a webhook. The body and webhook-id stay the same on every retry, so the
    receiver can drop a message it already has."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=40)
    message_id = models.CharField(max_length=64, unique=True)
    body = models.TextField()
    is_test = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_try_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "next_try_at"], name="webhook_delivery_due")
        ]

    def __str__(self) -> str:
        return self.message_id
