"""What only the e-mail newsletter does: MIME, unsubscribe headers, per-recipient outcomes."""

from __future__ import annotations

import pytest

from varde.connectors import registry
from varde.connectors.contracts import Credentials, PublishRequest, Recipient
from varde.connectors.errors import Rejected
from varde.connectors.newsletter.mime import message_id, subject_of, text_to_html
from varde.connectors.tests.smtpd import PASSWORD, USER, SmtpServer, smtp_server

__all__ = ["smtp_server"]


def people(*names: str) -> tuple[Recipient, ...]:
    return tuple(
        Recipient(
            address=f"{name}@example.test",
            key=f"sub{n}",
            name=name.title(),
            unsubscribe_url=f"https://varde.test/newsletter/unsubscribe/tok-{name}/",
        )
        for n, name in enumerate(names)
    )


def connector(server: SmtpServer, sleeps: list[float] | None = None, **config: str):
    return registry.get("newsletter")(
        credentials=Credentials(access_token=PASSWORD, extra={"username": USER}),
        config=server.config(**config),
        sleep=(sleeps.append if sleeps is not None else lambda _: None),
    )


TEXT = 'Vårkampanje <b>nå</b> & "tilbud"\n\nLes mer: https://bryggensykkel.test/vår?a=1&b=2'


