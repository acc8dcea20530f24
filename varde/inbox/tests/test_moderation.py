"""Moderation: conditions, rules with a dry run, hiding through the network, undo — and the
criticism rule from every path (a person, the page, the command line, a rule)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from varde.accounts.models import AuditEvent
from varde.cli import main as cli_main
from varde.inbox import services
from varde.inbox.choices import TriageClass
from varde.inbox.models import ModerationAction
from varde.inbox.moderation import Facts, matches, only_emoji, only_mentions
from varde.notifications.models import Notification
from varde.sandbox.models import SandboxIncoming
from varde.sandbox.services import sandbox_people_answer

from .conftest import NOW, arrive

pytestmark = pytest.mark.django_db


def facts(text="", **kwargs):
    base = {
        "text": text,
        "kind": "comment",
        "language": "no",
        "triage_class": None,
        "sentiment": None,
        "author_lists": frozenset(),
    }
    base.update(kwargs)
    return Facts(**base)


@pytest.mark.parametrize(
    ("conditions", "fact", "expected"),
    [
        ({"words": ["gratis iphone"]}, facts("GRATIS iPhone nå!"), True),
        ({"words": ["phone"]}, facts("Gratis iPhone"), False),  # whole words only
        ({"has_link": True}, facts("se https://x.example"), True),
        ({"has_link": True}, facts("ingen lenke"), False),
        ({"has_email": True}, facts("skriv til kari@example.no"), True),
        ({"only_emoji": True}, facts("🔥🔥 👍"), True),
        ({"only_emoji": True}, facts("bra 👍"), False),
        ({"only_mentions": True}, facts("@kari @ola"), True),
        ({"only_mentions": True}, facts("@kari hei"), False),
        ({"min_length": 10}, facts("kort"), False),
        ({"max_length": 10}, facts("kort"), True),
        ({"kinds": ["dm"]}, facts("x"), False),
        ({"languages": ["no"]}, facts("x"), True),
        ({"classes": ["spam"]}, facts("x", triage_class="spam"), True),
        ({"sentiments": ["negative"]}, facts("x", sentiment="positive"), False),
        ({"author_list": "vip"}, facts("x", author_lists=frozenset({"vip"})), True),
        ({"author_list": "block"}, facts("x", author_lists=frozenset({"vip"})), False),
        ({}, facts("anything"), False),  # an empty rule matches nothing
        ({"has_link": True, "words": ["vinn"]}, facts("vinn https://x.example"), True),
        ({"has_link": True, "words": ["vinn"]}, facts("https://x.example"), False),
    ],
)
def test_conditions(conditions, fact, expected):
    assert matches(conditions, fact) is expected


def test_emoji_and_mentions_helpers():
    assert only_emoji("❤️")
    assert not only_emoji("")
    assert only_mentions("@a, @b!")
    assert not only_mentions("hei")


def test_hiding_spam_goes_through_the_network_and_can_be_undone(sandbox, owner):
    sandbox_people_answer(
        account=sandbox.config["account"], now=NOW, replies=0, mentions=0, messages=0, follows=0
    )
    row = SandboxIncoming.objects.create(
        account=sandbox.config["account"],
        network_id="sim-spam",
        kind="comment",
        persona="spam",
        author_handle="deals4u.sim",
        author_name="Deals",
        text="Earn $$$",
        arrives_at=NOW,
    )
    item = arrive(sandbox, network_id="sim-spam", text=row.text, triage_class=TriageClass.SPAM)
    action = services.item_hide(item=item, actor=owner)
    row.refresh_from_db()
    assert row.hidden is True
    item.refresh_from_db()
    assert item.hidden_at is not None
    assert AuditEvent.objects.filter(action="inbox.hidden", target_id=str(item.pk)).exists()
    services.moderation_undo(action=action, actor=owner)
    row.refresh_from_db()
    item.refresh_from_db()
    assert row.hidden is False
    assert item.hidden_at is None
    assert AuditEvent.objects.filter(action="inbox.undone").exists()


def test_criticism_is_never_hidden_by_a_person(sandbox, owner):
    item = arrive(sandbox, text="Elendig service!", triage_class=TriageClass.COMPLAINT)
    with pytest.raises(services.CriticismRefusedError) as refused:
        services.item_hide(item=item, actor=owner)
    assert "never hidden" in " ".join(refused.value.messages)
    item.refresh_from_db()
    assert item.hidden_at is None
    assert AuditEvent.objects.filter(action="inbox.hide_refused").exists()


def test_correcting_the_class_first_then_hiding_is_in_the_audit_log(sandbox, owner):
    SandboxIncoming.objects.create(
        account=sandbox.config["account"],
        network_id="sim-x",
        kind="comment",
        persona="spam",
        author_handle="x",
        author_name="x",
        text="spam",
        arrives_at=NOW,
    )
    item = arrive(sandbox, network_id="sim-x", text="spam", triage_class=TriageClass.COMPLAINT)
    services.item_correct_class(item=item, triage_class=TriageClass.SPAM, actor=owner)
    assert AuditEvent.objects.filter(action="inbox.class_corrected").exists()
    item.refresh_from_db()
    assert item.triage_corrected_by == owner
    services.item_hide(item=item, actor=owner)


def test_criticism_is_refused_on_the_page_with_answer_or_escalate(client_as, sandbox, owner):
    item = arrive(sandbox, text="Elendig service!", triage_class=TriageClass.COMPLAINT)
    url = reverse(
        "inbox:item_hide", kwargs={"workspace": sandbox.workspace.slug, "item_id": item.pk}
    )
    page = client_as(owner).post(url, follow=True)
    body = page.content.decode()
    assert "criticism is never hidden" in body
    assert "answer it or escalate it" in body
    item.refresh_from_db()
    assert item.hidden_at is None


def test_criticism_is_refused_on_the_command_line(sandbox, capsys):
    item = arrive(sandbox, text="Elendig service!", triage_class=TriageClass.COMPLAINT)
    assert cli_main(["inbox", "hide", "--item", str(item.pk)]) == 1
    assert "criticism is never hidden" in capsys.readouterr().err


def _rule(workspace, owner, **conditions):
    rule = services.rule_save(
        workspace=workspace,
        actor=owner,
        name="Spam",
        priority=1,
        conditions=conditions or {"has_link": True},
        actions=[{"kind": "hide"}, {"kind": "label", "label": "spam"}],
    )
    services.rule_dry_run(rule=rule, now=NOW)
    return services.rule_set_enabled(rule=rule, enabled=True, actor=owner)


def test_a_rule_is_switched_on_only_after_a_dry_run(workspace, owner, sandbox):
    rule = services.rule_save(
        workspace=workspace,
        actor=owner,
        name="Links",
        priority=1,
        conditions={"has_link": True},
        actions=[{"kind": "review"}],
    )
    with pytest.raises(ValidationError):
        services.rule_set_enabled(rule=rule, enabled=True, actor=owner)
    arrive(sandbox, text="se https://x.example", at=NOW)
    arrive(sandbox, text="ingen lenke", at=NOW)
    result = services.rule_dry_run(rule=rule, now=NOW)
    assert (result.matches, result.checked) == (1, 2)
    assert ModerationAction.objects.count() == 0  # a dry run changes nothing
    services.rule_set_enabled(rule=rule, enabled=True, actor=owner)
    # Editing switches it off until the next dry run.
    rule = services.rule_save(
        workspace=workspace,
        actor=owner,
        name="Links",
        priority=1,
        conditions={"has_link": True},
        actions=[{"kind": "review"}],
        rule=rule,
    )
    assert rule.enabled is False
    assert rule.dry_run_at is None


def test_rules_need_conditions_and_known_actions(workspace, owner):
    with pytest.raises(ValidationError):
        services.rule_save(
            workspace=workspace,
            actor=owner,
            name="x",
            priority=1,
            conditions={},
            actions=[{"kind": "hide"}],
        )
    with pytest.raises(ValidationError):
        services.rule_save(
            workspace=workspace,
            actor=owner,
            name="x",
            priority=1,
            conditions={"has_link": True},
            actions=[{"kind": "delete"}],
        )


def test_a_rule_hides_spam_when_it_arrives_and_labels_it(workspace, owner, sandbox, connector):
    _rule(workspace, owner)
    account = sandbox.config["account"]
    SandboxIncoming.objects.create(
        account=account,
        network_id="sim-1",
        kind="comment",
        persona="spam",
        author_handle="deals4u.sim",
        author_name="Deals",
        text="Vinn! https://spam.example",
        arrives_at=NOW,
    )
    (item,) = services.inbox_read_channel(channel=sandbox, connector=connector, now=NOW)
    item.refresh_from_db()
    assert item.hidden_at is not None
    assert item.conversation.label_list == ["spam"]
    assert SandboxIncoming.objects.get(network_id="sim-1").hidden is True
    action = ModerationAction.objects.get(item=item, kind="hide")
    assert action.rule is not None


def test_a_rule_never_hides_criticism(workspace, owner, sandbox, connector):
    from varde.inbox import triage
    from varde.inbox.triage import Verdict

    _rule(workspace, owner)
    installed = triage.set_classifier(
        lambda pairs: [Verdict(TriageClass.COMPLAINT, "says the service is bad") for _ in pairs]
    )
    try:
        SandboxIncoming.objects.create(
            account=sandbox.config["account"],
            network_id="sim-2",
            kind="comment",
            persona="complaint",
            author_handle="kari.sim",
            author_name="Kari",
            text="Dårlig service, se https://klage.example",
            arrives_at=NOW,
        )
        (item,) = services.inbox_read_channel(channel=sandbox, connector=connector, now=NOW)
    finally:
        triage.set_classifier(installed)
    item.refresh_from_db()
    assert item.triage_class == TriageClass.COMPLAINT
    assert item.triage_reason == "says the service is bad"
    assert item.hidden_at is None
    assert SandboxIncoming.objects.get(network_id="sim-2").hidden is False
    assert AuditEvent.objects.filter(action="inbox.hide_refused").exists()


def test_a_rule_does_not_hide_an_unclassified_negative_item(sandbox, owner):
    item = arrive(sandbox, text="x", sentiment="negative")
    with pytest.raises(services.CriticismRefusedError):
        services.item_hide(item=item, actor=None, rule_id=1)
    # A person may: only the complaint class stops a person.
    assert services.hide_refusal(item) == ""


def test_a_network_without_hiding_says_so(workspace, owner):
    from varde.channels.services import channel_connect
    from varde.connectors.contracts import Credentials

    channel = channel_connect(
        workspace=workspace,
        connector_key="mastodon",
        label="Masto",
        handle="@a@m.example",
        credentials=Credentials(access_token="t"),
        config={"instance_url": "https://m.example"},
    )
    item = arrive(channel, text="spam", triage_class=TriageClass.SPAM)
    with pytest.raises(services.HideNotPossibleError) as error:
        services.item_hide(item=item, actor=owner)
    assert "has no way to hide" in " ".join(error.value.messages)


def test_escalation_tells_the_owners(workspace, owner, sandbox):
    item = arrive(sandbox, text="Jeg klager", triage_class=TriageClass.COMPLAINT)
    services.item_escalate(item=item, actor=owner, note="Svar i dag")
    assert Notification.objects.filter(user=owner, kind="inbox.escalated").exists()


def test_vip_list_in_a_rule(workspace, owner, sandbox):
    services.author_entry_add(workspace=workspace, kind="vip", handle="@kari.sim", actor=owner)
    rule = services.rule_save(
        workspace=workspace,
        actor=owner,
        name="VIP",
        priority=1,
        conditions={"author_list": "vip"},
        actions=[{"kind": "label", "label": "vip"}],
    )
    services.rule_dry_run(rule=rule, now=NOW)
    services.rule_set_enabled(rule=rule, enabled=True, actor=owner)
    item = arrive(sandbox, handle="kari.sim")
    services.moderation_apply_rules(items=[item])
    item.conversation.refresh_from_db()
    assert item.conversation.label_list == ["vip"]
