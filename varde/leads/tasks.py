"""Background work of leads: the first try of a hand-off right away, retries when they are due.

Tasks take ids. The periodic task is locked, like every periodic task of Varde, so a second
scheduler started by mistake runs it once per minute; a try claims its hand-off first, so two
workers never send the same message at once.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from varde.leads import handoff

DUE_LOCK = "leads-handoffs-due"


@db_task()
def leads_handoff_send(handoff_id: int) -> str | None:
    sent = handoff.handoff_send(handoff_id=handoff_id)
    return sent.state if sent is not None else None


@db_periodic_task(crontab(minute="*"))
@lock_task(DUE_LOCK)
def leads_handoffs_due() -> int:
    due = handoff.handoffs_due(now=timezone.now())
    for handoff_id in due:
        leads_handoff_send(handoff_id)
    return len(due)
