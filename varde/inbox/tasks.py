"""Background work of the inbox: waking snoozed conversations when their time comes, and
escalating conversations whose response-time targets ran out."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from varde.inbox.services import conversations_wake_snoozed, escalations_run

WAKE_LOCK = "inbox-wake-snoozed"
ESCALATE_LOCK = "inbox-escalate"


@db_periodic_task(crontab(minute="*"))
@lock_task(WAKE_LOCK)
def inbox_wake_snoozed() -> int:
    """Every minute, snoozed conversations whose time has come go back to New. Locked in the
    queue's storage so several workers run it once per period; the update itself is one
    statement, so a second run would change nothing anyway."""
    return conversations_wake_snoozed(now=timezone.now())


@db_periodic_task(crontab(minute="*/5"))
@lock_task(ESCALATE_LOCK)
def inbox_escalate() -> int:
    """Every five minutes, conversations with a clock overdue are escalated to the playbook's
    people, once per clock (the ``Escalation`` row's unique constraint holds that even if a
    second worker got past the lock)."""
    return escalations_run(now=timezone.now())
