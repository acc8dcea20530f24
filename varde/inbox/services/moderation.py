"""Moderation: hiding (through the network's own API), labels, assignment, escalation and
"reviewed", by a person or by the workspace's rules — each recorded as a ``ModerationAction``
and in the audit log, and each undoable.

Criticism is never hidden or deleted (``inbox.moderation.criticism_reason``): every path that
hides — a person in the app, the command line, a rule — goes through ``item_hide``, which
refuses with the reason and points to answering or escalating instead.

Network calls run outside any transaction; the record is written after the network said yes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as account_selectors
from varde.accounts.services import audit_record
from varde.channels import selectors as channel_selectors
from varde.connectors.capabilities import Capability
from varde.connectors.errors import ConnectorError
from varde.connectors.registry import UnknownConnectorError
from varde.inbox.choices import AuthorListKind, ModerationKind
from varde.inbox.models import AuthorEntry, InboxItem, ModerationAction, ModerationRule
from varde.inbox.moderation import ACTIONS, CONDITIONS, Facts, criticism_reason, matches
from varde.inbox.services.conversations import (
    conversation_assign,
    conversation_label,
    conversation_url,
)
from varde.inbox.services.escalation import playbook_people
from varde.inbox.services.people import round_robin_next
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.connectors.base import Connector

DRY_RUN_DAYS = 30
DRY_RUN_MAX_ITEMS = 20_000
DRY_RUN_SAMPLE = 20


class CriticismRefusedError(ValidationError):
    """A hide on criticism: refused, with the reason and what to do instead."""


class HideNotPossibleError(ValidationError):
    """The network cannot hide this item, or said no; the message says which."""


# --- Hiding ---------------------------------------------------------------------------------


def hide_refusal(item: InboxItem, *, by_rule: bool = False) -> str:
    """Why hiding this item is refused under the criticism rule, or ""."""
    return criticism_reason(
        triage_class=item.triage_class, sentiment=item.sentiment, by_rule=by_rule
    )


def _connector_of(item: InboxItem) -> Connector:
    if item.channel is None:
        raise HideNotPossibleError(
            _("This came from listening, not from a connected channel: Varde cannot hide it.")
        )
    try:
        connector = channel_selectors.connector_for(item.channel)
    except UnknownConnectorError as error:
        raise HideNotPossibleError(_("This network is no longer installed.")) from error
    if not connector.supports(Capability.HIDE):
        raise HideNotPossibleError(
            _("%(network)s has no way to hide a reply through its API: open it on the network.")
            % {"network": connector.label}
        )
    return connector


def item_hide(
    *,
    item: InboxItem,
    actor: User | None,
    rule_id: int | None = None,
    connector: Connector | None = None,
    now: dt.datetime | None = None,
) -> ModerationAction:
    """Hide the item on the network (and in Varde). Raises ``CriticismRefusedError`` for
    criticism, ``HideNotPossibleError`` when the network cannot or will not."""
    refusal = hide_refusal(item, by_rule=rule_id is not None)
    if refusal:
        audit_record(
            action="inbox.hide_refused",
            workspace=item.workspace,
            actor=actor,
            target=item,
            detail={"reason": refusal, "rule": rule_id, "class": item.triage_class},
        )
        raise CriticismRefusedError(refusal, code="criticism")
    if item.hidden_at is not None:
        raise HideNotPossibleError(_("This is already hidden."))
    connector = connector if connector is not None else _connector_of(item)
    if not connector.supports(Capability.HIDE):
        raise HideNotPossibleError(
            _("%(network)s has no way to hide a reply through its API: open it on the network.")
            % {"network": connector.label}
        )
    try:
        connector.hide(item.network_id)
    except ConnectorError as error:
        raise HideNotPossibleError(
            _("The network did not hide it: %(error)s") % {"error": error}
        ) from error
    return _record_hidden(item=item, actor=actor, rule_id=rule_id, now=now or timezone.now())


@transaction.atomic
def _record_hidden(
    *, item: InboxItem, actor: User | None, rule_id: int | None, now: dt.datetime
) -> ModerationAction:
    item.hidden_at = now
    item.save(update_fields=["hidden_at"])
    audit_record(
        action="inbox.hidden",
        workspace=item.workspace,
        actor=actor,
        target=item,
        detail={"rule": rule_id, "class": item.triage_class},
    )
    return ModerationAction.objects.create(
        workspace=item.workspace,
        item=item,
        kind=ModerationKind.HIDE,
        rule_id=rule_id,
        actor=actor,
        before={"hidden": False},
        after={"hidden": True},
        created_at=now,
    )


def _unhide(item: InboxItem) -> None:
    connector = _connector_of(item)
    try:
        connector.unhide(item.network_id)
    except ConnectorError as error:
        raise HideNotPossibleError(
            _("The network did not show it again: %(error)s") % {"error": error}
        ) from error
    item.hidden_at = None
    item.save(update_fields=["hidden_at"])


# --- Reviewed, escalated ---------------------------------------------------------------------


@transaction.atomic
def item_mark_reviewed(
    *, item: InboxItem, actor: User | None, rule_id: int | None = None
) -> ModerationAction | None:
    if item.reviewed_at is not None:
        return None
    now = timezone.now()
    item.reviewed_at = now
    item.save(update_fields=["reviewed_at"])
    audit_record(
        action="inbox.reviewed",
        workspace=item.workspace,
        actor=actor,
        target=item,
        detail={"rule": rule_id},
    )
    return ModerationAction.objects.create(
        workspace=item.workspace,
        item=item,
        kind=ModerationKind.REVIEW,
        rule_id=rule_id,
        actor=actor,
        after={"reviewed": True},
        created_at=now,
    )


def _escalation_people(workspace: Workspace, user_ids: Sequence[int]) -> list[User]:
    """The people a rule names; else the playbook's (its escalation steps' people, else the
    owners and admins: ``services.escalation.playbook_people``)."""
    if user_ids:
        wanted = set(user_ids)
        members = account_selectors.member_users(workspace=workspace)
        return [user for user in members if user.pk in wanted]
    return playbook_people(workspace)


@transaction.atomic
def item_escalate(
    *,
    item: InboxItem,
    actor: User | None,
    user_ids: Sequence[int] = (),
    note: str = "",
    rule_id: int | None = None,
) -> ModerationAction:
    """Tell the people the rule or the playbook names (else the owners and admins)."""
    people = _escalation_people(item.workspace, user_ids)
    conversation = item.conversation
    notify(
        users=people,
        workspace=item.workspace,
        kind="inbox.escalated",
        text=Message(
            gettext_lazy("Escalated to you: %(person)s wrote “%(text)s”. %(note)s"),
            {
                "person": item.author_name or item.author_handle,
                "text": item.text[:200],
                "note": note,
            },
        ),
        url=conversation_url(conversation) if conversation is not None else "",
    )
    audit_record(
        action="inbox.escalated",
        workspace=item.workspace,
        actor=actor,
        target=item,
        detail={"to": [user.pk for user in people], "rule": rule_id, "note": note},
    )
    return ModerationAction.objects.create(
        workspace=item.workspace,
        item=item,
        kind=ModerationKind.ESCALATE,
        rule_id=rule_id,
        actor=actor,
        after={"to": [user.pk for user in people]},
        note=note[:500],
        created_at=timezone.now(),
    )


# --- Undo ------------------------------------------------------------------------------------


def moderation_undo(*, action: ModerationAction, actor: User) -> ModerationAction:
    """Undo one action: show a hidden item again (on the network too), remove or put back a
    label, give back the previous assignee, un-review, restore the class. An escalation's
    message was already sent: undoing it only records that it is withdrawn."""
    if action.undone_at is not None:
        raise ValidationError(_("This was already undone."))
    item = action.item
    conversation = item.conversation
    if action.kind == ModerationKind.HIDE:
        _unhide(item)
    elif action.kind == ModerationKind.LABEL and conversation is not None:
        label = str(action.before.get("label", ""))
        had = bool(action.before.get("had"))
        conversation_label(conversation=conversation, label=label, add=had, actor=actor)
    elif action.kind == ModerationKind.ASSIGN and conversation is not None:
        before_id = action.before.get("assignee_id")
        previous = (
            account_selectors.member_users(workspace=item.workspace).filter(pk=before_id).first()
            if before_id
            else None
        )
        conversation_assign(conversation=conversation, assignee=previous, actor=actor)
    elif action.kind == ModerationKind.REVIEW:
        item.reviewed_at = None
        item.save(update_fields=["reviewed_at"])
    elif action.kind == ModerationKind.CLASSIFY:
        item.triage_class = action.before.get("triage_class")
        corrected_by = action.before.get("corrected_by")
        item.triage_corrected_by_id = int(corrected_by) if corrected_by else None
        item.save(update_fields=["triage_class", "triage_corrected_by"])
    with transaction.atomic():
        action.undone_at = timezone.now()
        action.save(update_fields=["undone_at"])
        audit_record(
            action="inbox.undone",
            workspace=item.workspace,
            actor=actor,
            target=item,
            detail={"undid": action.kind, "action": action.pk},
        )
    return action


# --- Rules -----------------------------------------------------------------------------------


def _clean_conditions(conditions: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in conditions.items():
        if key not in CONDITIONS:
            raise ValidationError(_("Unknown condition: %(key)s") % {"key": key})
        if value in (None, "", [], False):
            continue
        clean[key] = value
    if not clean:
        raise ValidationError(_("A rule needs at least one condition."))
    return clean


def _clean_actions(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for action in actions:
        kind = str(action.get("kind", ""))
        if kind not in ACTIONS:
            raise ValidationError(_("Unknown action: %(kind)s") % {"kind": kind})
        if kind == "label" and not str(action.get("label", "")).strip():
            raise ValidationError(_("A label action needs the label."))
        if kind == "assign" and not (action.get("user_id") or action.get("user_ids")):
            raise ValidationError(_("An assign action needs the person."))
        clean.append(dict(action))
    if not clean:
        raise ValidationError(_("A rule needs at least one action."))
    return clean


@transaction.atomic
def rule_save(
    *,
    workspace: Workspace,
    actor: User | None,
    name: str,
    priority: int,
    conditions: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]],
    rule: ModerationRule | None = None,
) -> ModerationRule:
    """Create or change a rule. A changed rule is switched off until a new dry run."""
    name = name.strip()[:120]
    if not name:
        raise ValidationError(_("Name the rule."))
    if rule is None:
        rule = ModerationRule(workspace=workspace, created_at=timezone.now())
    rule.name = name
    rule.priority = max(0, int(priority))
    rule.conditions = _clean_conditions(conditions)
    rule.actions = _clean_actions(actions)
    rule.enabled = False
    rule.dry_run_at = None
    rule.dry_run_matches = None
    rule.save()
    audit_record(
        action="inbox.rule_saved",
        workspace=workspace,
        actor=actor,
        target=rule,
        detail={"conditions": rule.conditions, "actions": rule.actions},
    )
    return rule


@dataclass(frozen=True)
class DryRun:
    matches: int
    checked: int
    sample: tuple[InboxItem, ...]
    # Items it would hide but the criticism rule stops.
    refused: int


def _author_lists(workspace: Workspace) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for handle, kind in AuthorEntry.objects.filter(workspace=workspace).values_list(
        "handle", "kind"
    ):
        found.setdefault(handle.casefold(), set()).add(kind)
    return {handle: frozenset(kinds) for handle, kinds in found.items()}


def _facts(item: InboxItem, lists: Mapping[str, frozenset[str]]) -> Facts:
    return Facts(
        text=item.text,
        kind=item.kind,
        language=item.language,
        triage_class=item.triage_class,
        sentiment=item.sentiment,
        author_lists=lists.get(item.author_handle.casefold(), frozenset()),
    )


def rule_dry_run(*, rule: ModerationRule, now: dt.datetime | None = None) -> DryRun:
    """What the rule would have matched over the last 30 days; recorded on the rule, which
    may then be switched on."""
    now = now or timezone.now()
    lists = _author_lists(rule.workspace)
    items = InboxItem.objects.filter(
        workspace=rule.workspace, created_at__gte=now - dt.timedelta(days=DRY_RUN_DAYS)
    ).order_by("-created_at", "-id")[:DRY_RUN_MAX_ITEMS]
    matched: list[InboxItem] = []
    checked = 0
    for item in items.iterator(chunk_size=2000):
        checked += 1
        if matches(rule.conditions, _facts(item, lists)):
            matched.append(item)
    hides = any(action.get("kind") == "hide" for action in rule.actions)
    refused = sum(1 for item in matched if hides and hide_refusal(item, by_rule=True))
    ModerationRule.objects.filter(pk=rule.pk).update(dry_run_at=now, dry_run_matches=len(matched))
    rule.dry_run_at, rule.dry_run_matches = now, len(matched)
    return DryRun(
        matches=len(matched),
        checked=checked,
        sample=tuple(matched[:DRY_RUN_SAMPLE]),
        refused=refused,
    )


@transaction.atomic
def rule_set_enabled(*, rule: ModerationRule, enabled: bool, actor: User | None) -> ModerationRule:
    if enabled and rule.dry_run_at is None:
        raise ValidationError(
            _("Try the rule on the last 30 days first (dry run), then switch it on.")
        )
    rule.enabled = enabled
    rule.save(update_fields=["enabled"])
    audit_record(
        action="inbox.rule_enabled" if enabled else "inbox.rule_disabled",
        workspace=rule.workspace,
        actor=actor,
        target=rule,
    )
    return rule


@transaction.atomic
def rule_delete(*, rule: ModerationRule, actor: User | None) -> None:
    audit_record(action="inbox.rule_deleted", workspace=rule.workspace, actor=actor, target=rule)
    rule.delete()


def _assignee_for(action: Mapping[str, Any], item: InboxItem, rule: ModerationRule) -> User | None:
    """The one person the action names, or the next in turn of several (round-robin)."""
    if action.get("user_ids"):
        return round_robin_next(rule=rule, user_ids=[int(pk) for pk in action["user_ids"]])
    people = account_selectors.member_users(workspace=item.workspace).filter(
        pk=int(action.get("user_id") or 0)
    )
    return people.first()


def _apply_action(
    action: Mapping[str, Any], item: InboxItem, rule: ModerationRule, connector: Connector | None
) -> None:
    kind = action.get("kind")
    conversation = item.conversation
    if kind == "hide":
        try:
            item_hide(item=item, actor=None, rule_id=rule.pk, connector=connector)
        except CriticismRefusedError:
            pass  # recorded in the audit log by item_hide; the item stays for a person
        except HideNotPossibleError as error:
            audit_record(
                action="inbox.hide_failed",
                workspace=item.workspace,
                target=item,
                detail={"rule": rule.pk, "reason": " ".join(error.messages)},
            )
    elif kind == "label" and conversation is not None:
        with contextlib.suppress(ValidationError):  # full of labels: the rule adds none
            conversation_label(
                conversation=conversation,
                label=str(action["label"]),
                add=True,
                actor=None,
                rule_id=rule.pk,
            )
    elif kind == "assign" and conversation is not None and conversation.assignee_id is None:
        assignee = _assignee_for(action, item, rule)
        if assignee is not None:
            conversation_assign(
                conversation=conversation, assignee=assignee, actor=None, rule_id=rule.pk
            )
    elif kind == "escalate":
        item_escalate(
            item=item,
            actor=None,
            user_ids=[int(pk) for pk in action.get("user_ids", [])],
            note=_("Rule: %(rule)s") % {"rule": rule.name},
            rule_id=rule.pk,
        )
    elif kind == "review":
        item_mark_reviewed(item=item, actor=None, rule_id=rule.pk)


def moderation_apply_rules(
    *, items: Iterable[InboxItem], connector: Connector | None = None
) -> int:
    """Run the workspace's switched-on rules over new items, in priority order. Each kind of
    action is applied once per item: the first rule that asks for it wins. Returns how many
    actions were applied."""
    items = list(items)
    if not items:
        return 0
    workspace_ids = {item.workspace_id for item in items}
    rules = list(
        ModerationRule.objects.filter(workspace_id__in=workspace_ids, enabled=True)
        .select_related("workspace")
        .order_by("priority", "id")
    )
    if not rules:
        return 0
    lists = {ws: _author_lists(rule.workspace) for rule in rules for ws in [rule.workspace_id]}
    applied = 0
    for item in items:
        done: set[str] = set()
        facts = _facts(item, lists.get(item.workspace_id, {}))
        for rule in rules:
            if rule.workspace_id != item.workspace_id or not matches(rule.conditions, facts):
                continue
            for action in rule.actions:
                kind = str(action.get("kind"))
                if kind in done:
                    continue
                done.add(kind)
                _apply_action(action, item, rule, connector)
                applied += 1
    return applied


# --- VIP and block lists ---------------------------------------------------------------------


def author_entry_add(
    *, workspace: Workspace, kind: str, handle: str, actor: User | None, note: str = ""
) -> AuthorEntry:
    if kind not in AuthorListKind.values:
        raise ValidationError(_("Choose the VIP list or the block list."))
    handle = handle.strip().lstrip("@")[:300]
    if not handle:
        raise ValidationError(_("Write the handle."))
    entry, _created = AuthorEntry.objects.get_or_create(
        workspace=workspace, kind=kind, handle=handle, defaults={"note": note[:200]}
    )
    audit_record(
        action="inbox.author_listed",
        workspace=workspace,
        actor=actor,
        detail={"kind": kind, "handle": handle},
    )
    return entry


def author_entry_remove(*, workspace: Workspace, entry_id: int, actor: User | None) -> bool:
    """Take a handle off the VIP or block list; False when the workspace has no such entry."""
    entry = AuthorEntry.objects.filter(workspace=workspace, pk=entry_id).first()
    if entry is None:
        return False
    audit_record(
        action="inbox.author_unlisted",
        workspace=workspace,
        actor=actor,
        detail={"kind": entry.kind, "handle": entry.handle},
    )
    entry.delete()
    return True
