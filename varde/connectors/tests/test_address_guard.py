"""The SSRF guard on every connection (http.AddressGuard) for connectors that call a host a
person typed: a real httpx client, a resolver we control, and a network backend that records
where it was asked to connect instead of connecting."""

from collections.abc import Iterable, Sequence
from typing import Any

import httpcore
import httpx
import pytest

from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.errors import Rejected, Transient
from varde.connectors.http import AddressGuard, build_client, guarded_transport, send
from varde.connectors.mastodon.connector import MastodonConnector
from varde.connectors.meta.facebook import FacebookConnector
from varde.connectors.webhook.connector import WebhookConnector
from varde.connectors.wordpress.connector import WordPressConnector

PUBLIC = "93.184.216.34"


class RecordingBackend(httpcore.NetworkBackend):
    """Records each connection attempt and refuses it, so nothing leaves the machine."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        self.attempts.append((host, port))
        msg = "test backend: no connection"
        raise httpcore.ConnectError(msg)


class Answers:
    """A resolver that gives the next answer each time it is asked."""

    def __init__(self, *answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        return self.answers.pop(0)


def _get(resolver: Answers, backend: RecordingBackend) -> httpx.Response:
    client = build_client(transport=guarded_transport(resolver=resolver, inner=backend))
    return send(
        client,
        "GET",
        "https://mastodon.example/api/v1/instance",
        side_effect=False,
        read_error=lambda response: None,  # type: ignore[arg-type,return-value]
        network="Mastodon",
    )


def test_a_public_host_is_reached_at_the_checked_address():
    backend = RecordingBackend()
    resolver = Answers([PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"])
    with pytest.raises(Transient):  # the recording backend never connects
        _get(resolver, backend)
    assert resolver.asked == ["mastodon.example"]
    # The connection goes to the address that was checked, not to a second DNS answer.
    assert backend.attempts == [(PUBLIC, 443), ("2606:2800:220:1:248:1893:25c8:1946", 443)]


@pytest.mark.parametrize(
    "answer", [["10.0.0.5"], ["127.0.0.1"], ["169.254.169.254"], [PUBLIC, "192.168.1.1"]]
)
def test_a_host_that_resolves_to_a_private_address_is_refused(answer):
    backend = RecordingBackend()
    with pytest.raises(Rejected) as refused:
        _get(Answers(answer), backend)
    assert refused.value.code == "unsafe_url"
    assert "non-public address" in refused.value.reason
    assert backend.attempts == []


def test_dns_that_changes_after_connecting_is_caught_on_the_next_request():
    backend = RecordingBackend()
    resolver = Answers([PUBLIC], ["10.1.2.3"])
    client = build_client(transport=guarded_transport(resolver=resolver, inner=backend))
    kwargs: dict[str, Any] = {
        "side_effect": False,
        "read_error": lambda response: None,
        "network": "WordPress",
    }
    with pytest.raises(Transient):
        send(client, "GET", "https://blog.example/wp-json/", **kwargs)
    with pytest.raises(Rejected):
        send(client, "GET", "https://blog.example/wp-json/", **kwargs)
    assert backend.attempts == [(PUBLIC, 443)]


def test_a_host_that_does_not_resolve_is_a_passing_problem():
    def no_answer(host: str, port: int) -> Sequence[str]:
        raise OSError("Name or service not known")

    backend = RecordingBackend()
    client = build_client(transport=guarded_transport(resolver=no_answer, inner=backend))
    with pytest.raises(Transient):
        send(
            client,
            "GET",
            "https://pds.example/xrpc/x",
            side_effect=False,
            read_error=lambda response: None,  # type: ignore[arg-type,return-value]
            network="Bluesky",
        )


def _backend_of(client: httpx.Client) -> object:
    transport = client._transport  # the transport the client was built with
    pool = getattr(transport, "_pool", None)
    return getattr(pool, "_network_backend", None)


@pytest.mark.parametrize(
    ("connector_class", "config"),
    [
        (MastodonConnector, {"instance": "https://mastodon.example"}),
        (BlueskyConnector, {"service": "https://pds.example"}),
        (WordPressConnector, {"site": "https://blog.example"}),
        # The webhook also pins each request itself (ssrf.check_url + pinned URL).
        (WebhookConnector, {"url": "https://hooks.example"}),
    ],
)
def test_connectors_for_typed_hosts_guard_every_connection(connector_class, config):
    guarded = connector_class(config={**config, "allow_private": "false"})
    assert isinstance(_backend_of(guarded.client), AddressGuard)
    allowed = connector_class(config={**config, "allow_private": "true"})
    assert not isinstance(_backend_of(allowed.client), AddressGuard)
    # Built without the channels app (the end-to-end tests against local servers).
    assert not isinstance(_backend_of(connector_class(config=config).client), AddressGuard)


def test_connectors_for_fixed_hosts_keep_the_plain_client():
    # Facebook and friends call one known API host; they may go through a proxy.
    facebook = FacebookConnector(config={"allow_private": "false"})
    assert not isinstance(_backend_of(facebook.client), AddressGuard)
    assert facebook.client.trust_env is True


def test_the_guard_really_connects_to_the_checked_address(monkeypatch):
    """Through real sockets: the request reaches the server at the checked address and still
    names the host it was meant for (a local server stands in for a public one)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from varde.connectors import ssrf

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    checked: list[str] = []

    def pretend_public(host: str, port: int, *, resolver: object) -> list[str]:
        checked.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(ssrf, "public_addresses", pretend_public)
    try:
        client = build_client(transport=guarded_transport())
        response = send(
            client,
            "GET",
            f"http://wordpress.example:{port}/wp-json/",
            side_effect=False,
            read_error=lambda response: None,  # type: ignore[arg-type,return-value]
            network="WordPress",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    assert checked == ["wordpress.example"]
    assert seen == [f"wordpress.example:{port}"]
