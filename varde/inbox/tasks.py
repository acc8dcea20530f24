"""Background work of the inbox: waking snoozed conversations when their time comes."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from varde.inbox.services import conversations_wake_snoozed

WAKE_LOCK = "inbox-wake-snoozed"


@db_periodic_task(crontab(minute="*"))
@lock_task(WAKE_LOCK)
def inbox_wake_snoozed() -> int:
    """Every minute, snoozed conversations whose time has come go back to New. Locked in the
    queue's storage so several workers run it once per period; the update itself is one
    statement, so a second run would change nothing anyway."""
    return conversations_wake_snoozed(now=timezone.now())
