"""`varde worker`: one Huey consumer, the registered loops, and a heartbeat."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

from varde.worker.loops import loop_reports, start_loops
from varde.worker.selectors import queue_kind
from varde.worker.services import HEARTBEAT_SECONDS, heartbeat_beat, heartbeat_stop

log = logging.getLogger("varde.worker")


def _heartbeat(stop: threading.Event) -> None:
    kind = queue_kind()
    while not stop.is_set():
        try:
            heartbeat_beat(queue_kind=kind, loops=loop_reports())
        except Exception:  # a database hiccup must not kill the worker; the next beat retries
            log.exception("Heartbeat failed")
        finally:
            close_old_connections()
        stop.wait(HEARTBEAT_SECONDS)


def run_worker(*, periodic: bool = True, threads: int | None = None) -> int:
    from huey.contrib.djhuey import HUEY

    # Every app's tasks.py must be imported before the consumer reads the queue, or a task
    # whose module is not loaded is dropped as unknown.
    autodiscover_modules("tasks")
    options = dict(settings.HUEY.get("consumer", {}))
    if threads:
        options["workers"] = threads
    # Periodic tasks must run once per period, not once per worker: enable them on one worker
    # (`varde run` does) and start extra workers with --no-periodic. Periodic tasks also take a
    # lock (huey.lock_task), so two schedulers by mistake still run a task once.
    options["periodic"] = periodic
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(stop,), name="heartbeat", daemon=True)
    beat.start()
    start_loops(stop)
    consumer = HUEY.create_consumer(**options)
    log.info("Worker started: queue %s, %s threads", queue_kind(), options.get("workers"))
    try:
        consumer.run()  # returns on SIGTERM / SIGINT after a graceful stop
    finally:
        stop.set()
        beat.join(timeout=HEARTBEAT_SECONDS)
        heartbeat_stop()
    return 0
