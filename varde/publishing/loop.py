"""The publisher loop that runs in every worker process.

It sleeps until the next due delivery (or a wake-up), then claims and sends due deliveries one
per transaction until none is left, checks ``unknown`` ones with the network, and now and then
recovers deliveries whose worker vanished. Any number of these loops, in any number of
processes on any number of machines, share the work through the database.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

from varde.publishing import conf, engine, selectors, services
from varde.publishing.wakeup import WakeListener
from varde.worker.services import worker_name

log = logging.getLogger(__name__)
# Deliveries sent before the loop looks up from the queue (stop requests, lease recovery).
BATCH = 50
# When a claim lost a race, wait a moment rather than spin against the winner.
CONTENDED_PAUSE = 0.01


def run_publisher(stop: threading.Event, *, worker: str | None = None) -> None:
    worker = worker or worker_name()
    last_recovery = 0.0
    with WakeListener() as wake:
        while not stop.is_set():
            if time.monotonic() - last_recovery >= conf.recover_every_seconds():
                recovered = services.delivery_recover_expired_leases(now=timezone.now())
                if recovered:
                    log.warning("Recovered %s deliveries from workers that stopped", recovered)
                last_recovery = time.monotonic()
            did_work = _drain(stop, worker)
            if did_work:
                continue
            close_old_connections()
            wake.wait(_sleep_seconds(), stop)


def _drain(stop: threading.Event, worker: str) -> bool:
    did_work = False
    for _ in range(BATCH):
        if stop.is_set() or not engine.publish_one(worker=worker):
            break
        did_work = True
    for _ in range(BATCH):
        if stop.is_set() or not engine.reconcile_one(worker=worker):
            break
        did_work = True
    return did_work


def _sleep_seconds() -> float:
    poll = conf.safety_poll_seconds()
    now = timezone.now()
    due = selectors.next_due_at(now=now)
    if due is None:
        return poll
    # A due row we could not claim is being taken by another worker right now.
    return min(poll, max(CONTENDED_PAUSE, (due - now).total_seconds()))
