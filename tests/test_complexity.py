"""No function in varde/ is more tangled than radon's rank C (cyclomatic complexity above 20).

A function that ranks D or worse holds several jobs at once and cannot be tested one rule at a
time; split it into small, named steps (``strategy/health.py`` and ``strategy/export.py`` show
the shape: one function per rule or part, held in a table). Generated migrations and data
modules (``*_data.py``: tables of text, not logic) are left out.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent / "varde"
WORST_ALLOWED = "C"


def _checked_files() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts and not path.name.endswith("_data.py")
    ]


def _too_complex(path: Path) -> list[str]:
    found = []
    for block in cc_visit(path.read_text(encoding="utf-8")):
        rank = cc_rank(block.complexity)
        if rank > WORST_ALLOWED:
            where = f"{path.relative_to(ROOT.parent)}:{block.lineno}"
            found.append(f"{where} {block.fullname} - {rank} ({block.complexity})")
    return found


def test_no_function_ranks_worse_than_c():
    offenders = [line for path in _checked_files() for line in _too_complex(path)]
    assert not offenders, "Split these into smaller functions:\n" + "\n".join(offenders)


def test_the_check_sees_the_code():
    # A walk that found no files, or no functions in them, would pass without checking anything.
    files = _checked_files()
    assert len(files) > 100
    assert any(cc_visit(path.read_text(encoding="utf-8")) for path in files)
