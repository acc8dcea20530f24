"""Helpers for the source tests: a deadline, fixture files, and a real local HTTP server."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def soon(seconds: float = 10.0) -> float:
    return time.monotonic() + seconds


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class LocalServer:
    """A real HTTP server on 127.0.0.1; ``handler(request_handler)`` answers each request."""

    url: str
    requests: list[dict[str, str]] = field(default_factory=list)


Handler = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture
def local_server() -> Iterator[Callable[[Handler], LocalServer]]:
    servers: list[ThreadingHTTPServer] = []

    def start(handle: Handler) -> LocalServer:
        record: list[dict[str, str]] = []

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                record.append(
                    {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
                )
                handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return LocalServer(url=f"http://127.0.0.1:{server.server_address[1]}", requests=record)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class StreamServer:
    """A real websocket server on 127.0.0.1 that sends ``messages`` to each client, then keeps
    the connection open and quiet (as a live stream with nothing new does)."""

    url: str
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def stream_server() -> Iterator[Callable[[list[str | bytes]], StreamServer]]:
    from websockets.sync.server import ServerConnection, serve

    servers = []

    def start(messages: list[str | bytes]) -> StreamServer:
        paths: list[str] = []

        def handler(connection: ServerConnection) -> None:
            assert connection.request is not None
            paths.append(connection.request.path)
            for message in messages:
                connection.send(message)
            with contextlib.suppress(Exception):
                connection.recv(timeout=30)

        server = serve(handler, "127.0.0.1", 0)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        return StreamServer(url=f"ws://127.0.0.1:{port}", paths=paths)

    yield start
    for server in servers:
        server.shutdown()
