"""Replies from Varde: public or private, signed, through the policy guard; a failed reply
keeps its text and says why; saved replies with variables and prompted fields."""

from __future__ import annotations

import pytest
from django.utils import translation

from varde.accounts.models import AuditEvent
from varde.connectors.contracts import MentionKind
from varde.inbox import services
from varde.inbox.choices import ConversationState, ReplyStatus
from varde.inbox.models import SavedReply
from varde.policy.services import guard_settings_save
from varde.sandbox.choices import FaultKind
from varde.sandbox.models import SandboxPost
from varde.sandbox.services import sandbox_fault_add

from .conftest import arrive

pytestmark = pytest.mark.django_db


def _signature_rule(workspace, owner, rule="block"):
    guard_settings_save(
        workspace=workspace,
        actor=owner,
        signature=rule,
        alt_text_required=False,
        avoided_hashtag_blocks=False,
        extra_disclosure_words="",
    )


def test_a_public_reply_lands_in_the_thread_and_the_conversation_waits(sandbox, owner):
    item = arrive(sandbox)
    reply = services.reply_send(
        conversation=item.conversation, author=owner, text="Vi har åpent 10–18.", mode="public"
    )
    assert reply.status == ReplyStatus.SENT
    sent = SandboxPost.objects.get(network_post_id=reply.network_id)
    assert sent.in_reply_to == item.network_id
    item.conversation.refresh_from_db()
    assert item.conversation.state == ConversationState.PENDING
    assert AuditEvent.objects.filter(action="inbox.replied").exists()


def test_a_private_message_goes_to_the_person(sandbox, owner):
    item = arrive(sandbox)
    reply = services.reply_send(
        conversation=item.conversation, author=owner, text="Hei!", mode="private"
    )
    assert SandboxPost.objects.get(network_post_id=reply.network_id).private_to == "kari.sim"


def test_a_message_conversation_cannot_be_answered_in_public(sandbox, owner):
    item = arrive(sandbox, kind=MentionKind.DM, in_reply_to=None)
    with pytest.raises(services.ReplyBlockedError) as blocked:
        services.reply_send(conversation=item.conversation, author=owner, text="x", mode="public")
    assert "private message" in " ".join(blocked.value.messages)


def test_a_network_without_private_messages_says_so(workspace, owner):
    from varde.channels.services import channel_connect
    from varde.connectors.contracts import Credentials

    channel = channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Masto",
        credentials=Credentials(access_token="t"),
        config={"instance_url": "https://m.example"},
    )
    conversation = arrive(channel).conversation
    modes = services.reply_modes(conversation)
    assert modes["public"] == ""
    assert "does not let Varde send private messages" in modes["private"]


def test_the_signature_rule_blocks_an_unsigned_reply_and_signing_passes(workspace, sandbox, owner):
    _signature_rule(workspace, owner)
    conversation = arrive(sandbox).conversation
    with translation.override("en"), pytest.raises(services.ReplyBlockedError) as blocked:
        services.reply_send(conversation=conversation, author=owner, text="Hei!", mode="public")
    assert "signed" in " ".join(blocked.value.messages)
    assert not SandboxPost.objects.exists()  # nothing was sent
    reply = services.reply_send(
        conversation=conversation, author=owner, text="Hei!", mode="public", sign=True
    )
    first_name = owner.get_short_name()
    assert reply.text.endswith(f"– {first_name}")


def test_signatures_per_person_and_per_workspace(workspace, owner, editor):
    services.signature_set(
        workspace=workspace, user=None, text="– {first_name}, Varde AS", actor=owner
    )
    services.signature_set(
        workspace=workspace, user=editor, text="Hilsen Kari i kundeservice", actor=editor
    )
    assert services.signature_for(workspace=workspace, user=owner) == (
        f"– {owner.get_short_name()}, Varde AS"
    )
    assert services.signature_for(workspace=workspace, user=editor) == "Hilsen Kari i kundeservice"


def test_a_failed_reply_keeps_the_text_and_says_why(client_as, sandbox, owner):
    item = arrive(sandbox)
    sandbox_fault_add(kind=FaultKind.REJECTED, message="Sandbox says no", remaining=1)
    reply = services.reply_send(
        conversation=item.conversation, author=owner, text="Mitt svar", mode="public"
    )
    assert reply.status == ReplyStatus.FAILED
    assert "Sandbox says no" in reply.error
    item.conversation.refresh_from_db()
    assert item.conversation.state == ConversationState.NEW
    from django.urls import reverse

    page = client_as(owner).get(
        reverse(
            "inbox:conversation",
            kwargs={"workspace": sandbox.workspace.slug, "conversation_id": item.conversation_id},
        )
    )
    body = page.content.decode()
    assert "Not sent: Sandbox says no" in body
    assert ">Mitt svar</textarea>" in body


def test_saved_replies_fill_variables_and_ask_for_prompted_fields(workspace, sandbox, owner):
    saved = services.saved_reply_save(
        workspace=workspace,
        actor=owner,
        name="Ordre",
        text="Hei {first_name}! Send ordrenummeret {?ordrenummer}. Hilsen {my_first_name}",
    )
    conversation = arrive(sandbox, name="Kari Simulert").conversation
    text, prompted = services.saved_reply_render(saved=saved, conversation=conversation, user=owner)
    assert text.startswith("Hei Kari!")
    assert prompted == ["ordrenummer"]
    with pytest.raises(services.ReplyBlockedError) as blocked:
        services.reply_send(conversation=conversation, author=owner, text=text, mode="public")
    assert "Fill in: ordrenummer" in " ".join(blocked.value.messages)
    assert SavedReply.objects.filter(workspace=workspace).count() == 1


def test_a_reply_by_the_command_line_as_a_named_person(workspace, sandbox, editor, capsys):
    from varde.cli import main as cli_main

    item = arrive(sandbox)
    code = cli_main(
        [
            "inbox",
            "reply",
            "--workspace",
            workspace.slug,
            "--item",
            str(item.pk),
            "--text",
            "Takk!",
            "--as",
            editor.email,
        ]
    )
    assert code == 0, capsys.readouterr().err
    reply = item.conversation.replies.get()
    assert reply.author == editor
