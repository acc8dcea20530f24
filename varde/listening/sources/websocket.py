"""Opening a websocket to a host a person typed (Jetstream, a PDS or relay firehose), with the
same guard as every HTTP request (``fetch``): Varde resolves the host itself, refuses any
non-public address unless the installation allows private ones, opens the TCP connection to
exactly the address it checked, and hands that socket to ``websockets`` (TLS is still checked
against the host name). No proxy from the environment; bounded message size; every wait
bounded by the caller's deadline.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from varde.connectors import ssrf
from varde.connectors.http import USER_AGENT
from varde.listening.sources.base import SourceError
from varde.listening.sources.fetch import CONNECT_TIMEOUT, error_for_status, remaining

_WS_SCHEMES = {"ws": "ws", "wss": "wss", "http": "ws", "https": "wss"}
_PORTS = {"ws": 80, "wss": 443}


def websocket_url(base: str, path: str, params: Mapping[str, str | list[str]]) -> str:
    """``base`` (ws, wss, http or https; a path on it is replaced by ``path`` unless ``path``
    is empty) with ``params``, as a ws(s) URL."""
    try:
        parts = urlsplit(base.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise SourceError("bad_config", f"not a valid URL: {base!r}") from exc
    scheme = _WS_SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise SourceError("bad_config", "the address must start with wss://, ws:// or https://")
    if parts.username or parts.password:
        raise SourceError("bad_config", "addresses with a user name or password are refused")
    query = urlencode(params, doseq=True)
    return urlunsplit((scheme, parts.netloc, path or parts.path, query, ""))


@contextmanager
def open_websocket(
    url: str,
    *,
    allow_private: bool,
    deadline: float,
    max_size: int,
    resolver: ssrf.Resolver = ssrf.system_resolver,
) -> Iterator[ClientConnection]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or _PORTS[parts.scheme]
    timeout = min(CONNECT_TIMEOUT, remaining(deadline))
    sock = _connect_checked(
        host, port, allow_private=allow_private, resolver=resolver, timeout=timeout
    )
    stack = ExitStack()
    stack.callback(sock.close)
    try:
        connection = stack.enter_context(
            connect(
                url,
                sock=sock,
                server_hostname=host if parts.scheme == "wss" else None,
                proxy=None,
                open_timeout=min(10.0, remaining(deadline)),
                close_timeout=1.0,
                max_size=max_size,
                compression=None,
                user_agent_header=USER_AGENT,
            )
        )
    except InvalidStatus as exc:
        stack.close()
        answer = exc.response
        raise error_for_status(
            answer.status_code, _headers(answer.headers), bytes(answer.body or b"")
        ) from exc
    except (InvalidHandshake, OSError, TimeoutError) as exc:
        stack.close()
        code = "timeout" if isinstance(exc, TimeoutError) else "unreachable"
        raise SourceError(code, f"{type(exc).__name__}: {exc}") from exc
    with stack:
        yield connection


def receive(connection: ClientConnection, *, until: float) -> str | bytes | None:
    """The next message, or None when none came before ``until`` or the server closed the
    stream normally. A stream closed with an error raises ``unreachable``."""
    left = until - time.monotonic()
    if left <= 0:
        return None
    try:
        return connection.recv(timeout=left)
    except TimeoutError:
        return None
    except ConnectionClosed as exc:
        if exc.rcvd is not None and exc.rcvd.code not in {1000, 1001}:
            raise SourceError("unreachable", f"the stream closed: {exc}") from exc
        return None


def _connect_checked(
    host: str, port: int, *, allow_private: bool, resolver: ssrf.Resolver, timeout: float
) -> socket.socket:
    try:
        if allow_private:
            addresses = [a.split("%", 1)[0] for a in resolver(host, port)]
        else:
            addresses = ssrf.public_addresses(host, port, resolver=resolver)
    except ssrf.UnresolvedHostError as exc:
        raise SourceError("unreachable", str(exc)) from exc
    except ssrf.UnsafeURLError as exc:
        raise SourceError("unsafe_url", str(exc)) from exc
    except OSError as exc:
        raise SourceError("unreachable", f"{host} could not be resolved") from exc
    failure: OSError = OSError(f"{host} could not be reached")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=timeout)
        except OSError as exc:
            failure = exc
    raise SourceError("unreachable", f"{type(failure).__name__}: {failure}")


def _headers(headers: Headers) -> httpx.Headers:
    return httpx.Headers(list(headers.raw_items()))
