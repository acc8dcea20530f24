"""End to end against a real SMTP server (aiosmtpd on 127.0.0.1): a newsletter through the
publishing engine, one-click and in-page unsubscribe, and double opt-in from signup to
confirmed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.models import Subscriber
from varde.publishing import engine
from varde.publishing import services as publishing
from varde.publishing.choices import DeliveryState, FailureKind
from varde.publishing.tests.conftest import NOON

pytestmark = pytest.mark.django_db


def add(subscriber_list, email, status, name=""):
    return Subscriber.objects.create(
        workspace=subscriber_list.workspace,
        subscriber_list=subscriber_list,
        email=email,
        name=name,
        status=status,
    )


def send(workspace, editor, channel, text):
    post = post_create(
        workspace=workspace, author=editor, text=text, approval_state=ApprovalState.APPROVED
    )
    delivery = publishing.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker="w")
        assert not engine.publish_one(worker="w")
    delivery.refresh_from_db()
    return delivery


def test_newsletter_reaches_exactly_the_confirmed_subscribers_once(
    newsletter, smtp_server, workspace, editor
):
    channel, subscriber_list = newsletter
    kari = add(subscriber_list, "kari@example.test", SubscriberStatus.CONFIRMED, "Kari")
    ola = add(subscriber_list, "ola@example.test", SubscriberStatus.CONFIRMED)
    add(subscriber_list, "venter@example.test", SubscriberStatus.PENDING)
    add(subscriber_list, "borte@example.test", SubscriberStatus.UNSUBSCRIBED)

    delivery = send(workspace, editor, channel, "Vårens turer 🚲\n\nSe https://bryggensykkel.test")

    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.attempts.get().request_summary["recipients"] == 2
    got = sorted(r for m in smtp_server.sink.received for r in m.rcpt_tos)
    assert got == ["kari@example.test", "ola@example.test"]

    # One-click (RFC 8058): the mail provider POSTs to the header's https URL, no CSRF token.
    message = smtp_server.sink.to("kari@example.test")[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_url = re.search(r"<(https://[^>]+)>", message["List-Unsubscribe"]).group(1)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        urlsplit(header_url).path, {"List-Unsubscribe": "One-Click"}, secure=True
    )
    assert response.status_code == 200
    kari.refresh_from_db()
    assert kari.status == SubscriberStatus.UNSUBSCRIBED

    # The link in Ola's body: GET shows a button, the button unsubscribes.
    body = smtp_server.sink.to("ola@example.test")[0].message.get_body(("plain",)).get_content()
    link = re.search(r"https://varde\.test(/newsletter/unsubscribe/\S+)", body).group(1)
    browser = Client()
    page = browser.get(link, secure=True)
    assert page.status_code == 200
    ola.refresh_from_db()
    assert ola.status == SubscriberStatus.CONFIRMED  # looking is not unsubscribing
    assert browser.post(link, secure=True).status_code == 200
    ola.refresh_from_db()
    assert ola.status == SubscriberStatus.UNSUBSCRIBED

    # The next newsletter finds nobody to send to, and says so.
    before = len(smtp_server.sink.received)
    second = send(workspace, editor, channel, "Neste nyhetsbrev")
    assert second.state == DeliveryState.FAILED
    assert second.failure_kind == FailureKind.REJECTED
    assert "no confirmed subscribers" in second.last_error
    assert len(smtp_server.sink.received) == before


def test_double_opt_in_from_signup_to_confirmed(
    newsletter, smtp_server, django_capture_on_commit_callbacks
):
    _, subscriber_list = newsletter
    visitor = Client(enforce_csrf_checks=False)
    url = reverse("newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token})
    assert visitor.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(url, {"email": "Nina@Example.TEST", "name": "Nina"})
    assert response.status_code == 200
    nina = Subscriber.objects.get()
    assert nina.email == "Nina@example.test"
    assert nina.status == SubscriberStatus.PENDING
    assert len(nina.confirm_token_hash) == 64  # only the hash is stored

    [mail] = smtp_server.sink.received
    assert mail.rcpt_tos == ["Nina@example.test"]
    text = mail.message.get_content()
    link = re.search(r"https://varde\.test(/newsletter/confirm/\S+)", text).group(1)
    assert nina.confirm_token_hash not in text

    assert visitor.get(link, secure=True).status_code == 200
    nina.refresh_from_db()
    assert nina.status == SubscriberStatus.PENDING  # a link scanner's GET confirms nothing
    assert visitor.post(link, secure=True).status_code == 200
    nina.refresh_from_db()
    assert nina.status == SubscriberStatus.CONFIRMED
    assert nina.consent_at is not None
    assert nina.consent_source == "form"
    with translation.override("en"):
        assert nina.consent_source_label == "signup form"
    # The link works once.
    assert visitor.post(link, secure=True).status_code == 400


def test_signing_up_again_soon_sends_no_second_mail(
    newsletter, smtp_server, django_capture_on_commit_callbacks
):
    _, subscriber_list = newsletter
    url = reverse("newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token})
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(url, {"email": "flood@example.test"})
    assert len(smtp_server.sink.received) == 1


def test_robots_and_floods_are_turned_away(
    newsletter, smtp_server, django_capture_on_commit_callbacks, monkeypatch
):
    from varde.newsletter import services

    _, subscriber_list = newsletter
    url = reverse("newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token})
    with django_capture_on_commit_callbacks(execute=True):
        robot = Client().post(url, {"email": "bot@example.test", "website": "http://spam"})
    assert robot.status_code == 200  # looks like success to the robot
    assert not Subscriber.objects.exists()
    monkeypatch.setattr(services, "SIGNUPS_PER_HOUR", 1)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(url, {"email": "first@example.test"})
        busy = Client().post(url, {"email": "second@example.test"})
    assert busy.status_code == 429
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["first@example.test"]
    assert len(smtp_server.sink.received) == 1


# -- mail-bombing through the public form (issue 15, item 7) -------------------------------


def test_one_address_gets_a_few_confirmations_a_day_however_they_are_spaced(
    newsletter, smtp_server, django_capture_on_commit_callbacks
):
    _, subscriber_list = newsletter
    url = reverse("newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token})
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        for n in range(6):  # every 11 minutes: past the ten-minute resend guard each time
            with django_capture_on_commit_callbacks(execute=True):
                Client(REMOTE_ADDR=f"198.51.100.{n}").post(url, {"email": "victim@example.test"})
            clock.shift(timedelta(minutes=11))
    assert len(smtp_server.sink.received) == 3


def test_one_client_cannot_sign_up_strangers_by_the_hundred(
    newsletter, smtp_server, django_capture_on_commit_callbacks
):
    _, subscriber_list = newsletter
    url = reverse("newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token})
    script = Client(REMOTE_ADDR="203.0.113.9")
    statuses = []
    for n in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(script.post(url, {"email": f"stranger{n}@example.test"}).status_code)
    assert statuses.count(429) == 2
    assert len(smtp_server.sink.received) == 10
    # Someone else, from another address, still signs up.
    with django_capture_on_commit_callbacks(execute=True):
        other = Client(REMOTE_ADDR="198.51.100.7").post(url, {"email": "real@example.test"})
    assert other.status_code == 200
