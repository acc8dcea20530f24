"""The shared contract cases, for the connector that speaks SMTP instead of HTTP.

``test_contract.py`` drives every HTTP connector through one table of answers. The e-mail
newsletter cannot take HTTP answers, so its row lives here: the same cases, each translated
into what an SMTP server really says (RFC 5321 replies), answered by a real SMTP server
(aiosmtpd on 127.0.0.1). Cases with no SMTP counterpart say so below.

| shared case                      | SMTP here                                            |
|----------------------------------|------------------------------------------------------|
| success                          | 250 to MAIL, RCPT, DATA                              |
| 401 expired token                | 535 5.7.8 to AUTH → AuthExpired                      |
| 403 with the network's reason    | 550 5.7.1 to MAIL FROM → Rejected with the reason    |
| the network's own error shape    | 554 5.6.0 to DATA (content refused) → Rejected       |
| 429 with Retry-After             | 421 4.7.0 "rate limit" → RateLimited (no Retry-After)|
| 5xx (server trouble)             | 451 4.3.0 → Transient                                |
| read timeout on publish          | no answer to DATA in time → OutcomeUnknown           |
| connection error                 | nothing listening → Transient                        |
| too-long text before any call    | no text limit: skipped, as for the webhook           |
| malformed JSON, 504, thread      | no counterpart (no JSON, no gateway, no threads)     |
| NotSupported for what it lacks   | same                                                 |
"""

from __future__ import annotations

