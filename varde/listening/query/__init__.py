"""Varde's listening query language: parse, validate and match many queries at once.

    from varde.listening.query import Document, check, compile_queries

    check('"Varde AS" OR (varde NEAR/3 (sosiale OR social))').problems   # as the user types
    matcher = compile_queries([(1, "#aurora -lang:en"), (2, "kaff* AND fjellet")])
    matcher.match(Document(text="Kaffe på fjellet!", lang="no"))          # → [2]

Pure Python, no models: docs/listening.md describes the language, the caps and the design.
"""

from __future__ import annotations

from varde.listening.query.evaluate import Document, DocumentView, holds
from varde.listening.query.matcher import Explanation, Hit, Matcher, compile_queries
from varde.listening.query.problems import Code, Problem, Severity
from varde.listening.query.validator import Checked, check, validate

__all__ = [
    "Checked",
    "Code",
    "Document",
    "DocumentView",
    "Explanation",
    "Hit",
    "Matcher",
    "Problem",
    "Severity",
    "check",
    "compile_queries",
    "holds",
    "validate",
]
