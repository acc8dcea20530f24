"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port, with AUTH.

It speaks real SMTP over a real socket, so the connector is tested through smtplib exactly
as in production. Its answers can be programmed (a reply per recipient, for MAIL FROM, for
DATA, a delay), and it keeps every accepted message.

AUTH over a plain connection needs ``auth_require_tls=False``: acceptable only here, on the
loopback interface, in tests. Production servers get STARTTLS or SSL (the connector refuses
a server that does not offer STARTTLS when it was told to use it).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER = "nyhetsbrev@varde.test"
PASSWORD = "hemmelig-passord-42"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class MailSink:
    """The server's behaviour and memory. Replies are full SMTP reply lines."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    mail_replies: list[str] = field(default_factory=list)  # answered in turn, then 250
    data_replies: list[str] = field(default_factory=list)
    data_delay: float = 0.0
    logins: list[str] = field(default_factory=list)

    async def handle_MAIL(  # noqa: N802  (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        if self.data_replies:
            reply = self.data_replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 2.0.0 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        login = data.login.decode() if isinstance(data.login, bytes) else str(data.login)
        password = data.password.decode() if isinstance(data.password, bytes) else data.password
        self.logins.append(login)
        # handled=False: a wrong password gets "535", not silence (see LOCAL-PEERS.md).
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    sink: MailSink
    host: str
    port: int

    def config(self, **overrides: str) -> dict[str, str]:
        values = {
            "host": self.host,
            "port": str(self.port),
            "security": "none",
            "from_address": "nyheter@bryggensykkel.test",
            "from_name": "Bryggen Sykkel",
            "rate_per_minute": "0",
            "allow_private": "true",  # the test server listens on 127.0.0.1
        }
        values.update(overrides)
        return values


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    sink = MailSink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=free_port(),
        auth_require_tls=False,
        authenticator=sink.authenticate,
        enable_SMTPUTF8=True,
    )
    controller.start()
    try:
        yield SmtpServer(sink=sink, host="127.0.0.1", port=controller.port)
    finally:
        controller.stop()
