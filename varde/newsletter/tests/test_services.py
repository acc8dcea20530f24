from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from varde.channels.connecting import ConnectError
from varde.channels.models import ConnectedAccount
from varde.channels.selectors import channel_credentials
from varde.connectors.contracts import PublishRequest
from varde.connectors.tests.smtpd import PASSWORD, USER
from varde.lib.tables import read_rows
from varde.newsletter import selectors, services, tokens
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.models import Subscriber
from varde.newsletter.tests.conftest import connect_newsletter

pytestmark = pytest.mark.django_db


def test_channel_create_logs_in_and_stores_the_password_encrypted(newsletter, smtp_server):
    channel, subscriber_list = newsletter
    assert channel.connector_key == "newsletter"
    assert subscriber_list.channel == channel
    assert smtp_server.sink.logins == [USER]
    assert PASSWORD not in channel.credentials_encrypted
    assert channel_credentials(channel).access_token == PASSWORD
    assert "password" not in channel.config


def test_channel_create_with_a_wrong_password_stores_nothing(workspace, owner, smtp_server):
    with pytest.raises(ConnectError, match="refused the login"):
        connect_newsletter(
            workspace=workspace,
            owner=owner,
            label="Feil",
            host=smtp_server.host,
            port=smtp_server.port,
            password="feil",
            from_address="a@b.test",
        )
    assert not ConnectedAccount.objects.exists()


def test_recipients_are_the_confirmed_of_this_channel_only(newsletter, workspace, other_workspace):
    channel, subscriber_list = newsletter
    for email, status in [
        ("ja@example.test", SubscriberStatus.CONFIRMED),
        ("venter@example.test", SubscriberStatus.PENDING),
        ("nei@example.test", SubscriberStatus.UNSUBSCRIBED),
    ]:
        Subscriber.objects.create(
            workspace=workspace, subscriber_list=subscriber_list, email=email, status=status
        )
    request = selectors.with_recipients(
        PublishRequest(text="x", idempotency_key="k"), channel=channel
    )
    assert [r.address for r in request.recipients] == ["ja@example.test"]
    [recipient] = request.recipients
    assert recipient.unsubscribe_url.startswith("https://varde.test/newsletter/unsubscribe/")


def test_other_channels_get_no_recipients(workspace, owner):
    from varde.sandbox.services import sandbox_channel_create

    sandbox = sandbox_channel_create(workspace=workspace, label="S", actor=owner)
    request = PublishRequest(text="x", idempotency_key="k")
    assert selectors.with_recipients(request, channel=sandbox) is request


def test_confirmation_link_expires_after_seven_days(newsletter):
    _, subscriber_list = newsletter
    raw = tokens.new_confirm_token()
    subscriber = Subscriber.objects.create(
        workspace=subscriber_list.workspace,
        subscriber_list=subscriber_list,
        email="sen@example.test",
        confirm_token_hash=tokens.digest(raw),
    )
    link = tokens.confirm_link_token(str(subscriber.public_id), raw)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.subscriber_confirm(link_token=link) is None
    assert services.subscriber_confirm(link_token=link) is not None
    wrong = tokens.confirm_link_token(str(subscriber.public_id), "guess")
    assert services.subscriber_confirm(link_token=wrong) is None


def test_signup_does_not_reveal_or_change_a_confirmed_subscriber(newsletter):
    _, subscriber_list = newsletter
    confirmed = Subscriber.objects.create(
        workspace=subscriber_list.workspace,
        subscriber_list=subscriber_list,
        email="kari@example.test",
        status=SubscriberStatus.CONFIRMED,
    )
    again = services.subscriber_signup(
        subscriber_list=subscriber_list, email="kari@EXAMPLE.test", source="form"
    )
    assert again.pk == confirmed.pk
    assert again.status == SubscriberStatus.CONFIRMED


