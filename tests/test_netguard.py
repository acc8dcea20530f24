"""The test settings' internet guard (varde/lib/netguard.py): loopback works, the rest fails."""

import socket

import httpx
import pytest

from varde.lib.netguard import InternetAccessBlockedError


def test_the_guard_is_on_in_the_test_settings():
    # TEST-NET-3 (203.0.113.0/24) is never routed: without the guard this would time out.
    with (
        socket.socket() as sock,
        pytest.raises(InternetAccessBlockedError, match=r"203\.0\.113\.7"),
    ):
        sock.connect(("203.0.113.7", 443))


def test_connect_ex_and_ipv6_are_guarded_too():
    with socket.socket() as sock, pytest.raises(InternetAccessBlockedError):
        sock.connect_ex(("198.51.100.1", 80))
    with (
        socket.socket(socket.AF_INET6) as sock,
        pytest.raises(InternetAccessBlockedError, match=r"2001:db8::1"),
    ):
        sock.connect(("2001:db8::1", 443, 0, 0))


def test_name_lookups_beyond_this_machine_are_refused():
    with pytest.raises(InternetAccessBlockedError, match=r"bsky\.social"):
        socket.getaddrinfo("bsky.social", 443)


def test_an_http_client_fails_loudly_instead_of_reaching_out():
    with pytest.raises(InternetAccessBlockedError):
        httpx.get("https://example.com/", timeout=2)


def test_loopback_connections_still_work():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=2):
            accepted, _ = server.accept()
            accepted.close()
