"""Background work of listening: reading the sources every minute, judging alerts every quarter
hour, checking Reddit for deleted posts every hour, pruning old mentions nightly.

The minute's task only hands out work: one ``listening_read_source`` task per enabled source,
so several workers read different sources at once. Each read holds a lock named after its
source, so a source is never read by two workers at the same time (a slow read makes the next
minute's task for it skip, not queue up). The periodic tasks are locked too, like every
periodic task of Varde, so a second scheduler started by mistake runs them once per period.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task
from huey.exceptions import TaskLockedException

from varde.listening import selectors, services

log = logging.getLogger(__name__)

READ_LOCK = "listening-read-sources"
PRUNE_LOCK = "listening-prune"
ALERTS_LOCK = "listening-alerts"
REDDIT_LOCK = "listening-reddit-deleted"


@db_periodic_task(crontab(minute="*"))
@lock_task(READ_LOCK)
def listening_read_sources() -> int:
    """Queue one read per enabled source; returns how many were queued."""
    source_ids = selectors.enabled_source_ids()
    for source_id in source_ids:
        listening_read_source(source_id)
    return len(source_ids)


@db_task()
def listening_read_source(source_id: int) -> dict[str, object] | None:
    try:
        with HUEY.lock_task(f"listening-source-{source_id}"):
            outcome = services.source_read(source_id=source_id)
    except TaskLockedException:
        return None  # still being read by another worker: this minute's turn is skipped
    if outcome is None:
        return None
    if outcome.stored or not outcome.ok:
        log.info("Listening source %s: %s", source_id, outcome)
    return {"ok": outcome.ok, "read": outcome.read, "stored": outcome.stored}


@db_periodic_task(crontab(hour="3", minute="17"))
@lock_task(PRUNE_LOCK)
def listening_prune() -> int:
    """Delete mentions older than each workspace keeps them (rollups stay)."""
    deleted = services.mentions_prune()
    if deleted:
        log.info("Listening retention deleted %s mentions", deleted)
    return deleted


@db_periodic_task(crontab(minute="*/15"))
@lock_task(ALERTS_LOCK)
def listening_alerts() -> int:
    """Judge every active query for volume spikes and sentiment dips."""
    made = services.alerts_detect_all()
    if made:
        log.info("Listening raised %s alerts", made)
    return made


@db_periodic_task(crontab(minute="41"))
@lock_task(REDDIT_LOCK)
def listening_reddit_deleted() -> int:
    """Delete here what was deleted or removed on Reddit (Reddit's terms), every hour."""
    deleted = services.reddit_check_deleted()
    if deleted:
        log.info("Deleted %s Reddit mentions that were deleted on Reddit", deleted)
    return deleted
