"""Believable numbers for the pretend network: how a sandbox post grows and how many follow a
sandbox account on a given day.

Deterministic (a hash of the post id or account name, and time), so a post read twice grows
and never shrinks, the demo looks the same on every machine, and tests can predict it. Every
place that shows them labels them as sandbox data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

# The day a sandbox account's follower curve starts from.
FOLLOWERS_EPOCH = dt.date(2026, 1, 1)


def _unit(key: str, salt: str) -> float:
    """A stable number in [0, 1) for ``key``."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def post_counts(network_post_id: str, age: dt.timedelta) -> dict[str, int]:
    """A post's lifetime counts at ``age``: most views in the first day, then a long tail."""
    hours = max(age.total_seconds() / 3600, 0.0)
    reach = 150 + int(1350 * _unit(network_post_id, "reach") ** 2)
    grown = 1 - math.exp(-hours / 10) * 0.85 - 0.15 * math.exp(-hours / 120)
    views = int(reach * max(grown, 0.0))
    like_rate = 0.02 + 0.05 * _unit(network_post_id, "likes")
    likes = int(views * like_rate)
    return {
        "views": views,
        "likes": likes,
        "reposts": int(likes * (0.05 + 0.15 * _unit(network_post_id, "reposts"))),
        "replies": int(likes * (0.05 + 0.2 * _unit(network_post_id, "replies"))),
        "quotes": int(likes * 0.03),
    }


def followers_on(account: str, day: dt.date) -> int:
    """The account's followers on ``day``: a steady climb with a weekly wobble."""
    base = 600 + int(300 * _unit(account, "base"))
    per_day = 1.2 + 2.0 * _unit(account, "growth")
    days = (day - FOLLOWERS_EPOCH).days
    wobble = 4 * math.sin(days * 2 * math.pi / 7)
    return max(0, int(base + per_day * days + wobble))
