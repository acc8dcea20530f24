"""The one notification path: each person's choice per kind, every sender, the preferences page."""

from __future__ import annotations

import pytest

from varde.channels.notices import NEEDS_RECONNECT, channel_tell_owner_needs_reconnect
from varde.notifications import kinds
from varde.notifications.choices import Reach
from varde.notifications.models import Notification, NotificationPreference
from varde.notifications.services import notification_preferences_set, notify
from varde.sandbox.services import sandbox_channel_create

pytestmark = pytest.mark.django_db

KIND = "review.submitted"


def _tell(workspace, user, captured):
    with captured(execute=True):
        return notify(users=[user], workspace=workspace, kind=KIND, text="Hello", url="/w/acme/")


@pytest.mark.parametrize(
    ("reach", "in_app", "mailed"),
    [
        (Reach.BOTH, True, True),
        (Reach.IN_APP, True, False),
        (Reach.EMAIL, False, True),
        (Reach.NONE, False, False),
    ],
)
def test_each_person_is_told_as_they_chose(  # noqa: PLR0917 (fixtures and parameters)
    workspace, editor, reach, in_app, mailed, django_capture_on_commit_callbacks, mailoutbox
):
    notification_preferences_set(user=editor, choices={KIND: reach})
    _tell(workspace, editor, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=editor, kind=KIND).exists() is in_app
    assert (len(mailoutbox) == 1) is mailed


def test_the_default_is_both_and_keeps_no_row(workspace, editor):
    notification_preferences_set(user=editor, choices={KIND: Reach.IN_APP})
    assert NotificationPreference.objects.filter(user=editor).count() == 1
    notification_preferences_set(user=editor, choices={KIND: Reach.BOTH})
    assert not NotificationPreference.objects.filter(user=editor).exists()


def test_a_kind_nobody_declared_is_refused(workspace, editor):
    with pytest.raises(kinds.UnknownKindError):
        notify(users=[editor], workspace=workspace, kind="no.such.kind", text="x")


def test_a_channel_that_needs_reconnecting_reaches_the_bell_and_the_mail(
    workspace, owner, django_capture_on_commit_callbacks, mailoutbox
):
    channel = sandbox_channel_create(workspace=workspace, label="Kanal", actor=owner)
    channel.owner = owner
    owner.language = "nb"
    with django_capture_on_commit_callbacks(execute=True):
        channel_tell_owner_needs_reconnect(channel=channel, error="token revoked")
    note = Notification.objects.get(user=owner, kind=NEEDS_RECONNECT)
    assert note.text.startswith("Kanal")
    assert note.url == f"/w/acme/channels/{channel.pk}/"
    assert mailoutbox[0].subject == "Koble til Kanal på nytt i Varde"


def test_the_preferences_page_lists_every_kind_by_area_and_saves(client_as, editor):
    client = client_as(editor)
    page = client.get("/w/acme/notifications/choices/").content.decode()
    for kind in kinds.all_kinds():
        assert f'name="{kind.key}"' in page
    for area in ("Review and approval", "Publishing", "Channels"):
        assert area in page
    response = client.post(
        "/w/acme/notifications/choices/",
        {kind.key: Reach.BOTH for kind in kinds.all_kinds()} | {KIND: Reach.NONE},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=editor, kind=KIND).reach == Reach.NONE


def test_attachments_and_addresses_outside_go_the_same_way(
    workspace, editor, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    from varde.notifications.services import Attachment, mail_outside

    pdf = Attachment("report.pdf", b"%PDF-1.4 ...")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[editor],
            workspace=workspace,
            kind="analytics.report",
            text="Key numbers",
            subject="Monthly report",
            attachments=[pdf],
        )
        queued = mail_outside(
            addresses=["a@example.no", "a@example.no", " b@example.no "],
            subject="Monthly report",
            body="Key numbers",
            attachments=[pdf],
        )
    assert queued == 2
    assert [m.to for m in mailoutbox] == [[editor.email], ["a@example.no"], ["b@example.no"]]
    assert all(
        m.attachments == [("report.pdf", pdf.content, "application/pdf")] for m in mailoutbox
    )

    def broken(self, fail_silently=False):  # a mail server outage is logged, never raised
        raise OSError("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_outside(addresses=["c@example.no"], subject="s", body="b") == 1
