"""How a week's number of posts is judged against the plan's "posts per week": one rule, read by
the calendar's meter and by analytics' plan adherence (seed 003: consistent, not excessive)."""

from __future__ import annotations

import math
from decimal import Decimal

TOO_MANY_FACTOR = Decimal("1.5")  # more than half again the plan is "too many"

LOW = "low"
OK = "ok"
HIGH = "high"


def frequency_bounds(planned: Decimal) -> tuple[int, int]:
    """(low, high): fewer than ``low`` posts in a week is too few, more than ``high`` too many.

    A plan of 3 a week is kept by 3 (too few below 3), and nags from 6 (more than 4.5, and
    more than one extra). A plan of less than one a week (every other week) cannot be judged
    too few in a single week.
    """
    low = math.floor(planned)
    high = max(math.ceil(planned * TOO_MANY_FACTOR), math.floor(planned) + 1)
    return low, high


def frequency_verdict(count: int, planned: Decimal | None) -> str | None:
    """``LOW``, ``OK`` or ``HIGH`` for ``count`` posts in a week; None without a plan number."""
    if planned is None or planned <= 0:
        return None
    low, high = frequency_bounds(planned)
    if count < low:
        return LOW
    if count > high:
        return HIGH
    return OK
