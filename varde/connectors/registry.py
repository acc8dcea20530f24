"""Which connectors exist, and which this installation enables.

Registration is explicit: a connector module decorates its class with ``@register``. The
enabled set comes from the Django setting ``VARDE_CONNECTORS`` (a list of keys), read
lazily at the first call and frozen after it, as NetBox freezes its registry after start-up:
a running process never changes which networks it talks to.

By convention a built-in connector with key ``k`` lives in ``varde.connectors.k``; naming a
key in the setting is enough to import and register its module.
"""

import importlib
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from varde.connectors.base import Connector

C = TypeVar("C", bound=type[Connector])

_registry: dict[str, type[Connector]] = {}
_enabled: tuple[type[Connector], ...] | None = None
# Re-entrant: importing a module inside get()/enabled() runs its @register.
_lock = threading.RLock()


class RegistryFrozenError(RuntimeError):
    pass


class UnknownConnectorError(LookupError):
    pass


def register(cls: C) -> C:
    """Class decorator: add a connector to the registry under its ``key``."""
    with _lock:
        if _enabled is not None:
            msg = f"cannot register {cls.key!r}: the connector registry is frozen"
            raise RegistryFrozenError(msg)
        existing = _registry.get(cls.key)
        if existing is not None and existing is not cls:
            msg = f"two connectors claim the key {cls.key!r}: {existing!r} and {cls!r}"
            raise ValueError(msg)
        _registry[cls.key] = cls
    return cls


def _import_builtin(key: str) -> None:
    if key in _registry or not key.isidentifier():
        return
    try:
        importlib.import_module(f"varde.connectors.{key}")
    except ModuleNotFoundError as exc:
        if exc.name != f"varde.connectors.{key}":
            raise


def get(key: str) -> type[Connector]:
    """The connector class for ``key``, whether enabled or not."""
    with _lock:
        if _enabled is None:
            _import_builtin(key)
        try:
            return _registry[key]
        except KeyError:
            known = ", ".join(sorted(_registry)) or "none"
            msg = f"no connector with key {key!r} (registered: {known})"
            raise UnknownConnectorError(msg) from None


def _read_setting() -> Sequence[str]:
    from django.conf import settings

    return list(getattr(settings, "VARDE_CONNECTORS", ()))


def enabled(read_setting: Callable[[], Sequence[str]] | None = None) -> tuple[type[Connector], ...]:
    """The enabled connector classes, in the order of ``VARDE_CONNECTORS``.

    The first call reads the setting, imports the modules and freezes the registry.
    """
    global _enabled  # noqa: PLW0603  (module-level registry, frozen once)
    with _lock:
        if _enabled is not None:
            return _enabled
        keys = list((read_setting or _read_setting)())
        for key in keys:
            _import_builtin(key)
        missing = [key for key in keys if key not in _registry]
        if missing:
            from django.core.exceptions import ImproperlyConfigured

            msg = f"VARDE_CONNECTORS names unknown connectors: {', '.join(missing)}"
            raise ImproperlyConfigured(msg)
        _enabled = tuple(_registry[key] for key in dict.fromkeys(keys))
        return _enabled


def is_enabled(key: str) -> bool:
    return any(cls.key == key for cls in enabled())


def registered() -> dict[str, type[Connector]]:
    """A copy of every registered connector by key (for tests and admin pages)."""
    with _lock:
        return dict(_registry)


def _reset_for_tests() -> None:
    """Unfreeze and forget the enabled set; registered classes stay."""
    global _enabled  # noqa: PLW0603
    with _lock:
        _enabled = None
