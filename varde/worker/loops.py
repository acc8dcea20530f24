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
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

Loop = Callable[[threading.Event], None]
LOOPS: dict[str, Loop] = {}
log = logging.getLogger(__name__)


@dataclass
class LoopState:
    """What the heartbeat reports about one loop of this process (System health shows it)."""

    thread: threading.Thread | None = None
    crashes: int = 0
    last_error: str = ""
    waiting_to_restart: bool = False

    def as_report(self) -> dict[str, object]:
        running = self.thread is not None and self.thread.is_alive()
        return {
            "running": running and not self.waiting_to_restart,
            "thread_alive": running,
            "crashes": self.crashes,
            "last_error": self.last_error[:300],
        }


STATES: dict[str, LoopState] = {}


def loop_reports() -> dict[str, dict[str, object]]:
    """Each started loop of this process: running or not, crashes so far, the last error."""
    return {name: state.as_report() for name, state in sorted(STATES.items())}


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
        STATES[name] = LoopState(thread=thread)
        thread.start()
        threads.append(thread)
    return threads


def _guarded(name: str, loop: Loop, stop: threading.Event) -> None:
    """Restart a loop that crashed, after a pause, so one bug does not stop the worker.

    What cannot be caught here (``SystemExit`` and the like) ends the thread; the heartbeat then
    reports the loop as not running, and System health says so."""
    state = STATES.setdefault(name, LoopState(thread=threading.current_thread()))
    while not stop.is_set():
        try:
            loop(stop)
        except Exception as error:
            state.crashes += 1
            state.last_error = f"{type(error).__name__}: {error}"
            log.exception("Worker loop %s crashed; restarting in 5 seconds", name)
            state.waiting_to_restart = True
            stop.wait(5)
            state.waiting_to_restart = False
        except BaseException as error:
            state.crashes += 1
            state.last_error = f"{type(error).__name__}: {error}"
            log.critical("Worker loop %s stopped for good: %s", name, state.last_error)
            raise
        finally:
            close_old_connections()
