"""A real `varde worker` process takes a task from the queue and reports in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]

ENQUEUE = textwrap.dedent(
    """
    import json, os, sys
    import django
    django.setup()
    from varde.worker.tasks import worker_echo
    from varde.worker.selectors import engine_health
    result = worker_echo(sys.argv[1])
    answer = result.get(blocking=True, timeout=60)
    health = engine_health()
    print(json.dumps({"answer": answer, "queue": health.queue_kind,
                      "alive": health.alive_workers}))
    """
)

QUEUES = [pytest.param("", id="sqlite-queue")]
if os.environ.get("VARDE_TEST_REDIS_URL"):
    QUEUES.append(pytest.param(os.environ["VARDE_TEST_REDIS_URL"], id="redis-queue"))


@pytest.mark.parametrize("redis_url", QUEUES)
def test_worker_runs_a_task_and_beats(tmp_path, redis_url):
    env = {
        **os.environ,
        "VARDE_DATA_DIR": str(tmp_path),
        "VARDE_SECRET_KEY": "worker-test-secret-key-0123456789abcdefgh",
        "DJANGO_SETTINGS_MODULE": "varde.conf.settings",
        "VARDE_REDIS_URL": redis_url,
        "VARDE_QUEUE_NAME": f"varde-test-{uuid.uuid4().hex[:8]}",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "varde.cli", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=120,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "varde.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)  # let the first heartbeat land
        script = tmp_path / "enqueue.py"
        script.write_text(ENQUEUE)
        token = uuid.uuid4().hex
        done = subprocess.run(
            [sys.executable, str(script), token],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )
        import json

        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["answer"]["token"] == token
        assert report["answer"]["worker"].endswith(f":{worker.pid}")
        assert report["queue"] == ("Redis" if redis_url else "SQLite")
        assert report["alive"] == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""
