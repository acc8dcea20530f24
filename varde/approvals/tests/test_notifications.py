"""The notification centre: rows, e-mail in the recipient's language, the bell, the list."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.approvals import services
from varde.notifications.models import Notification
from varde.notifications.services import Message, notify

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_the_text_in_their_own_language(
    workspace, draft, contributor, django_capture_on_commit_callbacks, mailoutbox
):
    norwegian = member(workspace, Role.EDITOR, language="nb", full_name="Nora")
    english = member(workspace, Role.ADMIN, language="en", full_name="Ed")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit_for_review(post=draft, actor=contributor)
    nb_note = Notification.objects.get(user=norwegian)
    en_note = Notification.objects.get(user=english)
    assert en_note.text.startswith("Cora Contributor sent a post for review")
    assert nb_note.text.startswith("Cora Contributor har sendt et innlegg til godkjenning")
    mails = {m.to[0]: m for m in mailoutbox}
    assert mails[norwegian.email].subject == nb_note.text
    assert "Åpne i Varde" in mails[norwegian.email].body
    assert "/w/acme/review/posts/" in mails[english.email].body
    assert nb_note.url == en_note.url == f"/w/acme/review/posts/{draft.pk}/"


def test_mail_goes_only_after_commit(
    workspace, editor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[editor], workspace=workspace, kind="review.submitted", text="Hello")
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_no_mail_when_asked_and_only_members_are_told(
    workspace, other_workspace, editor, mailoutbox, django_capture_on_commit_callbacks
):
    stranger = member(other_workspace, Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            users=[editor, stranger, editor, None],
            workspace=workspace,
            kind="review.submitted",
            text=Message(gettext_lazy("Approved. Planned posts are now scheduled.")),
            email=False,
        )
    assert [n.user for n in created] == [editor]
    assert mailoutbox == []


def test_the_bell_counts_and_the_list_marks_read(workspace, editor, client_as):
    notify(
        users=[editor],
        workspace=workspace,
        kind="review.submitted",
        text="First news",
        url="/w/acme/",
    )
    notify(
        users=[editor],
        workspace=workspace,
        kind="review.submitted",
        text="Second news",
        email=False,
    )
    client = client_as(editor)
    home = client.get("/w/acme/").content.decode()
    assert 'href="/w/acme/notifications/"' in home
    assert '<span class="role-badge" aria-hidden="true">2</span>' in home

    page = client.get("/w/acme/notifications/").content.decode()
    assert "First news" in page
    assert "Second news" in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    home = client.get("/w/acme/").content.decode()
    assert 'role-badge">2' not in home


def test_someone_elses_notifications_stay_hidden(workspace, editor, owner, client_as):
    notify(users=[owner], workspace=workspace, kind="review.submitted", text="Only for the owner")
    page = client_as(editor).get("/w/acme/notifications/").content.decode()
    assert "Only for the owner" not in page
