"""What the policy guard reports: each finding, its severity, and the report for one post.

The checks themselves are in ``policy.checks``; ``policy.guard`` runs them and re-exports these
types, so callers keep importing them from the guard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class SamplePost:
    network: str  # where listening saw it: the source's name ("Mastodon", "RSS")
    author: str
    text: str
    url: str
    posted_at: dt.datetime


@dataclass(frozen=True)
class HashtagContext:
    """What listening knows about a hashtag right now, shown next to the #Aurora check."""

    tag: str
    window: dt.timedelta  # the period the numbers cover, e.g. the last 7 days
    volume: int  # posts with the tag seen in the window
    usual_volume: int | None  # the typical volume for such a window, None when unknown
    samples: tuple[SamplePost, ...]  # a few recent posts, newest first

    @property
    def spiking(self) -> bool:
        """Far more posts than usual: the tag may be about something new (the #Aurora case)."""
        return self.usual_volume is not None and self.volume > 3 * max(self.usual_volume, 1)

    @property
    def window_days(self) -> int:
        return max(1, round(self.window.total_seconds() / 86400))


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # translated; says why and what to do
    channel_id: int | None = None  # None: applies to the post as a whole
    hashtag: str = ""  # for hashtag findings: the tag, normalised, without "#"
    # For a new hashtag: what listening knows about it (volume, samples); None without listening.
    context: HashtagContext | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


@dataclass(frozen=True)
class GuardReport:
    findings: tuple[Finding, ...]

    @property
    def blocks(self) -> bool:
        return any(f.severity == Severity.BLOCK for f in self.findings)

    def messages(self) -> list[str]:
        return [f.message for f in self.findings]

    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.BLOCK)

    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.WARN)
