"""`varde run`: everything a single machine needs, in one command.

Prepares the database, creates the demo workspace when the database is empty, then starts the
web server (gunicorn, never Django's development server) and one worker as child processes, and
stops both when either stops or when asked to.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management import call_command


def prepare() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def database_is_empty() -> bool:
    from varde.accounts.selectors import any_user_exists

    return not any_user_exists()


def run_all(*, host: str, port: int, web_workers: int) -> int:
    prepare()
    from varde.demo import demo_create, demo_login_lines

    login_lines = demo_create().summary() if database_is_empty() else demo_login_lines()

    web = subprocess.Popen(
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
        ]
    )
    worker = subprocess.Popen([sys.executable, "-m", "varde.cli", "worker"])
    children = [web, worker]

    print(
        f"\nVarde is running on http://{host}:{port}/\n{login_lines}\n"
        f"Data folder: {settings.DATA_DIR}\nStop with Ctrl+C.\n",
        flush=True,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [child.returncode for child in children if child.returncode not in (0, -15, None)]
    return 1 if failed else 0
