"""The inbox pages: by role and workspace, escaped, labelled sandbox data, keyboard help,
pinned query counts, and the post status page's replies."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.analytics.models import MetricSnapshot
from varde.analytics.tests.conftest import NOW as READ_NOW
from varde.analytics.tests.conftest import bluesky_channel, published
from varde.cli import main as cli_main
from varde.inbox.choices import ItemKind, TriageClass
from varde.inbox.models import InboxItem
from varde.inbox.services import conversations_attach

from .conftest import NOW, arrive, later

pytestmark = pytest.mark.django_db

LIST_QUERIES = 13  # 12, and the plan's response time (the clocks add two when it is set)
CONVERSATION_QUERIES = 20  # 18, and reply approval: the rule and the proposals


def _reply(channel, delivery=None, text="Så fint! <script>alert(1)</script>", network_id="r1"):
    item = InboxItem.objects.create(
        workspace=channel.workspace,
        channel=channel,
        network_id=network_id,
        kind=ItemKind.COMMENT,
        author_handle="kari.bsky.social",
        author_name="Kari",
        text=text,
        url="https://bsky.app/profile/kari.bsky.social/post/r1",
        created_at=READ_NOW,
        in_reply_to=delivery.network_post_id if delivery else "",
        delivery=delivery,
        received_at=READ_NOW,
    )
    conversations_attach(items=[item], now=READ_NOW)
    return item


def _list(workspace, **query):
    return reverse("inbox:list", kwargs={"workspace": workspace.slug}) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def _conversation(item):
    return reverse(
        "inbox:conversation",
        kwargs={"workspace": item.workspace.slug, "conversation_id": item.conversation_id},
    )


@pytest.mark.parametrize("role", list(Role))
def test_the_inbox_lists_conversations_escaped_for_every_role(client_as, workspace, owner, role):
    channel = bluesky_channel(workspace, owner)
    item = _reply(channel)
    client = client_as(member(workspace, role))
    page = client.get(_list(workspace))
    if role == Role.CLIENT_REVIEWER:
        assert page.status_code in (403, 404)
        return
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kari" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    body = client.get(_conversation(item)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    # Only those who may answer see the reply form.
    assert ('name="text"' in body) == (role in (Role.OWNER, Role.ADMIN, Role.EDITOR))


def test_the_inbox_shows_only_its_own_workspace(client_as, workspace, other_workspace, owner):
    theirs = bluesky_channel(other_workspace, member(other_workspace, Role.OWNER), label="Theirs")
    item = _reply(theirs, text="Hemmelig svar")
    bluesky_channel(workspace, owner)
    client = client_as(owner)
    body = client.get(_list(workspace, view="all")).content.decode()
    assert "Hemmelig svar" not in body
    assert "Theirs" not in body
    assert "Not read yet." in body
    other_url = reverse(
        "inbox:conversation",
        kwargs={"workspace": workspace.slug, "conversation_id": item.conversation_id},
    )
    assert client.get(other_url).status_code == 404
    hide = reverse("inbox:item_hide", kwargs={"workspace": workspace.slug, "item_id": item.pk})
    assert client.post(hide).status_code == 404


def test_the_post_status_page_shows_metrics_or_not_read_yet(client_as, workspace, owner):
    channel = bluesky_channel(workspace, owner)
    delivery = published(channel)
    url = reverse(
        "publishing:post_status", kwargs={"workspace": workspace.slug, "post_id": delivery.post_id}
    )
    body = client_as(owner).get(url).content.decode()
    assert "Not read yet" in body
    MetricSnapshot.objects.create(
        workspace=workspace, delivery=delivery, fetched_at=READ_NOW - timedelta(hours=1), likes=1
    )
    MetricSnapshot.objects.create(
        workspace=workspace, delivery=delivery, fetched_at=READ_NOW, likes=7, replies=1
    )
    _reply(channel, delivery)
    body = client_as(owner).get(url).content.decode()
    assert "Not read yet" not in body
    assert "<dt>Likes</dt><dd>7</dd>" in body
    assert "&lt;script&gt;" in body


def test_a_network_without_replies_says_so(client_as, workspace, owner):
    from varde.channels.services import channel_connect

    channel_connect(
        workspace=workspace,
        connector_key="webhook",
        label="Hook",
        config={"url": "https://hooks.example/x"},
    )
    body = client_as(owner).get(_list(workspace)).content.decode()
    assert "Varde cannot read replies or mentions from this network." in body


def test_views_filters_and_search(client_as, workspace, owner, sandbox):
    editor = member(workspace, Role.EDITOR)
    from varde.inbox import services

    mine = arrive(sandbox, text="Sykkelen er ødelagt", handle="a.sim").conversation
    services.conversation_assign(conversation=mine, assignee=owner, actor=owner)
    arrive(sandbox, text="Når åpner dere?", handle="b.sim", triage_class=TriageClass.QUESTION)
    client = client_as(owner)
    assert "a.sim" in client.get(_list(workspace, view="mine")).content.decode()
    assert "b.sim" not in client.get(_list(workspace, view="mine")).content.decode()
    unassigned = client.get(_list(workspace, view="unassigned")).content.decode()
    assert "b.sim" in unassigned
    assert "@a.sim" not in unassigned
    assert "@a.sim" not in client.get(_list(workspace, q="åpner")).content.decode()
    assert "@b.sim" in client.get(_list(workspace, q="åpner")).content.decode()
    assert "@a.sim" not in client.get(_list(workspace, **{"class": "question"})).content.decode()
    assert client_as(editor).get(_list(workspace, view="snoozed")).status_code == 200


def test_saved_views(client_as, workspace, owner):
    client = client_as(owner)
    client.post(
        reverse("inbox:view_save", kwargs={"workspace": workspace.slug}),
        {"name": "Klager", "query": "class=complaint"},
    )
    body = client.get(_list(workspace)).content.decode()
    assert 'href="?class=complaint">Klager</a>' in body


def test_sandbox_data_is_labelled(client_as, workspace, owner, sandbox, connector):
    from varde.sandbox.services import sandbox_people_answer

    sandbox_people_answer(account=sandbox.config["account"], now=NOW, seed=1)
    from varde.inbox.services import inbox_read_channel

    items = inbox_read_channel(channel=sandbox, connector=connector, now=later(1))
    assert {item.kind for item in items} >= {"mention", "dm", "follow"}
    client = client_as(owner)
    assert "Sandbox data" in client.get(_list(workspace)).content.decode()
    body = client.get(_conversation(items[0])).content.decode()
    assert "Sandbox data" in body


def test_keyboard_help_and_script_are_served_without_inline_script(
    client_as, workspace, owner, sandbox
):
    item = arrive(sandbox)
    for url in (_list(workspace), _conversation(item)):
        body = client_as(owner).get(url).content.decode()
        assert 'id="inbox-help"' in body
        assert "inbox/inbox.js" in body
        assert 'aria-keyshortcuts="e"' in body
        assert "onclick" not in body
        assert "<script>" not in body


def test_resolve_and_next(client_as, workspace, owner, sandbox):
    older = arrive(sandbox, handle="a.sim", at=NOW)
    newer = arrive(sandbox, handle="b.sim", at=later(10))
    url = reverse(
        "inbox:conversation_state",
        kwargs={"workspace": workspace.slug, "conversation_id": newer.conversation_id},
    )
    response = client_as(owner).post(url, {"state": "resolved", "and_next": "1"})
    assert response["Location"] == _conversation(older)


def test_reply_and_assign_by_the_page(client_as, workspace, owner, sandbox):
    item = arrive(sandbox)
    client = client_as(owner)
    kwargs = {"workspace": workspace.slug, "conversation_id": item.conversation_id}
    client.post(reverse("inbox:conversation_assign", kwargs=kwargs), {"assignee": "me"})
    client.post(
        reverse("inbox:conversation_reply", kwargs=kwargs), {"text": "Hei!", "mode": "public"}
    )
    item.conversation.refresh_from_db()
    assert item.conversation.assignee == owner
    assert item.conversation.state == "pending"


def test_send_to_inbox_from_the_listening_stream(client_as, workspace, owner):
    from varde.listening.models import Mention

    mention = Mention.objects.create(
        workspace=workspace,
        source_kind="rss",
        external_id="e1",
        text="Hei Varde",
        published_at=NOW,
        received_at=NOW,
        author_handle="blogger",
    )
    client = client_as(owner)
    stream = client.get(reverse("listening:stream", kwargs={"workspace": workspace.slug}))
    action = reverse(
        "inbox:from_mention", kwargs={"workspace": workspace.slug, "mention_id": mention.pk}
    )
    assert action in stream.content.decode()
    response = client.post(action)
    assert response.status_code == 302
    assert InboxItem.objects.filter(workspace=workspace, text="Hei Varde").exists()


def test_rule_pages(client_as, workspace, owner, sandbox):
    client = client_as(owner)
    response = client.post(
        reverse("inbox:rule_new", kwargs={"workspace": workspace.slug}),
        {"name": "Lenker", "priority": 5, "has_link": "on", "label": "lenke"},
    )
    assert response.status_code == 302, response.content.decode()
    rule_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    kwargs = {"workspace": workspace.slug, "rule_id": rule_id}
    toggled = client.post(reverse("inbox:rule_toggle", kwargs=kwargs), follow=True)
    assert "dry run" in toggled.content.decode()
    arrive(sandbox, text="se https://x.example")
    with time_machine.travel(later(60), tick=False):
        dry = client.post(reverse("inbox:rule_dry_run", kwargs=kwargs)).content.decode()
    assert "1 of 1 items would match." in dry
    client.post(reverse("inbox:rule_toggle", kwargs=kwargs))
    assert (
        "<td>On</td>"
        in client.get(reverse("inbox:rules", kwargs={"workspace": workspace.slug})).content.decode()
    )


def _fill(sandbox, count, start=0):
    for index in range(start, start + count):
        arrive(
            sandbox,
            handle=f"p{index}.sim",
            text=f"Spørsmål {index}",
            at=later(index),
            triage_class=TriageClass.QUESTION,
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_list_has_a_pinned_query_count_that_does_not_grow(
    client_as, workspace, owner, sandbox, django_assert_num_queries
):
    client = client_as(owner)
    _fill(sandbox, 2)
    client.get(_list(workspace))  # warm the session and the caches
    few = _queries(client, _list(workspace))
    _fill(sandbox, 40, start=2)
    many = _queries(client, _list(workspace))
    assert few == many
    with django_assert_num_queries(LIST_QUERIES):
        client.get(_list(workspace, view="all", q="Spørsmål", **{"class": "question"}))


def test_the_conversation_page_has_a_pinned_query_count(
    client_as, workspace, owner, sandbox, django_assert_num_queries
):
    from varde.inbox import services

    client = client_as(owner)
    item = arrive(sandbox)
    for minute in range(1, 6):
        arrive(sandbox, text=f"Mer {minute}", at=later(minute))
    services.reply_send(conversation=item.conversation, author=owner, text="Svar", mode="public")
    services.conversation_label(conversation=item.conversation, label="x", add=True, actor=owner)
    client.get(_conversation(item))
    with django_assert_num_queries(CONVERSATION_QUERIES):
        client.get(_conversation(item))
    for minute in range(6, 16):
        arrive(sandbox, text=f"Mer {minute}", at=later(minute))
    with django_assert_num_queries(CONVERSATION_QUERIES):
        client.get(_conversation(item))


def test_cli_list_prints_one_json_object_a_line(workspace, sandbox, capsys):
    arrive(sandbox, text="Hei", triage_class=TriageClass.QUESTION)
    assert cli_main(["inbox", "list", "--workspace", workspace.slug, "--json"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    row = json.loads(line)
    assert {
        "id",
        "channel",
        "kind",
        "author",
        "text",
        "triage_class",
        "sentiment",
        "state",
        "assignee",
    } <= set(row)
    assert row["state"] == "new"
    assert row["triage_class"] == "question"
    assert (
        cli_main(["inbox", "list", "--workspace", workspace.slug, "--state", "resolved", "--json"])
        == 0
    )
    assert capsys.readouterr().out == ""
    assert cli_main(["inbox", "list", "--workspace", "nope"]) == 2
