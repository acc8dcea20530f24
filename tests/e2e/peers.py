"""Starting and stopping the local servers the end-to-end tests talk to.

Each server runs in a process group of its own, with its output in a log file; a fixture that
times out or fails shows the log's tail in the failure message, and every group is killed at
the end (SIGTERM, then SIGKILL), children included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOG_TAIL = 4000


def port_base() -> int:
    """The first of the ten ports the peers use (VARDE_E2E_PORT_BASE, default 8170)."""
    return int(os.environ.get("VARDE_E2E_PORT_BASE", "8170"))


def require_dir(variable: str, what: str) -> Path:
    """The installed peer named by ``variable``, or skip the test with a clear reason."""
    value = os.environ.get(variable)
    if not value and os.environ.get("VARDE_E2E_REQUIRED"):
        pytest.fail(f"{variable} is not set, and VARDE_E2E_REQUIRED says the e2e tests must run")
    if not value:
        pytest.skip(
            f"{variable} is not set: {what} is not installed here. Run the set-up script in "
            ".ci/peers/ and export the directory it prints (see docs/e2e-tests.md)."
        )
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"{variable}={value} does not exist; run the set-up script again")
    return path


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def require_free_ports(ports: Sequence[int], what: str) -> None:
    busy = [port for port in ports if not port_is_free(port)]
    if busy:
        pytest.fail(
            f"{what}: ports {busy} on 127.0.0.1 are already in use (an earlier run left a server "
            "behind, or another program uses them). Stop it, or set VARDE_E2E_PORT_BASE."
        )


@dataclass
class Servers:
    """The processes one fixture started; ``stop()`` ends them all, last started first."""

    name: str
    workdir: Path
    processes: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def start(
        self,
        label: str,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Path:
        log = self.workdir / f"{label}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(command),
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: killed with all children
            )
        self.processes.append((label, process, log))
        return log

    def logs(self) -> str:
        parts = []
        for label, process, log in self.processes:
            text = log.read_text(errors="replace") if log.exists() else ""
            state = "running" if process.poll() is None else f"exited {process.returncode}"
            parts.append(f"--- {label} ({state}), last lines of {log}:\n{text[-LOG_TAIL:]}")
        return "\n".join(parts)

    def wait_until(self, ready: Callable[[], bool], *, timeout: float, what: str) -> None:
        """Poll ``ready`` until it is true; fail with the servers' logs on timeout or exit."""
        deadline = time.monotonic() + timeout
        last_error: BaseException | None = None
        while time.monotonic() < deadline:
            for label, process, _ in self.processes:
                if process.poll() is not None:
                    self.fail(f"{label} exited with {process.returncode} while {what}")
            try:
                if ready():
                    return
            except Exception as error:
                last_error = error
            time.sleep(0.2)
        self.fail(f"timed out after {timeout:.0f} s {what} (last error: {last_error!r})")

    def fail(self, message: str) -> None:
        logs = self.logs()
        self.stop()
        pytest.fail(f"{self.name}: {message}\n{logs}", pytrace=False)

    def stop(self) -> None:
        for _, process, _ in reversed(self.processes):
            _stop_group(process)
        self.processes.clear()


def _stop_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    # Children (PHP's server workers, node's helpers) may outlive the leader: end the group.
    _signal_group(process, signal.SIGKILL)
    if process.poll() is None:
        process.wait(5)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def file_contains(path: Path, text: str) -> Callable[[], bool]:
    return lambda: path.exists() and text in path.read_text(errors="replace")


def port_open(port: int) -> Callable[[], bool]:
    return lambda: not port_is_free(port)
