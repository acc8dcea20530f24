"""Tasks of the worker itself."""

from __future__ import annotations

import os
import socket

from huey.contrib.djhuey import task


@task()
def worker_echo(token: str) -> dict[str, str]:
    """Answer with the token and who ran it: proves a worker picks up work from the queue."""
    return {"token": token, "worker": f"{socket.gethostname()}:{os.getpid()}"}
