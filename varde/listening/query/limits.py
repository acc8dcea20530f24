"""The caps on costly constructs, in one place so the validator, the docs and the tests agree.

Each cap bounds work the matcher does per candidate document: a wide NEAR compares more
positions, a wildcard scans every distinct word of the document, a long query is a big tree.
"""

from __future__ import annotations

MAX_QUERY_LENGTH = 2000
MAX_NEAR_DISTANCE = 10
MAX_WILDCARDS = 5
MIN_WILDCARD_PREFIX = 3
WILDCARD_CHARS = "*?"
