"""Escalation by Varde itself: when a response-time target is missed, and when listening
reports more negative mentions than usual (docs/inbox.md, "Escalation").

The people told are the playbook's: every person of the strategy's escalation steps who has a
Varde login in this workspace; without any, the workspace's owners and admins. They are told
through the one notification path (``inbox.escalated``), and each escalation is an
``Escalation`` row on the conversation and an audit event. A conversation is escalated once per
reason and clock start: the row's unique constraint holds that even when two workers run the
task in the same minute (the second insert fails and tells nobody).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as account_selectors
from varde.accounts.roles import Role
from varde.accounts.services import audit_record
from varde.inbox import sla
from varde.inbox.choices import ClockKind, EscalationReason, Sentiment
from varde.inbox.models import Conversation, Escalation
from varde.inbox.services.conversations import conversation_url
from varde.notifications.services import Message, notify
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

log = logging.getLogger(__name__)

# At most this many conversations escalated per workspace and run: a backlog is told over the
# next minutes rather than in one burst of mail.
PER_RUN = 200
REASON_OF_CLOCK = {
    ClockKind.FIRST: EscalationReason.FIRST,
    ClockKind.NEXT: EscalationReason.NEXT,
    ClockKind.RESOLUTION: EscalationReason.RESOLUTION,
}


def playbook_people(workspace: Workspace) -> list[User]:
    """The people of the playbook's escalation steps who are members here; else the owners
    and admins."""
    wanted = {
        step.person.user_id
        for step in strategy_selectors.playbook_for(workspace).steps
        if step.person is not None and step.person.user_id is not None
    }
    members = list(account_selectors.member_users(workspace=workspace).order_by("pk"))
    named = [user for user in members if user.pk in wanted]
    if named:
        return named
    roles = account_selectors.member_roles(workspace=workspace)
    return [user for user in members if roles.get(user.pk) in (Role.OWNER, Role.ADMIN)]


def _escalate(
    conversation: Conversation,
    *,
    reason: EscalationReason,
    since: dt.datetime,
    people: list[User],
    now: dt.datetime,
    alert_id: int | None = None,
) -> Escalation | None:
    """Record and tell, once; None when it was escalated for this already."""
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                workspace=conversation.workspace,
                conversation=conversation,
                reason=reason,
                since=since,
                notified=[user.pk for user in people],
                alert_id=alert_id,
                created_at=now,
            )
            notify(
                users=people,
                workspace=conversation.workspace,
                kind="inbox.escalated",
                text=Message(
                    gettext_lazy(
                        "Escalated to you: %(reason)s, in the conversation with %(person)s."
                    ),
                    {
                        "reason": reason.label,
                        "person": conversation.author_name or conversation.author_handle,
                    },
                ),
                url=conversation_url(conversation),
            )
            audit_record(
                action="inbox.auto_escalated",
                workspace=conversation.workspace,
                target=conversation,
                detail={
                    "reason": reason.value,
                    "to": [user.pk for user in people],
                    "since": since.isoformat(),
                    "alert": alert_id,
                },
            )
    except IntegrityError:
        return None  # escalated for this already (perhaps by another worker just now)
    return escalation


def escalate_overdue(*, workspace: Workspace, now: dt.datetime) -> int:
    """Escalate this workspace's open conversations whose clocks ran out; how many."""
    targets = sla.targets_of(workspace)
    overdue = sla.due_q(targets, now=now, share=1.0)
    if overdue is None:
        return 0
    rows = list(
        Conversation.objects.filter(workspace=workspace)
        .filter(overdue)
        .select_related("workspace")
        .order_by("last_item_at", "id")[:PER_RUN]
    )
    if not rows:
        return 0
    done = set(
        Escalation.objects.filter(conversation__in=rows).values_list(
            "conversation_id", "reason", "since"
        )
    )
    responses = sla.clocks_for(workspace=workspace, conversations=rows, now=now, targets=targets)
    resolutions = sla.resolution_clocks_for(conversations=rows, now=now, targets=targets)
    people = playbook_people(workspace)
    made = 0
    for conversation in rows:
        for clock in (responses.get(conversation.pk), resolutions.get(conversation.pk)):
            if clock is None or clock.state != sla.ClockState.OVERDUE or clock.since is None:
                continue
            reason = REASON_OF_CLOCK[clock.kind]
            if (conversation.pk, reason.value, clock.since) in done:
                continue
            if _escalate(conversation, reason=reason, since=clock.since, people=people, now=now):
                made += 1
    return made


def escalations_run(*, now: dt.datetime | None = None) -> int:
    """Every workspace with open conversations: escalate what ran out (the worker calls this
    every few minutes)."""
    now = now or timezone.now()
    slugs = (
        Conversation.objects.filter(state__in=sla.OPEN_STATES)
        .order_by()
        .values_list("workspace__slug", flat=True)
        .distinct()
    )
    made = 0
    for slug in list(slugs):
        workspace = account_selectors.workspace_by_slug(slug)
        if workspace is not None:
            made += escalate_overdue(workspace=workspace, now=now)
    return made


def escalate_negative(
    *, workspace: Workspace, alert_id: int, now: dt.datetime | None = None
) -> int:
    """Listening reports more negative mentions: open conversations with a negative item are
    escalated to the playbook's people, once per conversation while it stays open."""
    now = now or timezone.now()
    rows = list(
        Conversation.objects.filter(
            workspace=workspace,
            state__in=sla.OPEN_STATES,
            items__sentiment=Sentiment.NEGATIVE,
        )
        .distinct()
        .select_related("workspace")
        .order_by("-last_item_at", "-id")[:PER_RUN]
    )
    if not rows:
        return 0
    people = playbook_people(workspace)
    made = 0
    for conversation in rows:
        since = conversation.opened_at or conversation.created_at
        if _escalate(
            conversation,
            reason=EscalationReason.NEGATIVE_SPIKE,
            since=since,
            people=people,
            now=now,
            alert_id=alert_id,
        ):
            made += 1
    return made