def test_the_channels_connect_form_plugs_into_the_connector(smtp_server):
    """The generic connect flow (varde/channels) logs in with the connector's declared
    fields against a real SMTP server, and a wrong password is refused there."""
    from varde.channels.connect_methods import credential_method
    from varde.channels.connecting import ConnectError, verify_credentials

    method = credential_method("newsletter")
    values = {
        "host": smtp_server.host,
        "port": str(smtp_server.port),
        "security": "none",
        "user": USER,
        "password": PASSWORD,
        "from": "nyheter@bryggensykkel.test",
        "from_name": "Bryggen Sykkel",
    }
    verified = verify_credentials(method=method, values=values)
    assert verified.credentials.access_token == PASSWORD
    assert verified.profile.handle == "nyheter@bryggensykkel.test"
    assert smtp_server.sink.logins == [USER]
    with pytest.raises(ConnectError):
        verify_credentials(method=method, values={**values, "password": "feil"})


def test_a_newsletter_on_a_loopback_smtp_host_is_refused(workspace, owner, smtp_server, settings):
    # Issue 15, item 2: any signed-in user could make the server connect to its own ports.
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ConnectError, match="private, local or reserved"):
        connect_newsletter(
            workspace=workspace,
            owner=owner,
            label="Intern",
            host=smtp_server.host,
            port=smtp_server.port,
            from_address="nyheter@example.no",
        )
    assert not smtp_server.sink.received
    assert not ConnectedAccount.objects.filter(workspace=workspace).exists()


# -- one bad subscriber never breaks the confirmation batch (issue 15, item 4) -------------


def _pending(subscriber_list, email, name=""):
    return Subscriber.objects.create(
        workspace=subscriber_list.workspace, subscriber_list=subscriber_list, email=email, name=name
    )


def test_a_line_break_in_a_name_does_not_break_the_confirmation_batch(newsletter, smtp_server):
    _channel, subscriber_list = newsletter
    first = _pending(subscriber_list, "a@example.test", "Anne")
    evil = _pending(subscriber_list, "eve@example.test", "Eve\r\nBcc: victim@example.test")
    last = _pending(subscriber_list, "z@example.test", "Zed")
    services.subscribers_send_confirmation(subscriber_ids=[first.pk, evil.pk, last.pk])
    assert sorted(m.rcpt_tos[0] for m in smtp_server.sink.received) == [
        "a@example.test",
        "eve@example.test",
        "z@example.test",
    ]
    for subscriber in (first, evil, last):
        subscriber.refresh_from_db()
        assert subscriber.confirm_sent_at is not None
        assert subscriber.last_mail_error == ""


def test_only_subscribers_whose_mail_was_accepted_count_as_mailed(newsletter, smtp_server):
    _channel, subscriber_list = newsletter
    smtp_server.sink.rcpt_replies["gone@example.test"] = "550 5.1.1 No such user here"
    good = _pending(subscriber_list, "a@example.test")
    gone = _pending(subscriber_list, "gone@example.test")
    broken = _pending(subscriber_list, "b@example.test")
    # An address the email package refuses to write (only possible through old data).
    Subscriber.objects.filter(pk=broken.pk).update(email="b\r\n@example.test")
    services.subscribers_send_confirmation(subscriber_ids=[good.pk, gone.pk, broken.pk])
    good.refresh_from_db()
    gone.refresh_from_db()
    broken.refresh_from_db()
    assert good.confirm_sent_at is not None
    assert good.last_mail_error == ""
    assert gone.confirm_sent_at is None
    assert "No such user here" in gone.last_mail_error
    assert broken.confirm_sent_at is None
    assert broken.last_mail_error
    assert [m.rcpt_tos[0] for m in smtp_server.sink.received] == ["a@example.test"]


def test_signup_and_import_keep_names_on_one_line(newsletter, owner):
    _channel, subscriber_list = newsletter
    signed_up = services.subscriber_signup(
        subscriber_list=subscriber_list,
        email="s@example.test",
        name="Sigrid\r\nBcc: x@example.test",
        source="form",
    )
    assert signed_up.name == "Sigrid Bcc: x@example.test"
    services.subscribers_import(
        subscriber_list=subscriber_list,
        rows=read_rows(
            name="liste.csv",
            data=b'email,name\ni@example.test,"Ivar\r\nX-Evil: 1"\n',
            max_rows=10,
            max_bytes=1000,
        ),
        consent_confirmed=True,
        actor=owner,
    )
    assert Subscriber.objects.get(email="i@example.test").name == "Ivar X-Evil: 1"
