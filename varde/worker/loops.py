"""Long-running loops that live inside every `varde worker` process.

Huey runs tasks; some work is better as a loop that sleeps until it is needed (the publisher
waits for the next due delivery). An app declares such a loop in its ``worker_loops.py``::

    @register_loop("publisher")
    def run_publisher(stop: threading.Event) -> None:
        while not stop.is_set():
            ...

`varde worker` imports every installed app's ``worker_loops`` module and runs each loop in a
thread; ``stop`` is set on shutdown and a loop must return soon after.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

Loop = Callable[[threading.Event], None]
LOOPS: dict[str, Loop] = {}
log = logging.getLogger(__name__)


def register_loop(name: str) -> Callable[[Loop], Loop]:
    def decorate(loop: Loop) -> Loop:
        LOOPS[name] = loop
        return loop

    return decorate


def discover_loops() -> dict[str, Loop]:
    autodiscover_modules("worker_loops")
    return dict(LOOPS)


def start_loops(stop: threading.Event) -> list[threading.Thread]:
    threads = []
    for name, loop in discover_loops().items():
        thread = threading.Thread(target=_guarded, args=(name, loop, stop), name=name, daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def _guarded(name: str, loop: Loop, stop: threading.Event) -> None:
    """Restart a loop that crashed, after a pause, so one bug does not stop the worker."""
    while not stop.is_set():
        try:
            loop(stop)
        except Exception:
            log.exception("Worker loop %s crashed; restarting in 5 seconds", name)
            stop.wait(5)
        finally:
            close_old_connections()
