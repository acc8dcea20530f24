"""Shared helpers: fixtures from disk and a tiny fake network behind httpx.MockTransport.

No test here opens a socket: every connector gets a client whose transport is the fake.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).parent / "fixtures"

Responder = Callable[[httpx.Request], httpx.Response]


def load(network: str, name: str) -> Any:
    return json.loads((FIXTURES / network / f"{name}.json").read_text(encoding="utf-8"))


def reply(
    status: int = 200,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Responder:
    """A responder answering ``status`` with JSON ``body`` (or ``raw`` bytes)."""

    def respond(request: httpx.Request) -> httpx.Response:
        if raw is not None:
            return httpx.Response(status, content=raw, headers=headers, request=request)
        if body is None:
            return httpx.Response(status, headers=headers, request=request)
        return httpx.Response(status, json=body, headers=headers, request=request)

    return respond


def fail(exception: type[httpx.TransportError]) -> Responder:
    def respond(request: httpx.Request) -> httpx.Response:
        raise exception("simulated", request=request)

    return respond


class FakeNetwork:
    """Routes by method and exact URL path; each route answers its responders in turn and
    repeats the last one. Every request is recorded for assertions."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Responder]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, *responders: Responder) -> "FakeNetwork":
        self.routes[(method.upper(), path)] = list(responders)
        return self

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            return httpx.Response(
                404, json={"error": f"no fake route for {request.method} {request.url.path}"}
            )
        responder = queue.pop(0) if len(queue) > 1 else queue[0]
        return responder(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle), timeout=5.0)

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    def json_sent(self, method: str, path: str, index: int = 0) -> Any:
        return json.loads(self.calls(method, path)[index].content)


@pytest.fixture
def fake() -> FakeNetwork:
    return FakeNetwork()
