"""Metric snapshots: what a network said about one published post, at one moment.

Snapshots are kept (not overwritten), so a later report can show how a post grew. The counts
are the connectors' ``PostMetrics`` contract; ``views`` is None where the network does not say.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricSnapshot(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey("publishing.Delivery", on_delete=models.CASCADE, related_name="+")
    fetched_at = models.DateTimeField(_("read at"))
    likes = models.PositiveIntegerField(_("likes"), default=0)
    reposts = models.PositiveIntegerField(_("reposts"), default=0)
    replies = models.PositiveIntegerField(_("replies"), default=0)
    quotes = models.PositiveIntegerField(_("quotes"), default=0)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        ordering: ClassVar[list[str]] = ["-fetched_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["delivery", "-fetched_at"], name="snapshot_latest"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.delivery_id} at {self.fetched_at:%Y-%m-%d %H:%M}"
