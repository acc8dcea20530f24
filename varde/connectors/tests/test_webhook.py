"""Webhook: verifiable HMAC signature, Idempotency-Key, SSRF refusal, pinned connections."""

import json
from datetime import UTC, datetime

import pytest

from varde.connectors.contracts import Credentials, PublishRequest
from varde.connectors.errors import Rejected
from varde.connectors.ssrf import UnsafeURLError, check_url
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.webhook.connector import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookConnector,
    verify_signature,
)

PUBLIC = "93.184.216.34"


def _connector(
    fake: FakeNetwork, url: str, *, resolves_to: str = PUBLIC, **config: str
) -> WebhookConnector:
    connector = WebhookConnector(
        credentials=Credentials(access_token="shared-secret"),
        config={"url": url, **config},
        client=fake.client(),
    )
    connector.resolver = lambda host, port: [resolves_to]  # type: ignore[method-assign]
    return connector


def test_signature_is_verifiable_by_the_receiver(fake: FakeNetwork) -> None:
    fake.on("POST", "/hook", reply(200, load("webhook", "receiver_ok")))
    request = PublishRequest(text="Blåbær 🫐", thread=("Del 2",), idempotency_key="delivery-42")
    result = _connector(fake, "https://hooks.varde.example/hook").publish(request)
    sent = fake.requests[0]
    assert verify_signature(
        secret="shared-secret",
        body=sent.content,
        timestamp=sent.headers[TIMESTAMP_HEADER],
        signature=sent.headers[SIGNATURE_HEADER],
        now=datetime.now(UTC),
    )
    assert not verify_signature(
        secret="wrong",
        body=sent.content,
        timestamp=sent.headers[TIMESTAMP_HEADER],
        signature=sent.headers[SIGNATURE_HEADER],
        now=datetime.now(UTC),
    )
    assert not verify_signature(
        secret="shared-secret",
        body=sent.content + b" ",
        timestamp=sent.headers[TIMESTAMP_HEADER],
        signature=sent.headers[SIGNATURE_HEADER],
        now=datetime.now(UTC),
    )
    assert sent.headers["Idempotency-Key"] == "delivery-42"
    payload = json.loads(sent.content)
    assert payload["text"] == "Blåbær 🫐"
    assert payload["thread"] == ["Del 2"]
    assert result.network_post_id == "intranet-991"


def test_stale_signatures_are_refused() -> None:
    assert not verify_signature(
        secret="s", body=b"{}", timestamp="1000", signature="sha256=x", now=datetime.now(UTC)
    )


def test_connection_is_pinned_to_the_checked_address(fake: FakeNetwork) -> None:
    fake.on("POST", "/hook", reply(204))
    _connector(fake, "https://hooks.varde.example/hook").publish(
        PublishRequest(text="x", idempotency_key="k")
    )
    sent = fake.requests[0]
    assert sent.url.host == PUBLIC
    assert sent.headers["Host"] == "hooks.varde.example"
    assert sent.extensions["sni_hostname"] == "hooks.varde.example"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost./hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "file:///etc/passwd",
        "gopher://example.com/",
        "ftp://example.com/",
        "https://user:pass@example.com/hook",
        "not a url",
    ],
)
def test_ssrf_refusals(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(url, resolver=lambda host, port: ["127.0.0.1"])


def test_a_name_resolving_to_a_private_address_is_refused(fake: FakeNetwork) -> None:
    connector = _connector(fake, "https://intern.example/hook", resolves_to="10.1.2.3")
    with pytest.raises(Rejected, match="non-public address") as caught:
        connector.publish(PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.code == "unsafe_url"
    assert not fake.requests


def test_any_private_address_among_several_is_refused() -> None:
    with pytest.raises(UnsafeURLError):
        check_url("https://mixed.example/", resolver=lambda host, port: [PUBLIC, "169.254.169.254"])


def test_allow_private_is_explicit(fake: FakeNetwork) -> None:
    fake.on("POST", "/hook", reply(200, {}))
    connector = _connector(fake, "http://127.0.0.1:8025/hook", allow_private="true")
    connector.publish(PublishRequest(text="x", idempotency_key="k"))
    assert fake.requests[0].url.port == 8025
    with pytest.raises(UnsafeURLError):
        check_url("file:///etc/passwd", allow_private=True)


def test_redirects_are_not_followed(fake: FakeNetwork) -> None:
    fake.on("POST", "/hook", reply(302, None, headers={"Location": "http://169.254.169.254/"}))
    with pytest.raises(Rejected, match="redirect"):
        _connector(fake, "https://hooks.varde.example/hook").publish(
            PublishRequest(text="x", idempotency_key="k")
        )
    assert len(fake.requests) == 1


def test_ipv6_target_is_pinned_with_brackets() -> None:
    target = check_url(
        "https://v6.example:8443/x?y=1", resolver=lambda host, port: ["2606:4700::1111"]
    )
    assert target.pinned_url == "https://[2606:4700::1111]:8443/x?y=1"
    assert target.host_header == "v6.example:8443"
