"""How long to wait before trying a temporary failure again."""

from __future__ import annotations

import random

_jitter = random.SystemRandom()


def retry_delay(*, tries: int, retry_after: float | None, base: float, cap: float) -> float:
    """Seconds until the next try.

    Exponential backoff with "full jitter" (a random point between half and all of the
    exponential step), so workers that failed together do not come back together. When the
    network said Retry-After, that is the floor: coming back earlier only earns another 429.
    """
    step = min(cap, base * (2 ** max(0, tries - 1)))
    delay = _jitter.uniform(step / 2, step)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay
