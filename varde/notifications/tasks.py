"""Background work of the notification path: the webhook channel's first try right away,
retries when they are due (``webhooks.BACKOFF``).

Tasks take ids. The periodic task is locked, like every periodic task of Varde, so a second
scheduler started by mistake runs it once per minute; a try claims its delivery first, so two
workers never send the same message at once.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from varde.notifications import webhooks

DUE_LOCK = "notifications-webhooks-due"


@db_task()
def notifications_webhook_send(delivery_id: int) -> str | None:
    sent = webhooks.webhook_send(delivery_id=delivery_id)
    return sent.state if sent is not None else None


@db_periodic_task(crontab(minute="*"))
@lock_task(DUE_LOCK)
def notifications_webhooks_due() -> int:
    due = webhooks.webhooks_due(now=timezone.now())
    for delivery_id in due:
        notifications_webhook_send(delivery_id)
    return len(due)
