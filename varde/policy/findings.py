"""What the policy guard reports: each finding, its severity, and the report for one post.

The checks themselves are in ``policy.checks``; ``policy.guard`` runs them and re-exports these
types, so callers keep importing them from the guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # translated; says why and what to do
    channel_id: int | None = None  # None: applies to the post as a whole
    hashtag: str = ""  # for hashtag findings: the tag, normalised, without "#"

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
