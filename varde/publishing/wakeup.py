"""Waking publisher loops when the schedule changes, so none waits for a poll.

A worker sleeps until its next known due delivery. When a post is scheduled earlier than that,
moved, or retried, every worker must hear of it:

* in the same process (the embedded mode, tests): a ``threading.Event`` per listening loop;
* across processes and machines when ``VARDE_REDIS_URL`` is set: Redis pub/sub on one channel;
* across processes on one machine without Redis: a Unix datagram socket per loop in the data
  folder (``localwake.py``);
* a lost message is covered by the safety poll in ``conf.safety_poll_seconds``: one cheap
  indexed query a second by default.

PostgreSQL's LISTEN/NOTIFY would serve the same purpose without Redis; it is not used yet
because a multi-machine install already runs Redis for the task queue.
"""

from __future__ import annotations

import logging
import threading
from functools import cache

from django.conf import settings
from django.db import transaction

from varde.publishing import localwake

log = logging.getLogger(__name__)

_listeners: set[threading.Event] = set()
_listeners_lock = threading.Lock()


def channel_name() -> str:
    return f"{settings.HUEY.get('name', 'varde')}:publishing:wake"


@cache
def _redis_client() -> object | None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def announce() -> None:
    """Tell every publisher loop to look at the schedule again."""
    with _listeners_lock:
        for event in _listeners:
            event.set()
    if localwake.enabled():
        try:
            localwake.announce()
        except Exception:  # the safety poll covers a lost wake-up; scheduling must not fail
            log.warning("Could not send the local publishing wake-up", exc_info=True)
    client = _redis_client()
    if client is not None:
        try:
            client.publish(channel_name(), b"1")  # type: ignore[attr-defined]
        except Exception:  # the safety poll covers a lost wake-up; scheduling must not fail
            log.warning("Could not send the publishing wake-up over Redis", exc_info=True)


def announce_after_commit() -> None:
    """Announce once the change is visible: a worker woken too early would see nothing new."""
    transaction.on_commit(announce)


class WakeListener:
    """What one publisher loop waits on."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._local: localwake.LocalListener | None = None

    def __enter__(self) -> WakeListener:
        with _listeners_lock:
            _listeners.add(self.event)
        if localwake.enabled():
            local = localwake.LocalListener(self.event)
            if local.open():
                self._local = local
        if _redis_client() is not None:
            self._thread = threading.Thread(
                target=self._listen_redis, name="publisher-wake", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        if self._local is not None:
            self._local.close()
        with _listeners_lock:
            _listeners.discard(self.event)

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Sleep up to ``seconds``; return True if woken by a signal. Checks ``stop`` often,
        because the worker's shutdown event cannot wake this one directly."""
        remaining = max(0.0, seconds)
        while remaining > 0 and not stop.is_set():
            step = min(remaining, 0.2)
            if self.event.wait(step):
                self.event.clear()
                return True
            remaining -= step
        self.event.clear()
        return False

    def _listen_redis(self) -> None:
        import redis

        url = settings.REDIS_URL
        while not self._closed.is_set():
            try:
                client = redis.Redis.from_url(url, socket_connect_timeout=2)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(channel_name())
                while not self._closed.is_set():
                    if pubsub.get_message(timeout=1.0) is not None:
                        self.event.set()
                pubsub.close()
            except Exception:  # Redis restarting: the safety poll covers the gap
                log.warning("Publishing wake-up listener lost Redis; retrying", exc_info=True)
                self._closed.wait(2)
