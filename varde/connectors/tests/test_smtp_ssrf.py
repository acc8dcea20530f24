"""The newsletter's SMTP host is a person's input: the SSRF table, and one neutral message.

Issue 15, item 2: any signed-in user could make the server connect to 127.0.0.1,
169.254.169.254 or any port, and the error text told open ports ("Connection unexpectedly
closed") from closed ones ("Connection refused").
"""

from __future__ import annotations

import smtplib
import socket
import threading
from collections.abc import Iterator, Sequence

import pytest

from varde.connectors import registry
from varde.connectors.errors import ConnectorError, Rejected, Transient
from varde.connectors.newsletter import smtp as smtp_mail
from varde.connectors.tests.smtpd import free_port
from varde.connectors.tests.ssrf_table import UNSAFE_HOSTS


def _resolver(host: str, port: int) -> Sequence[str]:
    return UNSAFE_HOSTS.get(host) or ["93.184.216.34"]


def _guarded(host: str, port: int = 25):
    connector = registry.get("newsletter")(
        config={
            "host": host,
            "port": str(port),
            "security": "none",
            "from_address": "nyheter@example.no",
            "allow_private": "false",
        }
    )
    connector.resolver = _resolver  # type: ignore[attr-defined]
    called: list[smtp_mail.SmtpSettings] = []

    def factory(settings: smtp_mail.SmtpSettings) -> smtplib.SMTP:
        called.append(settings)
        raise ConnectionRefusedError(111, "Connection refused")

    connector.smtp_factory = factory  # type: ignore[attr-defined]
    return connector, called


@pytest.mark.parametrize("host", sorted(UNSAFE_HOSTS))
def test_a_host_inside_the_servers_network_is_refused_before_connecting(host: str) -> None:
    connector, called = _guarded(host)
    with pytest.raises(Rejected) as caught:
        connector.login(identifier="u", secret="p")
    assert caught.value.code == "smtp_private_address"
    assert not called


def test_without_allow_private_the_guard_is_on() -> None:
    connector = registry.get("newsletter")(config={"host": "127.0.0.1", "from_address": "a@b.no"})
    assert connector.smtp_settings(username="", password="").guarded


def test_a_public_host_is_connected_at_the_checked_address() -> None:
    connector, called = _guarded("smtp.example.no", 587)
    with pytest.raises(Transient):
        connector.login(identifier="u", secret="p")
    assert called[0].address == "93.184.216.34"
    assert called[0].host == "smtp.example.no"  # TLS verifies the name, not the address


# -- open, closed and not-SMTP ports read the same ------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, int]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    yield server, int(server.getsockname()[1])
    server.close()


def _serve_once(server: socket.socket, reply: bytes) -> None:
    def run() -> None:
        conn, _ = server.accept()
        if reply:
            conn.sendall(reply)
        conn.close()

    threading.Thread(target=run, daemon=True).start()


def _neutral_text(port: int) -> tuple[type[ConnectorError], str]:
    settings = smtp_mail.SmtpSettings(
        host="127.0.0.1", port=port, security="none", timeout=2.0, guarded=False
    )
    with pytest.raises(ConnectorError) as caught:
        smtp_mail.open_session(settings)
    return type(caught.value), str(caught.value).replace(f":{port}", ":PORT")


def test_open_closed_and_foreign_ports_give_one_neutral_message(listener) -> None:
    server, port = listener
    closed = _neutral_text(free_port())
    _serve_once(server, b"")  # accepts, then hangs up: "Connection unexpectedly closed"
    hung_up = _neutral_text(port)
    _serve_once(server, b"SSH-2.0-OpenSSH_9.6\r\n")  # another service's banner
    foreign = _neutral_text(port)
    assert closed == hung_up == foreign
    kind, text = closed
    assert kind is Transient
    assert "refused" not in text.lower()
    assert "closed" not in text.lower()
