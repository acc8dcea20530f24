"""Reading Varde's configuration from the environment.

Every setting a self-hoster can change comes from an environment variable. A wrong value stops
start-up with one sentence that names the variable to fix, raised as ``ImproperlyConfigured``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUTHY = {"1", "true", "yes", "on"}
FALSY = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUTHY:
        return True
    if value in FALSY:
        return False
    raise ImproperlyConfigured(f"Set {name} to 1 or 0 (it is {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Set {name} to a whole number (it is {raw!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The folder for the SQLite database, uploads and the generated secret (VARDE_DATA_DIR)."""
    path = Path(env_str("VARDE_DATA_DIR", "var")).expanduser().resolve()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"Set VARDE_DATA_DIR to a folder Varde can write to ({path}: {error.strerror})."
        ) from None
    keep_private(path, 0o700)
    return path


def keep_private(path: Path, mode: int) -> None:
    """Take group and other permissions away from ``path`` when this user owns it.

    The data folder holds the database (password hashes, encrypted tokens, sessions), the
    queue and the generated secret key: other accounts on the machine have no business
    reading them. A folder or file owned by someone else (a shared volume) is left alone."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass  # not there (yet), or not ours: nothing to tighten


def private_sqlite_file(path: Path) -> None:
    """Create the SQLite file owner-only before SQLite does, with its default 0644.

    SQLite gives its -wal and -shm files the database file's permissions, so they follow."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        return  # an unwritable place: the database connection will say so in its own words
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        keep_private(candidate, 0o600)


def sqlite_file(database: dict[str, object]) -> Path | None:
    """The file of a SQLite database setting; None for other databases or an in-memory one."""
    name = str(database.get("NAME") or "")
    if not str(database.get("ENGINE", "")).endswith("sqlite3") or name in {"", ":memory:"}:
        return None
    return Path(name)


def secret_key(folder: Path) -> str:
    """VARDE_SECRET_KEY, or a key generated once and kept in the data folder."""
    configured = env_str("VARDE_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("Set VARDE_SECRET_KEY to at least 32 random characters.")
        return configured
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions before writing the secret into it.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_url(folder: Path) -> str:
    url = env_str("DATABASE_URL") or f"sqlite:///{folder / 'varde.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            "Set DATABASE_URL to a sqlite:/// or postgresql:// URL "
            f"(the scheme {scheme!r} is not supported)."
        )
    return url


def redis_url() -> str:
    url = env_str("VARDE_REDIS_URL")
    if url and urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured("Set VARDE_REDIS_URL to a redis:// URL, or leave it empty.")
    return url