import smtplib
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from varde.connectors import registry
from varde.connectors.base import Connector
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Credentials, MediaItem, PublishRequest, Recipient
from varde.connectors.errors import (
    AuthExpired,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from varde.connectors.newsletter import smtp as smtp_mail
from varde.connectors.tests.smtpd import PASSWORD, USER, SmtpServer, free_port, smtp_server

__all__ = ["smtp_server"]  # the fixture, used by name

RECIPIENTS = (
    Recipient(
        address="kari@example.test",
        key="s1",
        name="Kari Nordmann",
        unsubscribe_url="https://varde.test/newsletter/unsubscribe/t1/",
    ),
)
REQUEST = PublishRequest(
    text="Hei fra Varde! Blåbærsyltetøy 🫐 https://varde.example/blog",
    idempotency_key="delivery-42",
    recipients=RECIPIENTS,
)


def build(server: SmtpServer, *, password: str = PASSWORD, **config: str) -> Connector:
    connector = registry.get("newsletter")(
        credentials=Credentials(access_token=password, extra={"username": USER}),
        config=server.config(**config),
        sleep=lambda _: None,
    )
    # A short client timeout, so "the server never answered" takes a second, not thirty.
    connector.smtp_factory = lambda settings: smtp_mail.default_factory(  # type: ignore[attr-defined]
        replace(settings, timeout=1.0)
    )
    return connector


def test_the_row_exists() -> None:
    assert registry.get("newsletter").__module__ == "varde.connectors.newsletter.connector"


def test_class_attributes(smtp_server: SmtpServer) -> None:
    connector = build(smtp_server)
    assert connector.key == "newsletter"
    assert connector.label
    assert connector.supports(Capability.TEXT)
    assert isinstance(connector, Connector)


def test_publish_success(smtp_server: SmtpServer) -> None:
    result = build(smtp_server).publish(REQUEST)
    assert result.network_post_id.startswith("<varde.delivery-42.")
    assert result.published_at.tzinfo is not None
    assert len(smtp_server.sink.received) == 1
    assert smtp_server.sink.logins == [USER]


def test_wrong_password_is_auth_expired(smtp_server: SmtpServer) -> None:
    with pytest.raises(AuthExpired) as caught:
        build(smtp_server, password="gammelt").publish(REQUEST)
    assert caught.value.status == 535
    assert not smtp_server.sink.received


def test_refused_sender_is_rejected_with_the_servers_reason(smtp_server: SmtpServer) -> None:
    smtp_server.sink.mail_replies = ["550 5.7.1 Sender address not allowed for this user"]
    with pytest.raises(Rejected) as caught:
        build(smtp_server).publish(REQUEST)
    assert "5.7.1 Sender address not allowed for this user" in caught.value.reason
    assert caught.value.status == 550
    assert caught.value.partial is None


def test_refused_content_is_rejected(smtp_server: SmtpServer) -> None:
    smtp_server.sink.data_replies = ["554 5.6.0 Message content rejected as spam"]
    with pytest.raises(Rejected) as caught:
        build(smtp_server).publish(REQUEST)
    assert "Message content rejected as spam" in caught.value.reason


def test_throttling_is_rate_limited(smtp_server: SmtpServer) -> None:
    smtp_server.sink.mail_replies = ["421 4.7.0 Rate limit exceeded, try again later"]
    with pytest.raises(RateLimited) as caught:
        build(smtp_server).publish(REQUEST)
    assert caught.value.retry_after is None  # SMTP has no Retry-After
    assert caught.value.retryable


def test_temporary_server_trouble_is_transient(smtp_server: SmtpServer) -> None:
    smtp_server.sink.mail_replies = ["451 4.3.0 Local error in processing"]
    with pytest.raises(Transient) as caught:
        build(smtp_server).publish(REQUEST)
    assert caught.value.status == 451
    assert caught.value.retryable
    assert not smtp_server.sink.received


def test_no_answer_to_data_is_outcome_unknown(smtp_server: SmtpServer) -> None:
    smtp_server.sink.data_delay = 2.0
    with pytest.raises(OutcomeUnknown):
        build(smtp_server).publish(REQUEST)


def test_connection_refused_is_transient() -> None:
    nobody = SmtpServer(sink=None, host="127.0.0.1", port=free_port())  # type: ignore[arg-type]
    with pytest.raises(Transient):
        build(nobody).publish(REQUEST)


def test_starttls_missing_is_refused_not_sent_in_clear(smtp_server: SmtpServer) -> None:
    with pytest.raises(Rejected) as caught:
        build(smtp_server, security="starttls").publish(REQUEST)
    assert caught.value.code == "smtp_no_tls"
    assert smtp_server.sink.logins == []


def test_unsupported_capabilities_raise_not_supported(smtp_server: SmtpServer) -> None:
    connector = build(smtp_server)
    calls = {
        Capability.HIDE: lambda: connector.hide("1"),
        Capability.DELETE: lambda: connector.delete("1"),
        Capability.FIND_PUBLISHED: lambda: connector.find_published(
            REQUEST, since=datetime.now(UTC)
        ),
        Capability.OAUTH: lambda: connector.authorize_url(redirect_uri="https://x", state="s"),
        Capability.METRICS: lambda: connector.fetch_metrics(["1"]),
        Capability.MENTIONS: lambda: connector.fetch_mentions(cursor=None),
    }
    for capability, call in calls.items():
        assert not connector.supports(capability)
        with pytest.raises(NotSupported):
            call()


@pytest.mark.parametrize(
    "request_",
    [
        replace(REQUEST, thread=("Del 2",)),
        replace(REQUEST, media=(MediaItem(mime_type="image/png", data=b"png"),)),
    ],
    ids=["thread", "image"],
)
def test_request_that_needs_a_missing_capability(
    smtp_server: SmtpServer, request_: PublishRequest
) -> None:
    with pytest.raises(NotSupported):
        build(smtp_server).publish(request_)
    assert not smtp_server.sink.received


def test_login_checks_the_password(smtp_server: SmtpServer) -> None:
    connector = registry.get("newsletter")(config=smtp_server.config())
    creds = connector.login(identifier=USER, secret=PASSWORD)
    assert creds.access_token == PASSWORD
    assert creds.extra["username"] == USER
    with pytest.raises(AuthExpired):
        connector.login(identifier=USER, secret="feil")


def test_smtp_error_codes_map_to_types() -> None:
    assert isinstance(smtp_mail.reply_error(454, b"4.7.0 TLS not available", what="x"), Transient)
    assert isinstance(
        smtp_mail.reply_error(530, b"5.7.0 Authentication required", what="x"), AuthExpired
    )
    assert isinstance(smtp_mail.reply_error(534, b"5.7.9 Mechanism too weak", what="x"), Rejected)
    assert isinstance(
        smtp_mail.reply_error(452, b"4.5.3 Too many recipients", what="x"), RateLimited
    )
    assert isinstance(
        smtp_mail.reply_error(421, b"4.3.2 System shutting down", what="x"), Transient
    )
    assert type(smtp_mail.reply_error(421, b"4.3.2 System shutting down", what="x")) is Transient
    assert isinstance(smtp_mail.reply_error(552, b"5.3.4 Message too big", what="x"), Rejected)


def test_greeting_refusal_is_mapped() -> None:
    def refusing(settings: smtp_mail.SmtpSettings) -> smtplib.SMTP:
        raise smtplib.SMTPConnectError(554, b"5.7.1 Your IP is on a block list")

    settings = smtp_mail.SmtpSettings(host="x", port=1, security="none", guarded=False)
    with pytest.raises(Rejected) as caught:
        smtp_mail.open_session(settings, refusing)
    assert "block list" in caught.value.reason
