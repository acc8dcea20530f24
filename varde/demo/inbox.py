"""The demo workspace's inbox: simulated people answer on its sandbox channel (labelled as
sandbox data), one conversation is assigned, and there are saved replies, a signature and a
moderation rule to try. Idempotent: a sandbox account that already heard from the simulated
people is left alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils import timezone

from varde.channels import selectors as channel_selectors
from varde.inbox import selectors as inbox_selectors
from varde.inbox.services import (
    conversation_assign,
    inbox_read_channel,
    rule_dry_run,
    rule_save,
    saved_reply_save,
    signature_set,
)
from varde.sandbox import selectors as sandbox_selectors
from varde.sandbox import services as sandbox_services

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

SAVED_REPLIES = (
    ("Takk", "Tusen takk, {first_name}! Så hyggelig å høre."),
    (
        "Vi ser på saken",
        "Hei {first_name}, beklager at det ble slik. Kan du sende ordrenummeret ({?ordrenummer}) "
        "i en privat melding, så ser vi på det i dag?",
    ),
    ("Åpningstider", "Hei {first_name}! Vi har åpent 10–18 på hverdager og 10–16 på lørdager."),
)


def demo_inbox_seed(*, workspace: Workspace, actor: User, users: Mapping[str, User]) -> None:
    now = timezone.now()
    for account, channel in sandbox_selectors.sandbox_accounts_of(workspace=workspace).items():
        if sandbox_selectors.sandbox_incoming_count(account=account):
            continue
        sandbox_services.sandbox_people_answer(
            account=account,
            now=now - dt.timedelta(hours=2),
            replies=5,
            mentions=2,
            messages=2,
            follows=2,
            spread_s=3600,
            seed=13,
        )
        inbox_read_channel(
            channel=channel, connector=channel_selectors.connector_for(channel), now=now
        )
    have = set(inbox_selectors.saved_replies_of(workspace=workspace).values_list("name", flat=True))
    for name, text in SAVED_REPLIES:
        if name not in have:
            saved_reply_save(workspace=workspace, name=name, text=text, actor=actor)
    signature_set(
        workspace=workspace, user=None, text="– {first_name}, Bryggen Sykkel", actor=actor
    )
    silje = users.get("silje")
    first = inbox_selectors.conversations_filtered(
        workspace=workspace, user=actor, filters=inbox_selectors.Filters(view="unassigned")
    ).first()
    if silje is not None and first is not None:
        conversation_assign(conversation=first, assignee=silje, actor=actor)
    if not inbox_selectors.rules_of(workspace=workspace).exists():
        rule = rule_save(
            workspace=workspace,
            actor=actor,
            name="Lenker til gevinster",
            priority=10,
            conditions={"words": ["gratis iphone", "earn", "click"], "has_link": True},
            actions=[{"kind": "hide"}, {"kind": "label", "label": "spam"}],
        )
        rule_dry_run(rule=rule, now=now)
