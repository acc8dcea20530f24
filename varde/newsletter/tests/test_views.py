"""Workspace pages by role, isolation between workspaces, CSV import, and the public pages'
refusals. (Every URL × every role is also walked by accounts/tests/test_access.py.)"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.models import Subscriber
from varde.newsletter.tests.conftest import connect_newsletter

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_list(workspace, owner, smtp_server, https_base):
    """A newsletter channel connected as the UI does; then its mail server goes away (the
    channel points at a closed port), so nothing in these tests reaches a mail server."""
    channel, subscriber_list = connect_newsletter(
        workspace=workspace, owner=owner, host=smtp_server.host, port=smtp_server.port
    )
    channel.config = {**channel.config, "port": "1"}
    channel.save(update_fields=["config"])
    Subscriber.objects.create(
        workspace=workspace,
        subscriber_list=subscriber_list,
        email="kari@example.test",
        status=SubscriberStatus.CONFIRMED,
    )
    return subscriber_list


def url(name, subscriber_list, **kwargs):
    return reverse(
        f"newsletter:{name}",
        kwargs={
            "workspace": subscriber_list.workspace.slug,
            "list_id": subscriber_list.pk,
            **kwargs,
        },
    )


def test_viewers_see_lists_but_cannot_change_them(offline_list, workspace, client_as):
    contributor = client_as(member(workspace, Role.CONTRIBUTOR))
    page = contributor.get(url("list", offline_list))
    assert page.status_code == 200
    assert b"kari@example.test" in page.content
    assert b"Import from a CSV or Excel file" not in page.content
    csv = SimpleUploadedFile("a.csv", b"email\nny@example.test\n")
    assert contributor.post(url("import", offline_list), {"file": csv}).status_code == 403
    assert Subscriber.objects.count() == 1


def test_another_workspace_cannot_reach_the_list(offline_list, other_workspace, client_as):
    outsider = client_as(member(other_workspace, Role.OWNER))
    foreign = reverse(
        "newsletter:list", kwargs={"workspace": other_workspace.slug, "list_id": offline_list.pk}
    )
    assert outsider.get(foreign).status_code == 404
    assert outsider.get(url("list", offline_list)).status_code == 404
    index = outsider.get(reverse("newsletter:index", kwargs={"workspace": other_workspace.slug}))
    assert b"Nyhetsbrev" not in index.content


def test_import_as_pending_sends_confirmations(
    offline_list, owner, client_as, django_capture_on_commit_callbacks
):
    csv = SimpleUploadedFile(
        "liste.csv", "email,name\nPer@Example.test,Per Ås\nikke-en-adresse\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(owner).post(url("import", offline_list), {"file": csv})
    assert response.status_code == 302
    per = Subscriber.objects.get(email="Per@example.test")
    assert per.status == SubscriberStatus.PENDING
    assert per.name == "Per Ås"
    # The SMTP server of this channel is not running: the failure is kept and shown.
    assert per.last_mail_error
    event = AuditEvent.objects.get(action="newsletter.imported")
    assert event.detail["consent_confirmed_by_importer"] is False
    assert event.detail["added"] == 1


def test_import_as_confirmed_needs_the_consent_tick_and_is_audited(offline_list, owner, client_as):
    csv = SimpleUploadedFile("liste.csv", b"ny@example.test\nkari@example.test\n")
    client_as(owner).post(url("import", offline_list), {"file": csv, "consent_confirmed": "on"})
    new = Subscriber.objects.get(email="ny@example.test")
    assert new.status == SubscriberStatus.CONFIRMED
    assert new.consent_at is not None
    assert new.consent_source == f"import-consent:{owner.email}"
    assert "confirmed having consent" in new.consent_source_label
    event = AuditEvent.objects.get(action="newsletter.imported")
    assert event.actor == owner
    assert event.detail["consent_confirmed_by_importer"] is True
    assert event.detail["added"] == 1  # kari was already there


def test_remove_subscriber_is_audited(offline_list, owner, client_as):
    kari = Subscriber.objects.get()
    response = client_as(owner).post(url("subscriber_remove", offline_list, subscriber_id=kari.pk))
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert AuditEvent.objects.filter(action="newsletter.subscriber_removed").exists()


def test_create_list_for_a_channel_without_one(workspace, owner, client_as):
    from varde.channels.services import channel_connect

    channel = channel_connect(
        workspace=workspace, connector_key="newsletter", label="Brev", actor=owner
    )
    index = reverse("newsletter:index", kwargs={"workspace": workspace.slug})
    assert b"New list" in client_as(owner).get(index).content
    client_as(owner).post(
        reverse("newsletter:list_new", kwargs={"workspace": workspace.slug}),
        {"channel": channel.pk, "name": "Kundeklubben"},
    )
    assert channel.newsletter_list.name == "Kundeklubben"


def test_public_pages_refuse_wrong_tokens(client, offline_list):
    bad = reverse("newsletter_public:subscribe", kwargs={"token": "nope"})
    assert client.get(bad).status_code == 404
    forged = reverse("newsletter_public:unsubscribe", kwargs={"token": "abc:def"})
    assert client.post(forged).status_code == 400
    confirm = reverse("newsletter_public:confirm", kwargs={"token": "x:y:z"})
    assert client.post(confirm).status_code == 400
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_only_the_unsubscribe_view_is_csrf_exempt():
    from varde.newsletter import views_public

    assert getattr(views_public.unsubscribe, "csrf_exempt", False)
    assert not getattr(views_public.subscribe, "csrf_exempt", False)
    assert not getattr(views_public.confirm, "csrf_exempt", False)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # What the calendar's import reads, the newsletter reads (one reader, varde.lib.tables).
        ("liste.csv", "E-post;Navn\rny@example.test;Nils Ås\r".encode("cp1252")),
        ("liste.csv", "email\tname\r\nny@example.test\tNils Ås\r\n".encode("utf-8-sig")),
        ("liste.xlsx", "xlsx"),
    ],
)
def test_import_reads_what_the_calendar_reads(offline_list, owner, client_as, name, data):
    if data == "xlsx":
        book = Workbook()
        book.active.append(["email", "name"])
        book.active.append(["ny@example.test", "Nils Ås"])
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    upload = SimpleUploadedFile(name, data)
    response = client_as(owner).post(
        url("import", offline_list), {"file": upload, "consent_confirmed": "on"}
    )
    assert response.status_code == 302
    assert Subscriber.objects.get(email="ny@example.test").name == "Nils Ås"


def test_import_refuses_a_huge_cell_with_words_and_saves_nothing(offline_list, owner, client_as):
    # Issue 15: a cell over csv's 128 KB field limit gave HTTP 500.
    upload = SimpleUploadedFile(
        "liste.csv", b"email,name\nny@example.test," + b"x" * (130 * 1024) + b"\n"
    )
    response = client_as(owner).post(url("import", offline_list), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "column B holds" in response.content.decode()
    assert not Subscriber.objects.filter(email="ny@example.test").exists()


def test_import_refuses_too_many_rows_instead_of_cutting_them(offline_list, owner, client_as):
    rows = "".join(f"p{i}@example.test\n" for i in range(20_002))
    upload = SimpleUploadedFile("liste.csv", rows.encode())
    response = client_as(owner).post(url("import", offline_list), {"file": upload}, follow=True)
    assert "more than 20000 rows" in response.content.decode()
    assert Subscriber.objects.count() == 1
