"""The client address: X-Forwarded-For only from the configured number of our own proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from varde.lib.client_address import client_ip, forwarded_ip


def _request(forwarded: str | None = None, remote: str = "10.9.9.9"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_header_is_never_trusted_by_default(settings):
    settings.VARDE_TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.7")) == "10.9.9.9"


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # A client-made entry to the left of what our proxy wrote is ignored.
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        # Fewer entries than proxies: the request skipped the outer one.
        (2, "203.0.113.7", "203.0.113.7"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_entry_our_outermost_proxy_wrote(settings, proxies, header, expected):
    settings.VARDE_TRUSTED_PROXIES = proxies
    assert client_ip(_request(header)) == expected


def test_a_garbage_entry_falls_back_to_the_connection(settings):
    settings.VARDE_TRUSTED_PROXIES = 1
    assert client_ip(_request("not-an-address")) == "10.9.9.9"
    assert client_ip(_request()) == "10.9.9.9"
    assert forwarded_ip("", 1) is None
