"""What the health page shows about the background engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from varde.lib.database import database_kind
from varde.worker.models import WorkerHeartbeat
from varde.worker.services import STALE_AFTER


@dataclass(frozen=True)
class LoopStatus:
    name: str
    running: bool
    crashes: int
    last_error: str


@dataclass(frozen=True)
class WorkerStatus:
    name: str
    started_at: datetime
    last_seen: datetime
    alive: bool
    loops: tuple[LoopStatus, ...] = ()

    @property
    def dead_loops(self) -> list[LoopStatus]:
        return [loop for loop in self.loops if not loop.running]


@dataclass(frozen=True)
class EngineHealth:
    database: str
    queue_kind: str
    queue_depth: int | None
    workers: list[WorkerStatus]

    @property
    def alive_workers(self) -> int:
        return sum(1 for worker in self.workers if worker.alive)


def queue_kind() -> str:
    return "Redis" if "Redis" in settings.HUEY["huey_class"] else "SQLite"


def queue_depth() -> int | None:
    from huey.contrib.djhuey import HUEY

    try:
        return int(HUEY.pending_count())
    except Exception:  # a broken queue is shown as "unknown", not as a crash
        return None


def worker_statuses() -> list[WorkerStatus]:
    """Every worker that reported in the last day, alive or not, by name."""
    now = timezone.now()
    return [
        WorkerStatus(
            name=beat.name,
            started_at=beat.started_at,
            last_seen=beat.last_seen,
            alive=now - beat.last_seen <= STALE_AFTER,
            loops=tuple(
                LoopStatus(
                    name=name,
                    running=bool(report.get("running")),
                    crashes=int(report.get("crashes") or 0),
                    last_error=str(report.get("last_error") or ""),
                )
                for name, report in sorted((beat.loops or {}).items())
                if isinstance(report, dict)
            ),
        )
        for beat in WorkerHeartbeat.objects.order_by("name")
    ]


def engine_health() -> EngineHealth:
    return EngineHealth(
        database=database_kind(connection.settings_dict["ENGINE"]),
        queue_kind=queue_kind(),
        queue_depth=queue_depth(),
        workers=worker_statuses(),
    )
