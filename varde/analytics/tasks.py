"""Background work: reading metrics, replies and mentions back from the networks."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from varde.analytics.links import salts_prune
from varde.analytics.readback import readback_run

log = logging.getLogger(__name__)

READBACK_LOCK = "analytics-readback"


@db_periodic_task(crontab(minute="*/15"))
@lock_task(READBACK_LOCK)
def channels_read_back() -> dict[str, int]:
    """Read every connected channel's new metrics and inbox items.

    Locked in the queue's storage like the token refresh (varde/channels/tasks.py), so with
    several workers it runs once per period; a second run while one holds the lock is
    skipped. The cadence in ``analytics.services`` decides which posts are read each time.
    """
    results = readback_run(now=timezone.now())
    counts = {
        "channels": len(results),
        "snapshots": sum(len(r.snapshots) for r in results),
        "items": sum(len(r.items) for r in results),
        "problems": sum(1 for r in results if r.problems),
    }
    if counts["snapshots"] or counts["items"] or counts["problems"]:
        log.info("Read back: %s", counts)
    return counts


@db_periodic_task(crontab(minute="5", hour="*"))
def visitor_salts_prune() -> int:
    """Delete visitor salts older than two days (hourly, so it never waits long)."""
    return salts_prune(today=timezone.localdate())


REPORTS_LOCK = "analytics-reports"


@db_periodic_task(crontab(minute="20"))
@lock_task(REPORTS_LOCK)
def reports_send() -> int:
    """Send the scheduled reports whose period has ended (hourly; each period once: the lock
    keeps two runs apart and the schedule's period is claimed before it is sent)."""
    from varde.analytics.report_sending import reports_send_due

    return len(reports_send_due(now=timezone.now()))
