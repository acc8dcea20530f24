"""Conversations: grouping, states, re-opening, snooze, assignment, labels, listening hits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.connectors.contracts import MentionKind
from varde.inbox import services
from varde.inbox.choices import ConversationState
from varde.inbox.models import Conversation, InboxItem
from varde.notifications.models import Notification

from .conftest import NOW, arrive, later

pytestmark = pytest.mark.django_db


def test_items_of_one_person_in_one_thread_form_one_conversation(sandbox):
    first = arrive(sandbox, text="Hei", in_reply_to="post-1")
    second = arrive(sandbox, text="Hallo?", in_reply_to="post-1", at=later(5))
    other_thread = arrive(sandbox, text="Og denne?", in_reply_to="post-2")
    other_person = arrive(sandbox, handle="ola.sim", in_reply_to="post-1")
    assert first.conversation_id == second.conversation_id
    assert other_thread.conversation_id != first.conversation_id
    assert other_person.conversation_id != first.conversation_id
    conversation = first.conversation
    conversation.refresh_from_db()
    assert conversation.item_count == 2
    assert conversation.preview == "Hallo?"
    assert conversation.state == ConversationState.NEW


def test_direct_messages_with_a_person_are_one_conversation(sandbox):
    one = arrive(sandbox, kind=MentionKind.DM, in_reply_to=None, text="Hei")
    two = arrive(sandbox, kind=MentionKind.DM, in_reply_to=None, text="Er dere der?")
    assert one.conversation_id == two.conversation_id
    assert one.conversation.thread_key == "dm:kari.sim"


def test_a_reply_from_the_person_reopens_resolved_pending_and_snoozed(sandbox, owner):
    item = arrive(sandbox)
    conversation = item.conversation
    for state in ("resolved", "pending", "snoozed"):
        until = NOW + timedelta(days=1) if state == "snoozed" else None
        services.conversation_set_state(
            conversation=conversation,
            state=ConversationState(state),
            actor=owner,
            snoozed_until=until,
            now=NOW,
        )
        arrive(sandbox, text="Hallo igjen", at=later(10))
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.NEW, state
        assert conversation.snoozed_until is None


def test_the_person_answering_our_reply_continues_the_conversation(sandbox, connector, owner):
    item = arrive(sandbox)
    reply = services.reply_send(
        conversation=item.conversation, author=owner, text="Ja, 10–18.", mode="public"
    )
    answer = arrive(sandbox, text="Takk!", in_reply_to=reply.network_id, at=later(20))
    assert answer.conversation_id == item.conversation_id


def test_snooze_needs_a_future_time_and_the_worker_wakes_it(sandbox, owner):
    conversation = arrive(sandbox).conversation
    with pytest.raises(ValidationError):
        services.conversation_set_state(
            conversation=conversation, state=ConversationState.SNOOZED, actor=owner, now=NOW
        )
    services.conversation_set_state(
        conversation=conversation,
        state=ConversationState.SNOOZED,
        actor=owner,
        snoozed_until=NOW + timedelta(hours=1),
        now=NOW,
    )
    assert services.conversations_wake_snoozed(now=NOW + timedelta(minutes=59)) == 0
    assert services.conversations_wake_snoozed(now=NOW + timedelta(hours=1)) == 1
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.NEW


def test_the_wake_task_runs_the_service():
    from varde.inbox.tasks import inbox_wake_snoozed

    with time_machine.travel(NOW, tick=False):
        assert inbox_wake_snoozed.call_local() == 0


def test_assignment_tells_the_assignee_and_is_undoable(workspace, sandbox, owner):
    editor = member(workspace, Role.EDITOR)
    conversation = arrive(sandbox).conversation
    action = services.conversation_assign(conversation=conversation, assignee=editor, actor=owner)
    assert Notification.objects.filter(user=editor, kind="inbox.assigned").exists()
    assert AuditEvent.objects.filter(action="inbox.assigned").exists()
    services.moderation_undo(action=action, actor=owner)
    conversation.refresh_from_db()
    assert conversation.assignee is None


def test_only_members_can_be_assigned(workspace, other_workspace, sandbox, owner):
    stranger = member(other_workspace, Role.OWNER)
    with pytest.raises(ValidationError):
        services.conversation_assign(
            conversation=arrive(sandbox).conversation, assignee=stranger, actor=owner
        )


def test_the_assignee_hears_when_the_person_writes_again(workspace, sandbox, owner):
    editor = member(workspace, Role.EDITOR)
    conversation = arrive(sandbox).conversation
    services.conversation_assign(conversation=conversation, assignee=editor, actor=owner)
    services.conversation_set_state(
        conversation=conversation, state=ConversationState.RESOLVED, actor=owner
    )
    arrive(sandbox, text="En ting til", at=later(30))
    assert Notification.objects.filter(user=editor, kind="inbox.reopened").exists()


def test_labels_add_remove_and_undo(sandbox, owner):
    conversation = arrive(sandbox).conversation
    action = services.conversation_label(
        conversation=conversation, label="levering", add=True, actor=owner
    )
    assert conversation.label_list == ["levering"]
    assert (
        services.conversation_label(
            conversation=conversation, label="levering", add=True, actor=owner
        )
        is None
    )
    services.moderation_undo(action=action, actor=owner)
    conversation.refresh_from_db()
    assert conversation.label_list == []


def test_a_label_that_does_not_fit_is_refused_not_a_database_error(sandbox, owner):
    """Found by tests/security/test_xss_forms.py on PostgreSQL: labels over the column's 500
    characters were a 500 there (and kept whole on SQLite)."""
    conversation = arrive(sandbox).conversation
    for number in range(12):  # 12 labels of 40 characters fill the column
        services.conversation_label(
            conversation=conversation, label=f"{number:02d}" + "x" * 38, add=True, actor=owner
        )
    with pytest.raises(ValidationError, match="as many labels as it can hold"):
        services.conversation_label(
            conversation=conversation, label="y" * 40, add=True, actor=owner
        )
    conversation.refresh_from_db()
    assert len(conversation.labels) <= 500
    assert len(conversation.label_list) == 12


def test_a_listening_mention_sent_to_the_inbox(workspace, owner):
    from varde.listening.models import Mention

    mention = Mention.objects.create(
        workspace=workspace,
        source_kind="rss",
        external_id="https://blog.example/p/1",
        url="https://blog.example/p/1",
        author_name="Blogger",
        author_handle="blogger",
        text="Bryggen Sykkel er treige med service.",
        language="no",
        published_at=NOW,
        received_at=NOW,
        sentiment="negative",
    )
    conversation = services.conversation_from_mention(
        workspace=workspace, mention_id=mention.pk, actor=owner
    )
    again = services.conversation_from_mention(
        workspace=workspace, mention_id=mention.pk, actor=owner
    )
    assert again.pk == conversation.pk
    item = InboxItem.objects.get(conversation=conversation)
    assert item.channel is None
    assert item.sentiment == "negative"
    assert conversation.from_mention_id == mention.pk
    # No channel: answering from Varde is not possible, and Varde says so.
    modes = services.reply_modes(conversation)
    assert all(modes.values())


def test_a_listening_mention_of_another_workspace_is_refused(workspace, other_workspace, owner):
    from varde.listening.models import Mention

    theirs = Mention.objects.create(
        workspace=other_workspace,
        source_kind="rss",
        external_id="x",
        text="hemmelig",
        published_at=NOW,
        received_at=NOW,
    )
    with pytest.raises(ValidationError):
        services.conversation_from_mention(workspace=workspace, mention_id=theirs.pk, actor=owner)


def test_the_migration_puts_existing_items_into_conversations(sandbox):
    """0003 groups rows stored before conversations existed, and loses none."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("varde.inbox.migrations.0003_items_into_conversations")
    for network_id, handle, answers in (
        ("a", "kari", "p1"),
        ("b", "kari", "p1"),
        ("c", "ola", "p1"),
    ):
        InboxItem.objects.create(
            workspace=sandbox.workspace,
            channel=sandbox,
            network_id=network_id,
            kind="comment",
            author_handle=handle,
            text=network_id,
            created_at=NOW,
            in_reply_to=answers,
            received_at=NOW,
        )
    migration.forwards(apps, None)
    assert InboxItem.objects.filter(conversation__isnull=True).count() == 0
    assert Conversation.objects.count() == 2
    assert Conversation.objects.get(author_handle="kari").item_count == 2
