"""Which listening sources exist: a class decorator fills the registry, ``get`` hands out an
instance. Registration is explicit (``varde.listening.sources`` imports every built-in module);
a kind is registered once, and two classes claiming one kind is an error."""

from __future__ import annotations

import threading
from typing import TypeVar

from varde.listening.sources.base import Source

S = TypeVar("S", bound=type[Source])

_registry: dict[str, type[Source]] = {}
_lock = threading.Lock()


class UnknownSourceError(LookupError):
    pass


def register(cls: S) -> S:
    """Class decorator: add a source to the registry under its ``kind``."""
    with _lock:
        existing = _registry.get(cls.kind)
        if existing is not None and existing is not cls:
            msg = f"two sources claim the kind {cls.kind!r}: {existing!r} and {cls!r}"
            raise ValueError(msg)
        _registry[cls.kind] = cls
    return cls


def get(kind: str) -> Source:
    """A ready instance of the source for ``kind`` (sources keep no state between reads)."""
    _load_builtins()
    try:
        cls = _registry[kind]
    except KeyError:
        msg = f"no listening source of kind {kind!r}; known: {', '.join(kinds())}"
        raise UnknownSourceError(msg) from None
    return cls()


def kinds() -> list[str]:
    _load_builtins()
    return sorted(_registry)


def source_class(kind: str) -> type[Source]:
    get(kind)
    return _registry[kind]


def _load_builtins() -> None:
    # The package's __init__ imports every built-in source module; importing it here makes
    # `registry.get` work even for a caller that imported only this module.
    import varde.listening.sources  # noqa: F401
