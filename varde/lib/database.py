"""The database kind as people read it: a label for health pages, not a setting."""

from __future__ import annotations


def database_kind(engine: str) -> str:
    """ "PostgreSQL" or "SQLite" for a Django ENGINE path."""
    return "PostgreSQL" if "postgresql" in engine else "SQLite"
