"""Thank new followers: a varied, named, signed thank-you per new follower, proposed for a
person to send or skip; never sent on its own; sent through the normal reply path."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from varde.accounts.models import AuditEvent
from varde.channels.services import channel_connect
from varde.connectors.contracts import Credentials, MentionKind
from varde.inbox import selectors, services
from varde.inbox.choices import ConversationState, ReplyMode, ThanksOutcome
from varde.inbox.models import FollowerThanks, Reply
from varde.sandbox.models import SandboxPost

from .conftest import arrive

pytestmark = pytest.mark.django_db

NAMES = [
    ("kari.sim", "Kari Nordmann"),
    ("per.sim", "Per Hansen"),
    ("anna.sim", "Anna Berg"),
    ("jon.sim", "Jon Lie"),
    ("eva.sim", "Eva Dahl"),
    ("ola.sim", "Ola Vik"),
]


def _follow(channel, handle="kari.sim", name="Kari Nordmann", at=None):
    return arrive(
        channel, kind=MentionKind.FOLLOW, text="", handle=handle, name=name, in_reply_to=None, at=at
    )


def _propose(workspace, user):
    followers = selectors.followers_to_thank(workspace=workspace)
    return services.thanks_propose(workspace=workspace, conversations=followers, user=user)


def test_one_named_signed_proposal_per_follower_never_the_same_twice_in_a_row(
    workspace, sandbox, owner
):
    for handle, name in NAMES:
        _follow(sandbox, handle, name)
    proposals = _propose(workspace, owner)
    assert len(proposals) == len(NAMES)
    signature = services.signature_for(workspace=workspace, user=owner)
    for proposal, (_handle, name) in zip(proposals, NAMES, strict=True):
        assert name.split()[0] in proposal.text
        assert proposal.text.endswith(signature)
        assert proposal.mode == ReplyMode.PRIVATE  # the sandbox has private messages
    for before, after in itertools.pairwise(proposals):
        assert before.template != after.template
        assert before.text != after.text
    # Stable between loads: the page does not reshuffle.
    assert [p.text for p in _propose(workspace, owner)] == [p.text for p in proposals]


def test_the_language_time_and_recent_post_vary_the_words(workspace, sandbox, owner):
    workspace.language = "nb"
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    # Kari wrote to us in English lately; Per follows on a Tuesday morning, Eva on a Friday.
    earlier = arrive(sandbox, handle="kari.sim", name="Kari", text="Love the new autumn collection")
    earlier.language = "en"
    earlier.save(update_fields=["language"])
    _follow(sandbox, "kari.sim", "Kari", at=datetime(2025, 3, 4, 13, 0, tzinfo=UTC))
    _follow(sandbox, "per.sim", "Per", at=datetime(2025, 3, 4, 7, 0, tzinfo=UTC))
    _follow(sandbox, "eva.sim", "Eva", at=datetime(2025, 3, 7, 19, 0, tzinfo=UTC))
    by_name = {p.conversation.author_handle: p for p in _propose(workspace, owner)}
    kari = by_name["kari.sim"]
    assert kari.language == "en"
    assert "Love the new autumn collection" in kari.text
    per, eva = by_name["per.sim"], by_name["eva.sim"]
    assert per.language == eva.language == "nb"
    assert "God helg!" in eva.text
    assert "God helg!" not in per.text


def test_nothing_is_sent_until_a_person_sends(workspace, sandbox, owner):
    _follow(sandbox)
    _propose(workspace, owner)
    assert not Reply.objects.exists()
    assert not SandboxPost.objects.exclude(private_to="").exists()


def test_send_goes_through_the_reply_path_and_the_next_wording_differs(workspace, sandbox, owner):
    _follow(sandbox, "kari.sim", "Kari")
    [first] = _propose(workspace, owner)
    reply = services.thanks_send(
        conversation=first.conversation, user=owner, text=first.text, template=first.template
    )
    sent = SandboxPost.objects.get(network_post_id=reply.network_id)
    assert sent.private_to == "kari.sim"
    assert sent.text == first.text  # signed once, not twice
    row = FollowerThanks.objects.get()
    assert (row.outcome, row.template, row.reply) == (ThanksOutcome.SENT, first.template, reply)
    first.conversation.refresh_from_db()
    assert first.conversation.state == ConversationState.RESOLVED
    assert AuditEvent.objects.filter(action="inbox.follower_thanked").exists()
    # The next follower never gets the wording just sent, whatever their name hashes to.
    for handle, name in NAMES[1:]:
        _follow(sandbox, handle, name)
    assert all(p.template != first.template for p in _propose(workspace, owner)[:1])


def test_skip_removes_the_follower_without_sending(workspace, sandbox, owner):
    item = _follow(sandbox)
    services.thanks_skip(conversation=item.conversation, user=owner)
    assert _propose(workspace, owner) == []
    assert FollowerThanks.objects.get().outcome == ThanksOutcome.SKIPPED
    assert not Reply.objects.exists()


def test_a_network_without_private_messages_gets_a_public_mention(workspace, owner):
    channel = channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Masto",
        credentials=Credentials(access_token="t"),
        config={"instance_url": "https://m.example"},
    )
    _follow(channel, "kari@m.example", "Kari")
    [proposal] = _propose(workspace, owner)
    assert proposal.mode == ReplyMode.MENTION
    assert proposal.text.startswith("@kari@m.example ")


def test_a_network_with_neither_says_so(workspace, owner, sandbox):
    item = _follow(sandbox)
    from varde.channels.models import ConnectedAccount

    ConnectedAccount.objects.filter(pk=sandbox.pk).update(connector_key="gone")
    item.conversation.channel.refresh_from_db()
    [proposal] = _propose(workspace, owner)
    assert proposal.mode == ""
    assert "neither a private message nor a public post" in proposal.why_not
    with pytest.raises(services.ReplyBlockedError):
        services.thanks_send(conversation=proposal.conversation, user=owner, text="Takk!")


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_page_in_both_languages(client, workspace, sandbox, editor, language):
    editor.language = language
    editor.save(update_fields=["language"])
    item = _follow(sandbox, "per.sim", "Per <b>Hansen</b>")
    client.force_login(editor)
    url = reverse("inbox:thanks", kwargs={"workspace": workspace.slug})
    page = client.get(url).content.decode()
    assert ("Thank new followers" if language == "en" else "Takk nye følgere") in page
    assert "Per &lt;b&gt;Hansen&lt;/b&gt;" in page
    assert "Sandbox data" in page or "Sandkassedata" in page
    response = client.post(
        reverse(
            "inbox:thanks_send",
            kwargs={"workspace": workspace.slug, "conversation_id": item.conversation_id},
        ),
        {"text": "Takk for følget, Per!", "template": "nb-2"},
    )
    assert response.status_code == 302
    assert Reply.objects.get().text.startswith("Takk for følget, Per!")
    assert "Per" not in client.get(url).content.decode().split("<h1>")[1].split("</ol>")[0] or (
        "No new followers" in client.get(url).content.decode()
        or "Ingen nye følgere" in client.get(url).content.decode()
    )


def test_only_follow_conversations_and_only_this_workspace(client, workspace, sandbox, owner):
    item = arrive(sandbox)
    client.force_login(owner)
    url = reverse(
        "inbox:thanks_send",
        kwargs={"workspace": workspace.slug, "conversation_id": item.conversation_id},
    )
    assert client.post(url, {"text": "Takk"}).status_code == 404
