"""The SSRF table against every field that takes a host or URL and is fetched over HTTP.

Each field's own client is built the way the product builds it (the connectors for typed
hosts, listening's fetch, the CRM hand-off); its guard gets a name service we control and a
network that records where it was asked to connect. Every host of the table must be refused
before any connection, and a public host that redirects into the table must not lead there.
The SMTP host runs the same table in ``connectors/tests/test_smtp_ssrf.py``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from unittest import mock

import httpcore
import httpx
import pytest

from varde.connectors import outgoing, ssrf
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.errors import ConnectorError
from varde.connectors.http import AddressGuard
from varde.connectors.mastodon.connector import MastodonConnector
from varde.connectors.tests.ssrf_table import UNSAFE_HOSTS
from varde.connectors.webhook.connector import WebhookConnector
from varde.connectors.wordpress.connector import WordPressConnector
from varde.listening.sources import fetch, websocket
from varde.listening.sources.base import SourceError

PUBLIC = "93.184.216.34"
# httpx.InvalidURL: the spelling is not even a URL to httpx (e.g. "0177.0.0.1").
REFUSALS = (
    ssrf.UnsafeURLError,
    httpx.TransportError,
    httpx.InvalidURL,
    ConnectorError,
    SourceError,
)


# The name service as a real one answers: case and a final dot do not matter.
ANSWERS = {host.lower().rstrip("."): answer for host, answer in UNSAFE_HOSTS.items()}


def resolver(host: str, port: int) -> Sequence[str]:
    return ANSWERS.get(host.lower().rstrip(".")) or [PUBLIC]


class RedirectingStream(httpcore.NetworkStream):
    """A public server that answers every request with a redirect to ``location``."""

    def __init__(self, location: str) -> None:
        self.answer = (
            f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
        )

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        answer, self.answer = self.answer, b""
        return answer

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        pass

    def close(self) -> None:
        pass

    def get_extra_info(self, info: str) -> Any:
        return None


class RecordingNetwork(httpcore.NetworkBackend):
    """Records each connection; the public address redirects to ``redirect_to``, others fail."""

    def __init__(self, redirect_to: str = "") -> None:
        self.attempts: list[str] = []
        self.redirect_to = redirect_to

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        self.attempts.append(host)
        if host == PUBLIC and self.redirect_to:
            return RedirectingStream(self.redirect_to)
        msg = "test network: no connection"
        raise httpcore.ConnectError(msg)


def guard_of(client: httpx.Client) -> AddressGuard:
    guard = client._transport._pool._network_backend  # type: ignore[attr-defined]
    assert isinstance(guard, AddressGuard), "this field's client is not guarded"
    return guard


def with_network(client: httpx.Client, network: RecordingNetwork) -> httpx.Client:
    guard = guard_of(client)
    guard._resolver = resolver
    guard._inner = network
    return client


def connector_get(connector_class: type, config: dict[str, str]) -> Callable[..., None]:
    def get(url: str, network: RecordingNetwork) -> None:
        connector = connector_class(config={**config, "allow_private": "false"})
        with_network(connector.client, network).get(url)

    return get


def listening_get(url: str, network: RecordingNetwork) -> None:
    client = with_network(fetch.client_for(allow_private=False), network)
    fetch.fetch(client, url, deadline=time.monotonic() + 10)


def crm_client_get(url: str, network: RecordingNetwork) -> None:
    client = outgoing._client(allow_private=False, resolver=resolver)
    with_network(client, network).post(url, content=b"{}")


def listening_stream(url: str, network: RecordingNetwork) -> None:
    def create_connection(address: tuple[str, int], timeout: float) -> None:
        network.attempts.append(address[0])
        msg = "test network: no connection"
        raise OSError(msg)

    stream_url = url.replace("http://", "wss://", 1)
    with (
        mock.patch.object(websocket.socket, "create_connection", create_connection),
        websocket.open_websocket(
            stream_url,
            allow_private=False,
            deadline=time.monotonic() + 10,
            max_size=1024,
            resolver=resolver,
        ),
    ):
        pass


# Each field that takes a host or URL, with the product's own client for it.
FIELDS: dict[str, Callable[[str, RecordingNetwork], None]] = {
    "Mastodon server (channel)": connector_get(
        MastodonConnector, {"instance": "https://m.example"}
    ),
    "Bluesky PDS (channel)": connector_get(BlueskyConnector, {"service": "https://pds.example"}),
    "WordPress site (channel)": connector_get(WordPressConnector, {"site": "https://blog.example"}),
    "webhook address (channel)": connector_get(WebhookConnector, {"url": "https://hooks.example"}),
    "listening source address": listening_get,
    "CRM address (leads) and notification webhook (connectors/outgoing.py)": crm_client_get,
    "listening stream address (Jetstream, firehose)": listening_stream,
}


def url_for(host: str) -> str:
    return f"http://[{host}]/x" if ":" in host else f"http://{host}/x"


@pytest.mark.parametrize("field", FIELDS, ids=str)
@pytest.mark.parametrize("host", UNSAFE_HOSTS, ids=str)
def test_no_field_reaches_an_unsafe_host(field, host, settings):
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    network = RecordingNetwork()
    with pytest.raises(REFUSALS):
        FIELDS[field](url_for(host), network)
    assert network.attempts == [], f"{field} connected for {host}"


@pytest.mark.parametrize("field", FIELDS, ids=str)
@pytest.mark.parametrize("host", ["127.0.0.1", "169.254.169.254", "::1", "localhost"])
def test_a_redirect_into_the_table_is_not_followed_there(field, host, settings):
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    network = RecordingNetwork(redirect_to=url_for(host))
    with contextlib.suppress(REFUSALS):
        FIELDS[field]("http://public.example/start", network)
    assert network.attempts == [PUBLIC], f"{field} followed a redirect to {host}"
