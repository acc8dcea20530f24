"""Run only the publisher loop, in this process, until SIGTERM or SIGINT.

``python -m varde.publishing.loop_process`` is what the chaos test and the benchmark start
several of; `varde worker` runs the same loop beside the task consumer.
"""

from __future__ import annotations

import os
import signal
import threading


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.conf.settings")
    import django

    django.setup()
    from varde.publishing.loop import run_publisher

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_publisher(stop)


if __name__ == "__main__":
    main()
