"""The worker's own bookkeeping: heartbeats."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from django.utils import timezone

from varde.worker.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 10
# A worker that has not beaten for this long is shown as gone, and its row is cleared later.
STALE_AFTER = timedelta(seconds=HEARTBEAT_SECONDS * 4)
FORGET_AFTER = timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_beat(
    *, queue_kind: str, started_at: object = None, loops: dict[str, Any] | None = None
) -> WorkerHeartbeat:
    now = timezone.now()
    loops = loops or {}
    beat, created = WorkerHeartbeat.objects.update_or_create(
        name=worker_name(),
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "queue_kind": queue_kind,
            "last_seen": now,
            "loops": loops,
        },
        create_defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "queue_kind": queue_kind,
            "last_seen": now,
            "started_at": now,
            "loops": loops,
        },
    )
    if created:
        WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    return beat


def heartbeat_stop() -> None:
    WorkerHeartbeat.objects.filter(name=worker_name()).delete()
