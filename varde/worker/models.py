"""Worker processes report that they are alive, so the health page can tell."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    # hostname:pid identifies one `varde worker` process on one machine.
    name = models.CharField(max_length=200, unique=True)
    hostname = models.CharField(max_length=150)
    pid = models.PositiveIntegerField()
    queue_kind = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    tasks_done = models.PositiveBigIntegerField(default=0)
    # Each loop of the process as of the last beat: {"publisher": {"running": true, ...}}.
    loops = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name
