"""`varde run`: everything a single machine needs, in one command.

Prepares the database, creates the demo workspace when the database is empty, then starts the
web server (gunicorn, never Django's development server) and one worker as child processes and
supervises them: a child that dies (a crash, an out-of-memory kill, a SIGKILL) is logged and
started again after a pause that doubles on each quick death (1 s up to a minute) and starts
over once the child has run for a minute. Ctrl+C or SIGTERM stops both.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from django.conf import settings
from django.core.management import call_command

log = logging.getLogger("varde.run")

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
# A child that ran this long before dying starts again after the first pause, not a longer one.
HEALTHY_AFTER = 60.0


def prepare() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def database_is_empty() -> bool:
    from varde.accounts.selectors import any_user_exists

    return not any_user_exists()


@dataclass
class Child:
    """One supervised process: how to start it and what happened to it so far."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # set while it is dead and waiting for its pause to end
    backoff: float = FIRST_BACKOFF
    restarts: int = 0


def _spawn(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv)


@dataclass
class Supervisor:
    children: list[Child]
    spawn: Callable[[list[str]], subprocess.Popen[bytes]] = field(default=_spawn)
    clock: Callable[[], float] = time.monotonic
    stopping: bool = False

    def start(self) -> None:
        for child in self.children:
            self._start(child)

    def _start(self, child: Child) -> None:
        child.process = self.spawn(child.argv)
        child.started_at = self.clock()
        child.restart_at = None

    def step(self) -> None:
        """Look at every child once: note a death, restart one whose pause is over."""
        now = self.clock()
        for child in self.children:
            if self.stopping:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    log.warning("Starting %s again (restart %d)", child.name, child.restarts)
                    self._start(child)
                continue
            code = child.process.poll() if child.process is not None else None
            if code is None:
                continue
            if now - child.started_at >= HEALTHY_AFTER:
                child.backoff = FIRST_BACKOFF
            log.error(
                "%s stopped unexpectedly (exit code %s); starting it again in %.0f s",
                child.name,
                code,
                child.backoff,
            )
            child.restart_at = now + child.backoff
            child.backoff = min(child.backoff * 2, MAX_BACKOFF)

    def stop(self, timeout: float = 15) -> None:
        self.stopping = True
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()


def run_all(*, host: str, port: int, web_workers: int) -> int:
    prepare()
    from varde.demo import demo_create, demo_login_lines

    login_lines = demo_create().summary() if database_is_empty() else demo_login_lines()

    web = Child(
        "web server",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "varde.conf.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ],
    )
    worker = Child("worker", [sys.executable, "-m", "varde.cli", "worker"])
    supervisor = Supervisor([web, worker])
    supervisor.start()

    print(
        f"\nVarde is running on http://{host}:{port}/\n{login_lines}\n"
        f"Data folder: {settings.DATA_DIR}\nStop with Ctrl+C.\n",
        flush=True,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        supervisor.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not supervisor.stopping:
            supervisor.step()
            time.sleep(0.5)
    finally:
        supervisor.stop()
    return 0
