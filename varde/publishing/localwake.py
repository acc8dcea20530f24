"""Waking publisher loops in other processes on this machine, without a server.

Each listening loop binds a Unix datagram socket in ``<data dir>/wake/``; an announcement sends
one byte to every socket there. The kernel delivers it at once, so a worker asleep in another
process hears of a newly scheduled post within milliseconds instead of at its next safety poll.
It costs one directory listing and a ``sendto`` per listener, and nothing while idle.

Used when there is no Redis (Redis pub/sub reaches other machines too). A socket whose process
died refuses the datagram and is removed by the next announcement. If a socket cannot be made
(a path too long for ``AF_UNIX``, a platform without it), the safety poll still bounds the delay.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from django.conf import settings

from varde.publishing import conf

log = logging.getLogger(__name__)

# sun_path holds 108 bytes on Linux, 104 on macOS; stay below both.
MAX_SOCKET_PATH = 100
SUFFIX = ".sock"

_sender_lock = threading.Lock()
_sender: tuple[int, socket.socket] | None = None


def enabled() -> bool:
    return (
        hasattr(socket, "AF_UNIX")
        and not getattr(settings, "REDIS_URL", "")
        and conf.local_wake_enabled()
    )


def wake_dir() -> Path:
    return Path(settings.DATA_DIR) / "wake"


def _sending_socket() -> socket.socket:
    """One unbound datagram socket per process (made again after a fork)."""
    global _sender  # noqa: PLW0603 - a per-process cache
    with _sender_lock:
        if _sender is None or _sender[0] != os.getpid():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.setblocking(False)
            _sender = (os.getpid(), sock)
        return _sender[1]


def announce() -> int:
    """Send a wake-up to every listener on this machine; returns how many were reached."""
    directory = wake_dir()
    try:
        names = [entry for entry in os.listdir(directory) if entry.endswith(SUFFIX)]
    except FileNotFoundError:
        return 0
    sock = _sending_socket()
    reached = 0
    for name in names:
        path = str(directory / name)
        try:
            sock.sendto(b"1", path)
            reached += 1
        except BlockingIOError:
            reached += 1  # its queue is full: a wake-up is already waiting there
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # its process is gone
        except OSError:
            log.debug("Could not wake %s", path, exc_info=True)
    return reached


class LocalListener:
    """A bound socket and a thread that sets ``event`` whenever a datagram arrives."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.path: Path | None = None
        self._sock: socket.socket | None = None
        self._closed = threading.Event()

    def open(self) -> bool:
        directory = wake_dir()
        path = directory / f"{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        if len(os.fsencode(path)) > MAX_SOCKET_PATH:
            log.info("Data folder path too long for a wake-up socket; using the safety poll")
            return False
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(str(path))
        except OSError:
            log.warning("Could not open a wake-up socket; using the safety poll", exc_info=True)
            return False
        sock.settimeout(1.0)
        self._sock, self.path = sock, path
        threading.Thread(target=self._listen, name="publisher-local-wake", daemon=True).start()
        return True

    def close(self) -> None:
        self._closed.set()
        if self._sock is not None:
            self._sock.close()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def _listen(self) -> None:
        sock = self._sock
        assert sock is not None  # noqa: S101 - set by open() before the thread starts
        while not self._closed.is_set():
            try:
                sock.recv(64)
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            self.event.set()
