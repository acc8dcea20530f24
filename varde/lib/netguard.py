"""A guard for the test suite: any attempt to reach beyond this machine fails loudly.

``install()`` (called from ``varde.conf.test_settings``) wraps ``socket.socket.connect`` /
``connect_ex`` and ``socket.getaddrinfo``. Connections to loopback addresses (127.0.0.0/8,
::1) and Unix sockets pass, so PostgreSQL, Redis, the browser tests and the local end-to-end
peers work; anything else raises :class:`InternetAccessBlocked`, with the address, instead
of hanging on a timeout or quietly depending on the network. Name lookups are refused too
unless the name is local (``localhost``, ``*.localhost``, this machine's own name) or an IP
literal: a DNS query for ``bsky.social`` is already a trip to the internet.

Tests fake networks with ``httpx.MockTransport`` (see ``varde/connectors/tests/conftest.py``)
or talk to real servers on 127.0.0.1 (``tests/e2e``); neither opens a socket elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_installed = False


class InternetAccessBlockedError(RuntimeError):
    """A test tried to reach an address outside this machine.

    Not an ``OSError`` on purpose: httpx and the connectors turn socket errors into "network
    unreachable, retry later", which would hide the attempt instead of failing the test."""


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_local_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    own = {socket.gethostname().lower()}
    return name in _LOCAL_NAMES or name.endswith(".localhost") or name in own


def _refuse(what: str) -> InternetAccessBlockedError:
    return InternetAccessBlockedError(
        f"Tests must not reach the internet, but one tried to {what}. Fake the network with "
        "httpx.MockTransport or run a local server on 127.0.0.1 (varde/lib/netguard.py)."
    )


def check_address(family: int, address: Any) -> None:
    """Raise unless ``address`` (as given to ``socket.connect``) is on this machine."""
    if family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets, netlink, ...: local by nature.
    host = address[0] if isinstance(address, tuple) else str(address)
    if not _is_loopback(str(host)):
        raise _refuse(f"connect to {host}")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> None:
    check_address(self.family, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    check_address(self.family, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not (_is_local_name(name) or _is_ip_literal(name)):
            raise _refuse(f"look up the name {name!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def install() -> None:
    """Turn the guard on for this process (idempotent)."""
    global _installed  # noqa: PLW0603 - one switch per process
    if _installed:
        return
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _guarded_getaddrinfo
    _installed = True
