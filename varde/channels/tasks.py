"""Background work for channels: keeping access tokens fresh before they expire."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from varde.channels import services

log = logging.getLogger(__name__)

REFRESH_LOCK = "channels-refresh-tokens"


@db_periodic_task(crontab(minute="*/5"))
@lock_task(REFRESH_LOCK)
def channels_refresh_tokens() -> dict[str, int]:
    """Refresh the tokens that expire within ``services.REFRESH_AHEAD``.

    The lock lives in the queue's storage (SQLite file or Redis), so with several workers
    (or two schedulers by mistake) the run happens once per period: a second run while one
    holds the lock is skipped. Running twice would be harmful, not just wasteful: networks
    that rotate refresh tokens (X, Bluesky) refuse the second use of one.
    """
    counts = services.channels_refresh_due(now=timezone.now())
    if counts:
        log.info("Token refresh: %s", counts)
    return counts
