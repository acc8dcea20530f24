"""The inbox end to end on the local Bluesky network (real PLC + PDS + AppView from npm
``@atproto/dev-env``; docs/e2e-tests.md): a reply and a mention are read into Varde's inbox,
Varde answers in the thread (the answer is a reply to the right post, on the PDS), a spam
reply is hidden through the thread's threadgate (``hiddenReplies``) and shown again, a
complaint is refused, and an approved candidate reply goes out the same way."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.bluesky_accounts import Account, connect_channel, get_record, strong_ref
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels.selectors import connector_for
from varde.connectors.bluesky.xrpc import split_at_uri
from varde.connectors.contracts import PublishRequest
from varde.inbox import services
from varde.inbox.choices import ItemKind, ReplyStatus, TriageClass
from varde.inbox.models import InboxItem

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork
    from varde.channels.models import ConnectedAccount

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-bluesky"), pytest.mark.django_db]

THREADGATE = "app.bsky.feed.threadgate"


def _read_until(network: BlueskyNetwork, channel: ConnectedAccount, uris: set[str]) -> None:
    """Read the channel into the inbox until every one of ``uris`` is an item (the AppView
    notifies asynchronously; a read that finds nothing leaves the cursor where it was)."""

    def read() -> bool:
        network.sync()
        services.inbox_read_channel(channel=channel, connector=connector_for(channel))
        held = set(InboxItem.objects.filter(channel=channel).values_list("network_id", flat=True))
        return uris <= held

    assert network.until(read)


def _parent_and_root(network: BlueskyNetwork, uri: str) -> tuple[str, str]:
    reply: dict[str, Any] = get_record(network, uri)["value"]["reply"]
    return reply["parent"]["uri"], reply["root"]["uri"]


def test_read_reply_in_the_thread_hide_spam_and_refuse_to_hide_criticism(
    bluesky_network: BlueskyNetwork, settings: Any
):
    # A PDS on this machine is a private address, refused unless the installation allows it.
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    brand = Account.sign_up(bluesky_network, "ibrand")
    fan = Account.sign_up(bluesky_network, "ifan")
    spammer = Account.sign_up(bluesky_network, "ispam")
    channel = connect_channel(bluesky_network, brand, slug="bluesky-e2e-inbox")
    owner = member(channel.workspace, Role.OWNER, full_name="Kari Nordmann")
    post = connector_for(channel).publish(
        PublishRequest(text="Vi åpner ny butikk i Bergen! 🎉", idempotency_key=uuid.uuid4().hex)
    )
    uri = post.network_post_id
    # A person answers a post the AppView has shown them (docs/e2e-tests.md).
    bluesky_network.sync()
    target = strong_ref(bluesky_network, uri)
    question = fan.reply(target, target, "Når åpner dere?")["uri"]
    spam = spammer.reply(target, target, "Kjøp billige følgere her!!! http://spam.example")["uri"]
    shout = fan.mention(brand, before="Gleder meg til å besøke ")["uri"]

    _read_until(bluesky_network, channel, {question, spam, shout})
    items = {i.network_id: i for i in InboxItem.objects.filter(channel=channel)}
    assert items[question].kind == ItemKind.COMMENT
    assert items[question].in_reply_to == uri
    assert items[question].author_handle == fan.handle
    assert items[shout].kind == ItemKind.MENTION
    assert items[question].conversation_id != items[shout].conversation_id

    # Varde answers the question in its thread: a reply to that post, under the brand's post.
    answer = services.reply_send(
        conversation=items[question].conversation,
        author=owner,
        text="Lørdag klokken 10!",
        mode="public",
        sign=True,
    )
    assert answer.status == ReplyStatus.SENT, answer.error
    assert _parent_and_root(bluesky_network, answer.network_id) == (question, uri)
    assert get_record(bluesky_network, answer.network_id)["value"]["text"] == (
        "Lørdag klokken 10!\n– Kari"
    )
    # And the mention, where it was made.
    thanks = services.reply_send(
        conversation=items[shout].conversation, author=owner, text="Velkommen!", mode="public"
    )
    assert thanks.status == ReplyStatus.SENT, thanks.error
    assert _parent_and_root(bluesky_network, thanks.network_id) == (shout, shout)
    # Bluesky has no private messages for Varde: the mode is refused, with the reason.
    assert services.reply_modes(items[question].conversation)["private"]

    # The spam reply is hidden in the brand's thread (threadgate hiddenReplies), then shown again.
    action = services.item_hide(item=items[spam], actor=owner)
    gate_uri = f"at://{brand.did}/{THREADGATE}/{split_at_uri(uri)[2]}"
    assert get_record(bluesky_network, gate_uri)["value"]["hiddenReplies"] == [spam]
    services.moderation_undo(action=action, actor=owner)
    assert "hiddenReplies" not in get_record(bluesky_network, gate_uri)["value"]

    # Criticism is never hidden: Varde refuses before asking the network.
    complaint = items[question]
    complaint.triage_class = TriageClass.COMPLAINT
    complaint.save(update_fields=["triage_class"])
    before = get_record(bluesky_network, gate_uri)["cid"]
    with pytest.raises(services.CriticismRefusedError):
        services.item_hide(item=complaint, actor=owner)
    assert get_record(bluesky_network, gate_uri)["cid"] == before


def test_an_approved_candidate_is_sent_in_the_thread(
    bluesky_network: BlueskyNetwork, settings: Any
):
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    brand = Account.sign_up(bluesky_network, "abrand")
    fan = Account.sign_up(bluesky_network, "afan")
    channel = connect_channel(bluesky_network, brand, slug="bluesky-e2e-approval")
    workspace = channel.workspace
    owner = member(workspace, Role.OWNER)
    editor = member(workspace, Role.EDITOR, full_name="Per Hansen")
    services.approval_settings_save(workspace=workspace, complaints=True, roles=[], actor=owner)
    post = connector_for(channel).publish(
        PublishRequest(text="Nye åpningstider fra mandag.", idempotency_key=uuid.uuid4().hex)
    )
    bluesky_network.sync()
    target = strong_ref(bluesky_network, post.network_post_id)
    complaint_uri = fan.reply(target, target, "Dårlig service i går, ingen svarte.")["uri"]
    _read_until(bluesky_network, channel, {complaint_uri})
    item = InboxItem.objects.get(channel=channel, network_id=complaint_uri)
    item.triage_class = TriageClass.COMPLAINT
    item.save(update_fields=["triage_class"])

    with pytest.raises(services.ReplyBlockedError):
        services.reply_send(conversation=item.conversation, author=editor, text="x", mode="public")
    proposal = services.proposal_submit(
        conversation=item.conversation,
        writer=editor,
        texts=["Beklager!", "Så leit å høre. Hva skjedde?"],
        mode="public",
    )
    chosen = proposal.candidates.get(position=2)
    reply = services.proposal_approve(
        proposal=proposal,
        candidate_id=chosen.pk,
        approver=owner,
        text="Så leit å høre, det skal ikke skje. Hva skjedde?",
    )
    assert reply.status == ReplyStatus.SENT, reply.error
    record = get_record(bluesky_network, reply.network_id)["value"]
    assert record["text"] == "Så leit å høre, det skal ikke skje. Hva skjedde?"
    assert record["reply"]["parent"]["uri"] == complaint_uri
