"""Every audit event kind that code writes has a sentence.

The source is read, not run: every call of ``audit_record`` (and of any function that passes
its own ``action`` argument on to it, such as the inbox's ``_audit``) in ``varde/`` outside the
tests is found, and each kind it can write must be declared in ``accounts.audit_sentences``.
A new app that writes audit events is covered without being listed here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from varde.accounts import audit_sentences
from varde.content.choices import ApprovalState
from varde.leads.choices import HandoffState
from varde.strategy.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
WRITER = "audit_record"

# A kind built from a value at run time ("post.{state}"): the values the value can take. A new
# f-string kind fails the test until it has a row here.
PATTERNS: dict[str, list[str]] = {
    "post.{}": list(ApprovalState.values),
    "lead.handoff_{}": list(HandoffState.values),
    "strategy.{}.created": list(KINDS),
    "strategy.{}.updated": list(KINDS),
    "strategy.{}.deleted": list(KINDS),
}


def _source_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    ]


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _action_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    return call.args[0] if call.args else None


def _forwarders(tree: ast.Module) -> set[str]:
    """Functions that take ``action`` and hand it to ``audit_record`` unchanged."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {arg.arg for arg in node.args.args + node.args.kwonlyargs}
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and _called_name(call) == WRITER:
                argument = _action_argument(call)
                if isinstance(argument, ast.Name) and argument.id in params:
                    found.add(node.name)
    return found


def _kinds_of(expression: ast.expr) -> list[str]:
    """The kinds an action expression can write: a literal, either side of a conditional,
    or an f-string spelled with ``{}`` for its parts."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.IfExp):
        return _kinds_of(expression.body) + _kinds_of(expression.orelse)
    if isinstance(expression, ast.JoinedStr):
        return [
            "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in expression.values
            )
        ]
    return [f"<cannot read: {ast.unparse(expression)}>"]


def written_kinds(paths: list[Path] | None = None) -> dict[str, list[str]]:
    """kind (or f-string pattern) → where it is written."""
    files = _source_files() if paths is None else paths
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
    forwarders = set().union(*(_forwarders(tree) for tree in trees.values()))
    writers = {WRITER} | forwarders
    found: dict[str, list[str]] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called_name(node) not in writers:
                continue
            argument = _action_argument(node)
            if argument is None or (
                isinstance(argument, ast.Name) and _called_name(node) != WRITER
            ):
                continue
            if isinstance(argument, ast.Name) and _inside_forwarder(tree, node, forwarders):
                continue
            for kind in _kinds_of(argument):
                found.setdefault(kind, []).append(f"{path.name}:{node.lineno}")
    return found


def _inside_forwarder(tree: ast.Module, call: ast.Call, forwarders: set[str]) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name in forwarders
            and any(inner is call for inner in ast.walk(node))
        ):
            return True
    return False


def _expand(kind: str) -> list[str]:
    if "{}" not in kind:
        return [kind]
    values = PATTERNS.get(kind)
    assert values is not None, (
        f"{kind!r} is built at run time; add a row to PATTERNS with the values it can take"
    )
    return [kind.replace("{}", value) for value in values]


def test_the_scan_finds_the_writers_it_must():
    kinds = written_kinds()
    # Direct calls, a conditional, an f-string and the inbox's forwarding helper.
    assert "member.added" in kinds
    assert "channel.paused" in kinds
    assert "channel.resumed" in kinds
    assert "post.{}" in kinds
    assert "inbox.assigned" in kinds
    assert len(kinds) > 80


def test_every_written_audit_kind_has_a_sentence():
    missing = {
        kind: where
        for pattern, where in written_kinds().items()
        for kind in _expand(pattern)
        if not audit_sentences.is_described(kind)
    }
    assert not missing, (
        "Audit kinds without a sentence (declare them in <app>/audit_kinds.py): "
        + (", ".join(f"{kind} ({', '.join(where)})" for kind, where in sorted(missing.items())))
    )


@pytest.mark.parametrize("kind", ["post.{}", "lead.handoff_{}", "strategy.{}.created"])
def test_every_pattern_value_is_described(kind):
    assert all(audit_sentences.is_described(each) for each in _expand(kind))


def test_a_kind_written_without_a_sentence_is_caught(tmp_path):
    """The check itself can fail: a new app that writes an undeclared kind, directly or through
    a helper of its own, is reported."""
    module = tmp_path / "services.py"
    module.write_text(
        "from varde.accounts.services import audit_record\n\n"
        "def _log(action, *, thing):\n    audit_record(action=action, target=thing)\n\n"
        "def probe(thing):\n"
        "    audit_record(action='probe.nobody_declared_this')\n"
        "    _log('probe.through_a_helper', thing=thing)\n",
        encoding="utf-8",
    )
    kinds = written_kinds([module])
    assert set(kinds) == {"probe.nobody_declared_this", "probe.through_a_helper"}
    assert not any(audit_sentences.is_described(kind) for kind in kinds)
