"""The engine's tunables. Each can be set in Django settings or in the environment.

The defaults suit production. The chaos test and the benchmark shorten them (a 2-second lease
instead of 5 minutes) so that a killed worker's delivery is recovered within the run.
"""

from __future__ import annotations

import os

from django.conf import settings


def _number(name: str, default: float) -> float:
    configured = getattr(settings, name, None)
    if configured is not None:
        return float(configured)
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def lease_seconds() -> float:
    """How long a claim holds a delivery. Must be far longer than any connector call may take
    (their HTTP timeouts are tens of seconds), or a slow call could be taken for a dead one."""
    return _number("VARDE_PUBLISH_LEASE_SECONDS", 300)


def retry_base_seconds() -> float:
    return _number("VARDE_PUBLISH_RETRY_BASE_SECONDS", 15)


def retry_cap_seconds() -> float:
    return _number("VARDE_PUBLISH_RETRY_CAP_SECONDS", 900)


def max_tries() -> int:
    """Temporary errors in a row before a delivery is failed and the author told."""
    return int(_number("VARDE_PUBLISH_MAX_TRIES", 8))


def reconcile_settle_seconds() -> float:
    """Wait this long after a timeout before asking the network: a request that timed out on
    our side may still be processed on theirs a moment later."""
    return _number("VARDE_PUBLISH_RECONCILE_SETTLE_SECONDS", 30)


def safety_poll_seconds() -> float:
    """The longest a worker sleeps without looking, in case a wake-up signal was lost."""
    default = 5.0 if getattr(settings, "REDIS_URL", "") else 1.0
    return _number("VARDE_PUBLISH_SAFETY_POLL_SECONDS", default)


def recover_every_seconds() -> float:
    return min(5.0, max(0.2, lease_seconds() / 4))


def local_wake_enabled() -> bool:
    """Wake loops in other processes on this machine through sockets in the data folder
    (``publishing/localwake.py``) when there is no Redis. On by default; 0 turns it off."""
    return _number("VARDE_PUBLISH_LOCAL_WAKE", 1) != 0