def test_each_subscriber_gets_one_multipart_message_with_headers(smtp_server):
    request = PublishRequest(
        text=TEXT, idempotency_key="abc123", recipients=people("kari", "ola"), language="nb"
    )
    connector(smtp_server).publish(request)
    assert [m.rcpt_tos for m in smtp_server.sink.received] == [
        ["kari@example.test"],
        ["ola@example.test"],
    ]
    message = smtp_server.sink.to("kari@example.test")[0].message
    assert message["Subject"] == 'Vårkampanje <b>nå</b> & "tilbud"'
    assert message["To"] == "Kari <kari@example.test>"
    assert message["From"] == "Bryggen Sykkel <nyheter@bryggensykkel.test>"
    assert message["Message-ID"] == "<varde.abc123.sub0@bryggensykkel.test>"
    assert message["List-Unsubscribe"] == (
        "<https://varde.test/newsletter/unsubscribe/tok-kari/>, "
        "<mailto:nyheter@bryggensykkel.test?subject=unsubscribe%20kari%40example.test>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    markup = message.get_body(("html",)).get_content()
    assert "https://varde.test/newsletter/unsubscribe/tok-kari/" in text
    assert "Meld deg av" in text  # the label in the language of the request
    assert "&lt;b&gt;nå&lt;/b&gt; &amp; &quot;tilbud&quot;" in markup
    assert "<b>" not in markup
    assert '<a href="https://bryggensykkel.test/vår?a=1&amp;b=2">' in markup
    assert '<a href="https://varde.test/newsletter/unsubscribe/tok-kari/">' in markup
    # Ola's message carries Ola's link, never Kari's.
    ola = smtp_server.sink.to("ola@example.test")[0].raw
    assert b"tok-kari" not in ola


def test_no_one_click_header_without_https(smtp_server):
    recipient = Recipient(
        address="a@example.test", key="k", unsubscribe_url="http://localhost/u/t/"
    )
    request = PublishRequest(text="Hei", idempotency_key="k1", recipients=(recipient,))
    connector(smtp_server).publish(request)
    message = smtp_server.sink.received[0].message
    assert "List-Unsubscribe-Post" not in message
    assert message["List-Unsubscribe"].startswith("<http://localhost/u/t/>")


def test_a_refused_address_does_not_stop_the_others(smtp_server):
    smtp_server.sink.rcpt_replies["ola@example.test"] = "550 5.1.1 No such user here"
    request = PublishRequest(
        text="Hei", idempotency_key="k2", recipients=people("kari", "ola", "per")
    )
    with pytest.raises(Rejected) as caught:
        connector(smtp_server).publish(request)
    # Published for Kari and Per: the engine records it as published, with the note.
    assert caught.value.partial is not None
    assert "Sent to 2 of 3" in caught.value.reason
    assert "No such user here" in caught.value.reason
    assert len(smtp_server.sink.received) == 2


def test_every_address_refused_is_rejected_without_partial(smtp_server):
    smtp_server.sink.rcpt_replies["kari@example.test"] = "550 5.1.1 No such user"
    request = PublishRequest(text="Hei", idempotency_key="k3", recipients=people("kari"))
    with pytest.raises(Rejected) as caught:
        connector(smtp_server).publish(request)
    assert caught.value.partial is None


def test_greylisted_address_is_tried_again_at_the_end(smtp_server):
    smtp_server.sink.rcpt_replies["kari@example.test"] = "450 4.2.0 Greylisted, come back later"
    request = PublishRequest(text="Hei", idempotency_key="k4", recipients=people("kari", "ola"))
    with pytest.raises(Rejected) as caught:
        connector(smtp_server).publish(request)
    assert "Greylisted" in caught.value.reason
    assert caught.value.partial is not None


def test_session_failure_midway_reconnects_and_never_resends(smtp_server):
    # The second message's MAIL FROM gets "421 closing": reconnect, carry on with the rest.
    smtp_server.sink.mail_replies = []
    request = PublishRequest(
        text="Hei", idempotency_key="k5", recipients=people("a", "b", "c", "d")
    )
    calls = {"n": 0}
    original = smtp_server.sink.handle_MAIL

    async def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            return "421 4.3.2 Service shutting down, closing channel"
        return await original(*args, **kwargs)

    smtp_server.sink.handle_MAIL = flaky
    connector(smtp_server).publish(request)
    got = sorted(r for m in smtp_server.sink.received for r in m.rcpt_tos)
    assert got == ["a@example.test", "b@example.test", "c@example.test", "d@example.test"]


def test_batches_and_rate(smtp_server):
    sleeps: list[float] = []
    request = PublishRequest(
        text="Hei", idempotency_key="k6", recipients=people("a", "b", "c", "d", "e")
    )
    sender = connector(smtp_server, sleeps, batch_size="2", rate_per_minute="600")
    sender.monotonic = lambda: 0.0  # a frozen clock: each message waits the full interval
    sender.publish(request)
    assert len(smtp_server.sink.received) == 5
    assert smtp_server.sink.logins == [USER, USER, USER]  # 2 + 2 + 1 per connection
    assert sleeps == [0.1, 0.1, 0.1, 0.1]  # 600 a minute: one every 0.1 s


def test_duplicate_addresses_get_one_message(smtp_server):
    twice = (
        *people("kari"),
        Recipient(address="KARI@example.test", key="x", unsubscribe_url="https://v.test/u/x/"),
    )
    connector(smtp_server).publish(
        PublishRequest(text="Hei", idempotency_key="k7", recipients=twice)
    )
    assert len(smtp_server.sink.received) == 1


def test_empty_list_is_refused_before_connecting(smtp_server):
    with pytest.raises(Rejected) as caught:
        connector(smtp_server).publish(PublishRequest(text="Hei", idempotency_key="k8"))
    assert caught.value.code == "no_recipients"
    assert smtp_server.sink.logins == []


def test_subject_and_ids():
    long = "Ord " * 60
    assert subject_of(PublishRequest(text=long, idempotency_key="k")).endswith(" …")
    assert subject_of(PublishRequest(text="x", title="Tittel", idempotency_key="k")) == "Tittel"
    assert message_id("a/b c", "s1", "d.test").startswith("<varde.")
    assert message_id("a/b c", "s1", "d.test") == message_id("a/b c", "s1", "d.test")
    assert "a/b" not in message_id("a/b c", "s1", "d.test")
    assert text_to_html('"x" https://a.test/?q="y"') == (
        '<p>&quot;x&quot; <a href="https://a.test/?q=">https://a.test/?q=</a>&quot;y&quot;</p>'
    )


# -- one bad recipient never breaks the send (issue 15, item 4) ------------------------------


def test_a_line_break_in_a_name_stays_out_of_the_headers(smtp_server):
    evil = Recipient(
        address="eve@example.test",
        key="sub9",
        name="Eve\r\nBcc: victim@example.test",
        unsubscribe_url="https://varde.test/u/eve/",
    )
    request = PublishRequest(text="Hei", idempotency_key="crlf", recipients=(*people("kari"), evil))
    connector(smtp_server).publish(request)
    assert len(smtp_server.sink.received) == 2
    to = smtp_server.sink.to("eve@example.test")[0].message["To"]
    assert "\n" not in str(to)
    assert "victim" not in str(smtp_server.sink.to("eve@example.test")[0].rcpt_tos)


def test_a_message_that_cannot_be_written_refuses_that_recipient_only(smtp_server):
    broken = Recipient(
        address="bad\r\n@example.test",
        key="sub8",
        name="Bad",
        unsubscribe_url="https://varde.test/u/bad/",
    )
    request = PublishRequest(
        text="Hei", idempotency_key="k-bad", recipients=(*people("kari"), broken, *people("per"))
    )
    with pytest.raises(Rejected) as caught:
        connector(smtp_server).publish(request)
    # Before: a ValueError after Kari's message, Per never sent, the delivery "unknown".
    assert caught.value.code == "partly_sent"
    assert caught.value.partial is not None
    assert "Sent to 2 of 3" in caught.value.reason
    assert {m.rcpt_tos[0] for m in smtp_server.sink.received} == {
        "kari@example.test",
        "per@example.test",
    }
