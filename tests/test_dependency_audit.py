"""The dependency audit says what it audited, fails on findings, and never fakes a clean bill."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "dependency_audit", Path(__file__).parent.parent / "tools" / "dependency_audit.py"
)
assert _spec is not None
assert _spec.loader is not None
audit = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = audit  # dataclasses look their module up there
_spec.loader.exec_module(audit)

DJANGO_VULN = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.1"]}],
}


def test_a_known_vulnerability_fails_the_build():
    verdict = audit.verdict_of({"dependencies": [DJANGO_VULN]}, accepted=[])
    assert verdict.failed
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in verdict.summary()


def test_an_accepted_vulnerability_by_id_or_alias_passes():
    for accepted in (["PYSEC-2025-1"], ["CVE-2025-0001"]):
        verdict = audit.verdict_of({"dependencies": [DJANGO_VULN]}, accepted=accepted)
        assert not verdict.failed
        assert verdict.audited == 1


def test_no_answer_for_any_package_is_not_a_clean_bill():
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    verdict = audit.verdict_of(report, accepted=[])
    assert not verdict.failed
    assert "NOT AUDITED" in verdict.summary()


def test_an_unreachable_service_says_so_and_does_not_fail():
    verdict = audit.Verdict(unreachable="ConnectionError: api.osv.dev")
    assert not verdict.failed
    assert "could not be reached" in verdict.summary()


def test_a_clean_audit_counts_what_it_audited():
    report = {"dependencies": [{"name": "django", "version": "5.2.9", "vulns": []}]}
    assert audit.verdict_of(report, accepted=[]).summary() == (
        "Dependency audit: 1 packages audited, none vulnerable."
    )


def test_the_accepted_list_reads_ids_and_skips_comments():
    text = "# heading\nPYSEC-1  reason why\n\nGHSA-x-y  # trailing\n"
    assert audit.accepted_ids(text) == ["PYSEC-1", "GHSA-x-y"]
