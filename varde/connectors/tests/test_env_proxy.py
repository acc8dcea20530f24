"""A proxy named in the environment (HTTP(S)_PROXY, ALL_PROXY) must not carry requests to
hosts a person typed: the proxy would resolve the name itself, and the SSRF guard would only
ever see the proxy. A local socket stands in for the proxy and counts who reaches it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Sequence

import httpx
import pytest

from varde.connectors.contracts import Credentials, PublishRequest
from varde.connectors.errors import Rejected, Transient
from varde.connectors.http import build_client, guarded_client, send
from varde.connectors.mastodon.connector import MastodonConnector
from varde.connectors.ssrf import UnsafeURLError
from varde.connectors.tests.test_address_guard import PUBLIC, Answers, RecordingBackend
from varde.connectors.webhook.connector import WebhookConnector

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


class ProxyStandIn:
    """Accepts connections on a loopback port, keeps the first bytes of each, and hangs up."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1.0)
                try:
                    self.received.append(connection.recv(1024))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def env_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProxyStandIn]:
    proxy = ProxyStandIn()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield proxy
    proxy.close()


def _get(client: httpx.Client, url: str) -> httpx.Response:
    return send(
        client,
        "GET",
        url,
        side_effect=False,
        read_error=lambda response: None,  # type: ignore[arg-type,return-value]
        network="Mastodon",
    )


def test_the_stand_in_sees_a_client_that_trusts_the_environment(env_proxy):
    # The control: a plain client (the fixed network APIs) does go through the proxy, so the
    # tests below would notice if a guarded client did too.
    with pytest.raises(httpx.HTTPError):
        build_client(timeout=httpx.Timeout(2.0)).get("https://api.example/v1/")
    assert env_proxy.received
    assert env_proxy.received[0].startswith(b"CONNECT api.example:443")


@pytest.mark.parametrize("answer", [["10.0.0.5"], ["127.0.0.1"], ["169.254.169.254"]])
def test_a_private_target_is_refused_and_the_proxy_is_never_asked(env_proxy, answer):
    backend = RecordingBackend()
    client = guarded_client(resolver=Answers(answer), inner=backend)
    with pytest.raises(Rejected) as refused:
        _get(client, "https://mastodon.example/api/v1/instance")
    assert refused.value.code == "unsafe_url"
    assert backend.attempts == []
    assert env_proxy.received == []


def test_a_public_target_is_reached_directly_at_the_checked_address(env_proxy):
    backend = RecordingBackend()
    client = guarded_client(resolver=Answers([PUBLIC]), inner=backend)
    with pytest.raises(Transient):  # the recording backend connects nowhere
        _get(client, "https://mastodon.example/api/v1/instance")
    assert backend.attempts == [(PUBLIC, 443)]
    assert env_proxy.received == []


def test_a_host_the_guard_cannot_resolve_is_not_handed_to_the_proxy(env_proxy):
    # Only the proxy's DNS might know an intranet name; Varde does not ask it to look.
    def no_answer(host: str, port: int) -> Sequence[str]:
        raise OSError("Name or service not known")

    backend = RecordingBackend()
    with pytest.raises(Transient):
        _get(guarded_client(resolver=no_answer, inner=backend), "https://intranet.corp/api")
    assert backend.attempts == []
    assert env_proxy.received == []


def test_a_connector_for_a_typed_host_ignores_the_environment(env_proxy):
    connector = MastodonConnector(config={"instance": "https://10.0.0.5", "allow_private": "false"})
    assert connector.client.trust_env is False
    with pytest.raises(UnsafeURLError):
        connector.client.get("https://10.0.0.5/api/v1/instance")
    assert env_proxy.received == []


def test_a_webhook_to_a_private_address_is_refused_with_a_proxy_set(env_proxy):
    connector = WebhookConnector(
        credentials=Credentials(access_token="s" * 32),
        config={"url": "https://hooks.example/in", "allow_private": "false"},
    )
    connector.resolver = Answers(["192.168.1.10"])  # type: ignore[assignment]
    assert connector.client.trust_env is False
    with pytest.raises(Rejected) as refused:
        connector.publish(PublishRequest(text="Hei", idempotency_key="k"))
    assert refused.value.code == "unsafe_url"
    assert env_proxy.received == []


def test_a_webhook_to_a_public_address_goes_direct_not_through_the_proxy(env_proxy, monkeypatch):
    import httpcore

    # Every connection the connector's own client opens is recorded instead of made.
    monkeypatch.setattr(httpcore, "SyncBackend", RecordingBackend)
    connector = WebhookConnector(
        credentials=Credentials(access_token="s" * 32),
        config={"url": "https://hooks.example/in", "allow_private": "false"},
    )
    connector.resolver = Answers([PUBLIC])  # type: ignore[assignment]
    with pytest.raises(Transient):
        connector.publish(PublishRequest(text="Hei", idempotency_key="k"))
    guard = connector.client._transport._pool._network_backend  # type: ignore[attr-defined]
    assert guard._inner.attempts == [(PUBLIC, 443)]
    assert env_proxy.received == []
