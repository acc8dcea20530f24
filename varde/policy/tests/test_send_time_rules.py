"""The engine keeps each workspace's rules between sends (``varde.policy.rules``); a change to
any of them, by any path, applies to the very next send."""

from __future__ import annotations

import pytest
import time_machine

from varde.accounts.models import Membership
from varde.accounts.roles import Role
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.policy.choices import SignatureRule
from varde.policy.models import GuardSettings
from varde.policy.rules import rules_for_send
from varde.policy.services import guard_settings_save
from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState, FailureKind
from varde.publishing.tests.conftest import NOON
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.models import (
    HashtagRule,
    HashtagUse,
    Network,
    StrategyPlan,
    TermRule,
    TermSeverity,
)
from varde.strategy.tests.factories import ChannelFactory, PersonFactory

pytestmark = pytest.mark.django_db
W = "test-worker"


@pytest.fixture
def channel(workspace, owner):
    """A sandbox channel that stands in for Instagram, so the plan's Instagram rows apply."""
    channel = sandbox_channel_create(workspace=workspace, label="Sandbox A", actor=owner)
    channel.config = {**channel.config, "plan_network": Network.INSTAGRAM}
    channel.save()
    return channel


def scheduled(workspace, author, channel, text):
    post = post_create(
        workspace=workspace, author=author, text=text, approval_state=ApprovalState.APPROVED
    )
    return services.delivery_schedule(post=post, channel=channel, at=NOON, actor=author)


def send_next():
    with time_machine.travel(NOON, tick=False):
        assert engine.publish_one(worker=W)


def outcome(delivery):
    delivery.refresh_from_db()
    return delivery.state, delivery.failure_kind


# --- The kept rules ---------------------------------------------------------------------------


def _add_term(ws, editor):
    TermRule.objects.create(workspace=ws, term="gratis", severity=TermSeverity.BLOCK)


def _make_term_block(ws, editor):
    TermRule.objects.filter(workspace=ws).update(severity=TermSeverity.BLOCK)


def _reword_term(ws, editor):
    TermRule.objects.filter(workspace=ws).update(term="billig")


def _delete_term(ws, editor):
    TermRule.objects.filter(workspace=ws).delete()


def _avoid_hashtag(ws, editor):
    HashtagRule.objects.create(workspace=ws, tag="sale", use=HashtagUse.AVOID)


def _require_hashtag_check(ws, editor):
    StrategyPlan.objects.update_or_create(workspace=ws, defaults={"require_hashtag_check": False})


def _require_signature(ws, editor):
    GuardSettings.objects.create(workspace=ws, signature=SignatureRule.BLOCK)


def _name_a_publisher(ws, editor):
    ChannelFactory(workspace=ws, network=Network.INSTAGRAM).publishers.add(
        PersonFactory(workspace=ws, name="Ola")
    )


def _rename_plan_channel(ws, editor):
    ChannelFactory(workspace=ws, network=Network.INSTAGRAM, name="@acme")


def _promote_member(ws, editor):
    Membership.objects.filter(workspace=ws, user=editor).update(role=Role.ADMIN)


def _rename_member(ws, editor):
    type(editor).objects.filter(pk=editor.pk).update(full_name="Ingrid Berg")


@pytest.mark.parametrize(
    "change",
    [
        _add_term,
        _make_term_block,
        _reword_term,
        _delete_term,
        _avoid_hashtag,
        _require_hashtag_check,
        _require_signature,
        _name_a_publisher,
        _rename_plan_channel,
        _promote_member,
        _rename_member,
    ],
)
def test_kept_rules_are_read_again_after_any_change(workspace, editor, change):
    TermRule.objects.create(workspace=workspace, term="gratis", severity=TermSeverity.WARN)
    StrategyPlan.objects.create(workspace=workspace, require_hashtag_check=True)
    kept = rules_for_send(workspace)
    assert rules_for_send(workspace) is kept  # unchanged: the same rules, not read again

    # Each change is made straight in the database, past every service: the stamp reads the
    # rows themselves, so no write path can forget to announce a change.
    change(workspace, editor)
    assert rules_for_send(workspace) is not kept


def test_the_stamp_is_one_statement(workspace, django_assert_num_queries):
    rules_for_send(workspace)
    with django_assert_num_queries(1):
        rules_for_send(workspace)


# --- Through the engine -----------------------------------------------------------------------


def test_a_banned_term_added_between_two_sends_stops_the_next_one(workspace, editor, channel):
    first = scheduled(workspace, editor, channel, "Alt er gratis i dag")
    second = scheduled(workspace, editor, channel, "Gratis kaffe hele uka")
    send_next()
    assert outcome(first) == (DeliveryState.PUBLISHED, "")

    TermRule.objects.create(workspace=workspace, term="gratis", severity=TermSeverity.BLOCK)
    send_next()
    assert outcome(second) == (DeliveryState.FAILED, FailureKind.POLICY)


def test_a_warning_made_a_block_stops_the_next_send(workspace, editor, channel):
    TermRule.objects.create(workspace=workspace, term="billigst", severity=TermSeverity.WARN)
    first = scheduled(workspace, editor, channel, "Vi er billigst")
    second = scheduled(workspace, editor, channel, "Fortsatt billigst")
    send_next()
    assert outcome(first) == (DeliveryState.PUBLISHED, "")

    TermRule.objects.filter(workspace=workspace).update(severity=TermSeverity.BLOCK)
    send_next()
    assert outcome(second) == (DeliveryState.FAILED, FailureKind.POLICY)


def test_a_rule_removed_lets_the_next_post_go(workspace, editor, channel):
    TermRule.objects.create(workspace=workspace, term="gratis", severity=TermSeverity.BLOCK)
    first = scheduled(workspace, editor, channel, "Alt er gratis i dag")
    second = scheduled(workspace, editor, channel, "Gratis kaffe hele uka")
    send_next()
    assert outcome(first) == (DeliveryState.FAILED, FailureKind.POLICY)

    TermRule.objects.filter(workspace=workspace).delete()
    send_next()
    assert outcome(second) == (DeliveryState.PUBLISHED, "")


def test_the_plan_naming_who_may_publish_stops_the_next_send(workspace, editor, channel):
    first = scheduled(workspace, editor, channel, "Hei")
    second = scheduled(workspace, editor, channel, "Hei igjen")
    send_next()
    assert outcome(first) == (DeliveryState.PUBLISHED, "")

    ChannelFactory(workspace=workspace, network=Network.INSTAGRAM).publishers.add(
        PersonFactory(workspace=workspace, name="Ola")
    )
    send_next()
    assert outcome(second) == (DeliveryState.FAILED, FailureKind.POLICY)


def test_a_settings_change_stops_the_next_send(workspace, owner, editor, channel):
    first = scheduled(workspace, editor, channel, "Hei")
    second = scheduled(workspace, editor, channel, "Hei igjen")
    send_next()
    assert outcome(first) == (DeliveryState.PUBLISHED, "")

    guard_settings_save(
        workspace=workspace,
        actor=owner,
        signature=SignatureRule.BLOCK,
        alt_text_required=False,
        avoided_hashtag_blocks=True,
        extra_disclosure_words="",
    )
    send_next()
    assert outcome(second) == (DeliveryState.FAILED, FailureKind.POLICY)
