"""`varde run` restarts a dead child with backoff; System health shows a dead loop."""

from __future__ import annotations

import logging
import threading

import pytest

from varde import runner
from varde.worker import loops
from varde.worker.selectors import worker_statuses
from varde.worker.services import heartbeat_beat


class FakeProcess:
    def __init__(self) -> None:
        self.code: int | None = None

    def poll(self) -> int | None:
        return self.code

    def terminate(self) -> None:
        self.code = -15

    def wait(self, timeout: float | None = None) -> int | None:
        return self.code

    def kill(self) -> None:
        self.code = -9


def test_a_killed_child_is_started_again_with_growing_pauses(caplog):
    now = [0.0]
    started: list[FakeProcess] = []

    def spawn(argv):
        started.append(FakeProcess())
        return started[-1]

    web = runner.Child("web server", ["web"])
    worker = runner.Child("worker", ["worker"])
    supervisor = runner.Supervisor([web, worker], spawn=spawn, clock=lambda: now[0])
    supervisor.start()
    assert len(started) == 2
    caplog.set_level(logging.WARNING, logger="varde.run")

    worker.process.code = -9  # SIGKILL
    supervisor.step()
    assert "worker stopped unexpectedly (exit code -9)" in caplog.text
    assert len(started) == 2
    assert web.process.poll() is None
    now[0] = 1.0
    supervisor.step()
    assert len(started) == 3
    assert worker.restarts == 1

    worker.process.code = 1  # dies again at once: the pause doubles
    now[0] = 1.5
    supervisor.step()
    now[0] = 2.5
    supervisor.step()
    assert len(started) == 3
    now[0] = 3.5
    supervisor.step()
    assert len(started) == 4

    # After a minute of running, a death starts the pauses over.
    now[0] = 100.0
    worker.process.code = 1
    supervisor.step()
    assert worker.restart_at == 101.0

    supervisor.stop()
    assert web.process.poll() == -15


def test_a_real_process_killed_is_restarted():
    import subprocess
    import sys
    import time

    child = runner.Child("sleeper", [sys.executable, "-c", "import time; time.sleep(30)"])
    supervisor = runner.Supervisor([child])
    supervisor.start()
    first = child.process
    try:
        first.kill()
        first.wait(timeout=10)
        deadline = time.monotonic() + 10
        while child.process is first and time.monotonic() < deadline:
            supervisor.step()
            time.sleep(0.1)
        assert child.process is not first
        assert child.process.poll() is None
    finally:
        supervisor.stop(timeout=5)
    assert isinstance(child.process, subprocess.Popen)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_loop_thread_is_reported_as_not_running(client_as, workspace, owner):
    stop = threading.Event()

    def dies(stop_event):
        raise SystemExit("the sandbox's crash fault")

    thread = threading.Thread(target=loops._guarded, args=("publisher", dies, stop), daemon=True)
    loops.STATES["publisher"] = loops.LoopState(thread=thread)
    try:
        thread.start()
        thread.join(timeout=5)
        report = loops.loop_reports()["publisher"]
        assert report["running"] is False
        assert report["crashes"] == 1
        heartbeat_beat(queue_kind="SQLite", loops=loops.loop_reports())
        (status,) = worker_statuses()
        assert [loop.name for loop in status.dead_loops] == ["publisher"]
        page = client_as(owner).get(f"/w/{workspace.slug}/settings/health/").content.decode()
        assert "publisher: not running" in page
    finally:
        loops.STATES.pop("publisher", None)
