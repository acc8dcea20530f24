"""Registers the publisher loop with `varde worker` (see varde.worker.loops)."""

from __future__ import annotations

import threading

from varde.publishing.loop import run_publisher
from varde.worker.loops import register_loop


@register_loop("publisher")
def publisher(stop: threading.Event) -> None:
    run_publisher(stop)
