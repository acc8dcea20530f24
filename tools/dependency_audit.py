"""Audit the installed dependencies for known vulnerabilities; `make test` runs it.

    python tools/dependency_audit.py

It runs ``pip-audit`` on the virtual environment that ``make`` built (Varde itself, installed
editable, is skipped) against PyPI's advisory data. A known vulnerability fails the build,
unless its id is in ``tools/audit-accepted.txt`` with the reason it does not apply.

The advisory service is on the internet, which CI and the development machines may not reach
(or reach only through a package mirror that answers no advisories). Then nothing can be
audited, and that must not fail the build, but it must not read as a clean bill either: the
script says how many packages were audited, and says plainly when the answer is none.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCEPTED = Path(__file__).with_name("audit-accepted.txt")
TIMEOUT_S = 10


@dataclass
class Verdict:
    audited: int = 0
    skipped: int = 0
    findings: list[str] = field(default_factory=list)
    unreachable: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.findings)

    def summary(self) -> str:
        if self.unreachable:
            return (
                "Dependency audit: NOT AUDITED, the advisory service could not be reached "
                f"({self.unreachable}). The build goes on; run `make test` where PyPI answers."
            )
        if self.findings:
            return "Dependency audit: known vulnerabilities:\n  " + "\n  ".join(self.findings)
        if self.audited == 0:
            return (
                f"Dependency audit: NOT AUDITED, the advisory service answered for none of the "
                f"{self.skipped} packages (a package mirror without advisory data?)."
            )
        note = f"; {self.skipped} packages had no answer" if self.skipped else ""
        return f"Dependency audit: {self.audited} packages audited, none vulnerable{note}."


def accepted_ids(text: str) -> list[str]:
    """Ids from the accepted list: one per line, `ID  reason`; `#` starts a comment."""
    ids = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            ids.append(words[0])
    return ids


def verdict_of(report: dict[str, Any], accepted: list[str]) -> Verdict:
    """Read pip-audit's JSON report: what was audited, skipped, and found."""
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            verdict.skipped += 1
            continue
        verdict.audited += 1
        for vuln in dependency.get("vulns", []):
            if vuln["id"] in accepted or set(vuln.get("aliases", [])) & set(accepted):
                continue
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            verdict.findings.append(
                f"{dependency['name']} {dependency.get('version', '')}: {vuln['id']} (fixed in "
                f"{fixes})"
            )
    return verdict


def run_audit(accepted: list[str]) -> Verdict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--progress-spinner=off",
            f"--timeout={TIMEOUT_S}",
            "--format=json",
            f"--output={out}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if not out.exists() or not out.read_text():
            last_line = (done.stderr.strip().splitlines() or ["no answer"])[-1]
            return Verdict(unreachable=last_line[:300])
        return verdict_of(json.loads(out.read_text()), accepted)


def main() -> int:
    accepted = accepted_ids(ACCEPTED.read_text()) if ACCEPTED.exists() else []
    verdict = run_audit(accepted)
    print(verdict.summary())
    return 1 if verdict.failed else 0


if __name__ == "__main__":
    sys.exit(main())
