"""From a shell, as a person scripting Varde: `varde posts schedule` for the sandbox channel,
a real `varde worker` process, and the post appears at the sandbox on time, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]

TEXT = "Sent from the shell, on time, once"


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "VARDE_DATA_DIR": str(data_dir)}
    for name in ("DATABASE_URL", "VARDE_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "VARDE_REDIS_URL"):
        env.pop(name, None)
    return env


def varde(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "varde.cli", *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_post_scheduled_from_the_shell_appears_at_the_sandbox_on_time_once(tmp_path):
    assert varde("migrate", "--verbosity", "0", data_dir=tmp_path).returncode == 0
    demo = varde("demo", data_dir=tmp_path)  # Bryggen Sykkel with its sandbox channel
    assert demo.returncode == 0, demo.stderr
    worker = subprocess.Popen(
        [sys.executable, "-m", "varde.cli", "worker", "--no-periodic"],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("w"),
    )
    try:
        time.sleep(3)  # let it start and fall asleep
        # Wall-clock time in the workspace's zone, without an offset, to the second.
        due_local = (datetime.now(ZoneInfo("Europe/Oslo")) + timedelta(seconds=6)).replace(
            microsecond=0, tzinfo=None
        )
        scheduled = varde(
            "posts",
            "schedule",
            "--workspace",
            "demo",
            "--channel",
            "Sandkasse",
            "--text",
            TEXT,
            "--at",
            due_local.isoformat(),
            data_dir=tmp_path,
        )
        assert scheduled.returncode == 0, scheduled.stderr
        assert f"{due_local:%Y-%m-%d %H:%M}" in scheduled.stdout
        listing = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listing = varde(
                "posts", "list", "--workspace", "demo", "--status", "published", data_dir=tmp_path
            ).stdout
            if TEXT in listing:
                break
            time.sleep(1)
        assert TEXT in listing, (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(2)  # a second copy, if the engine made one, would arrive by now
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    # At the sandbox: exactly one copy, received no earlier than due and within two seconds.
    check = varde(
        "manage",
        "shell",
        "-c",
        "from varde.sandbox.models import SandboxPost;"
        f"posts = list(SandboxPost.objects.filter(text={TEXT!r}));"
        "print(len(posts), posts[0].received_at.timestamp())",
        data_dir=tmp_path,
    )
    copies, received = check.stdout.strip().splitlines()[-1].split()
    assert copies == "1"
    due = due_local.replace(tzinfo=ZoneInfo("Europe/Oslo")).timestamp()
    lateness = float(received) - due
    assert 0 <= lateness <= 2, lateness
    # The listing shows the channel's state and when it went out, in workspace time.
    line = next(line for line in listing.splitlines() if "Sandkasse" in line and "sent" in line)
    assert "published" in line
    assert f"{due_local:%Y-%m-%d %H:%M}" in line
