"""A named, typed list of callbacks: how a lower app lets higher apps react without importing them.

The layers (docs/architecture.md) let imports run only downwards. When something in a lower app
matters to a higher one (a channel is disconnected, so publishing cancels what waited for it),
the lower app declares a ``Hook`` and calls it; the higher app registers its callback once, at
start-up, in its ``AppConfig.ready``. Calls are synchronous and in-process, in the caller's
transaction, in registration order: unlike Django signals, every hook is declared in one place
with its signature, and a reader can find every receiver by searching for the hook's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """Callbacks of one signature, called in the order they were registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[P, R]] = []

    def register(self, callback: Callable[P, R]) -> Callable[P, R]:
        """Add a callback; registering the same one twice keeps one (``ready`` may run twice)."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def has_receivers(self) -> bool:
        return bool(self._callbacks)

    def call(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        """Run every callback and return their answers, in order."""
        return [callback(*args, **kwargs) for callback in self._callbacks]

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._callbacks)} callbacks)"
