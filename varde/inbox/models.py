"""What people say to and about a connected account: comments, replies and mentions.

One row per item a network returned, unique per channel, so reading the same page twice
stores nothing twice. ``text``, names and handles come from strangers: always escaped.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.inbox.choices import ItemKind


class InboxItem(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+"
    )
    network_id = models.CharField(max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    author_handle = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    # The network id of the post this answers, and our delivery when it is one of ours.
    in_reply_to = models.CharField(max_length=500, blank=True)
    delivery = models.ForeignKey(
        "publishing.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["channel", "network_id"], name="inbox_item_once")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "-created_at"], name="inbox_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.network_id} on channel {self.channel_id}"


class InboxCursor(models.Model):
    """Where reading a channel stopped: the connector's opaque cursor, and the last outcome."""

    channel = models.OneToOneField(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    cursor = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"inbox cursor of channel {self.channel_id}"
