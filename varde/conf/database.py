"""The database settings: SQLite tuned for several processes, or PostgreSQL."""

from __future__ import annotations

from typing import Any

import dj_database_url

# WAL lets readers run beside one writer; IMMEDIATE transactions take the write lock at BEGIN, so
# two writers queue on the busy timeout instead of failing with "database is locked" when a read
# transaction later tries to upgrade to a write.
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA busy_timeout=30000;"
)


def database_settings(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": SQLITE_INIT,
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config
