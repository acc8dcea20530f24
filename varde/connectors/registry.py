"""Which connectors exist, and which this installation enables.

Registration is explicit: a connector module decorates its class with ``@register``. The
enabled set comes from the Django setting ``VARDE_CONNECTORS`` (a list of keys), read
lazily at the first call and frozen after it, as NetBox freezes its registry after start-up:
a running process never changes which networks it talks to.

A built-in connector is found through :data:`BUILTIN`, one line per key naming the module
that registers it (``varde.connectors.<network>.connector``, or a module of a family package
such as ``meta/``); naming a key in the setting is enough to import and register it. A
connector living in another app (the sandbox) registers itself in its ``AppConfig.ready()``.
"""

import importlib
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from varde.connectors.base import Connector

C = TypeVar("C", bound=type[Connector])

# Key -> the module whose @register adds it. Written out, not derived from the key, because a
# package may hold several networks (Facebook, Instagram and Threads share meta/). The order is
# the order the connect page and `varde channels connect` list the networks in.
BUILTIN: dict[str, str] = {
    "bluesky": "varde.connectors.bluesky.connector",
    "mastodon": "varde.connectors.mastodon.connector",
    "wordpress": "varde.connectors.wordpress.connector",
    "webhook": "varde.connectors.webhook.connector",
    "newsletter": "varde.connectors.newsletter.connector",
    "x": "varde.connectors.x.connector",
    "linkedin": "varde.connectors.linkedin.connector",
    "facebook": "varde.connectors.meta.facebook",
    "instagram": "varde.connectors.meta.instagram",
    "threads": "varde.connectors.meta.threads",
    "youtube": "varde.connectors.youtube.connector",
}

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
    module = BUILTIN.get(key)
    if key in _registry or module is None:
        return
    importlib.import_module(module)


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


def known() -> tuple[type[Connector], ...]:
    """Every connector that could be enabled: the built-ins in :data:`BUILTIN` order, then
    those registered by other apps (the sandbox). For listings that do not depend on the
    setting, such as ``varde channels connect``'s subcommands. Imports the built-ins while the
    registry is open; once it is frozen, only what was registered by then."""
    with _lock:
        if _enabled is None:
            for key in BUILTIN:
                _import_builtin(key)
        keys = [key for key in BUILTIN if key in _registry]
        keys += [key for key in _registry if key not in BUILTIN]
        return tuple(_registry[key] for key in keys)


def registered() -> dict[str, type[Connector]]:
    """A copy of every registered connector by key (for tests and admin pages)."""
    with _lock:
        return dict(_registry)


def _reset_for_tests() -> None:
    """Unfreeze and forget the enabled set; registered classes stay."""
    global _enabled  # noqa: PLW0603
    with _lock:
        _enabled = None
