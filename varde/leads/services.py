"""Every change to a lead happens here: creating, moving, noting, linking, merging.

Each change writes a line on the lead's timeline (``LeadEvent``) and one in the audit log, in
the same transaction. Hand-offs to a CRM are in ``handoff.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as account_selectors
from varde.accounts.services import audit_record
from varde.content import selectors as content_selectors
from varde.inbox import selectors as inbox_selectors
from varde.leads.choices import EventKind, RefKind, Stage
from varde.leads.models import Lead, LeadEvent, LeadSource
from varde.listening import selectors as listening_selectors
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

MAX_TEXT = 2000


def handle_key(handle: str) -> str:
    """The handle as duplicates are found: trimmed, without a leading "@", in lower case."""
    return handle.strip().lstrip("@").strip().lower()


@dataclass(frozen=True)
class Origin:
    """What a person engaged with, read from the inbox or listening, ready to become a lead."""

    ref_kind: RefKind
    ref_id: int | None
    handle: str
    name: str
    network: str
    url: str
    text: str
    at: dt.datetime
    post_id: int | None = None
    campaign_id: int | None = None


def origin_from_inbox_item(*, workspace: Workspace, item_id: int) -> Origin | None:
    item = inbox_selectors.inbox_items(workspace=workspace).filter(pk=item_id).first()
    if item is None:
        return None
    post_id = item.delivery.post_id if item.delivery is not None else None
    return Origin(
        ref_kind=RefKind.INBOX_ITEM,
        ref_id=item.pk,
        handle=item.author_handle or item.author_name,
        name=item.author_name,
        # An item a person sent from listening has no channel (docs/inbox.md).
        network=item.channel.connector_key if item.channel is not None else "",
        url=item.url,
        text=item.text[:MAX_TEXT],
        at=item.created_at,
        post_id=post_id,
        campaign_id=_campaign_of(workspace, post_id),
    )


def origin_from_mention(*, workspace: Workspace, mention_id: int) -> Origin | None:
    mentions = listening_selectors.mentions_filtered(
        workspace=workspace, wanted=listening_selectors.MentionFilter()
    )
    mention = mentions.filter(pk=mention_id).first()
    if mention is None:
        return None
    return Origin(
        ref_kind=RefKind.MENTION,
        ref_id=mention.pk,
        handle=mention.author_handle or mention.author_name,
        name=mention.author_name,
        network=mention.source_kind,
        url=mention.url,
        text=mention.text[:MAX_TEXT],
        at=mention.published_at,
    )


def _campaign_of(workspace: Workspace, post_id: int | None) -> int | None:
    if post_id is None:
        return None
    found = content_selectors.posts_in(workspace=workspace).filter(pk=post_id)
    campaign_id: int | None = found.values_list("campaign_id", flat=True).first()
    return campaign_id


def _event(
    lead: Lead,
    kind: EventKind,
    *,
    actor: User | None,
    text: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> LeadEvent:
    return LeadEvent.objects.create(
        workspace_id=lead.workspace_id,
        lead=lead,
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        text=text,
        detail=detail or {},
    )


def _check_owner(workspace: Workspace, owner: User | None) -> None:
    if owner is not None and not account_selectors.member_user_ids(
        workspace=workspace, among=[owner.pk]
    ):
        raise ValidationError(_("The owner must be a member of this workspace."))


def _check_campaign(workspace: Workspace, campaign_id: int | None) -> None:
    if campaign_id is not None and not (
        content_selectors.campaign_list(workspace=workspace).filter(pk=campaign_id).exists()
    ):
        raise ValidationError(_("That campaign is not in this workspace."))


def _source_from(lead: Lead, origin: Origin) -> LeadSource:
    return LeadSource.objects.create(
        lead=lead,
        ref_kind=origin.ref_kind,
        ref_id=origin.ref_id,
        url=origin.url,
        text=origin.text,
        post_id=origin.post_id,
        at=origin.at,
    )


def duplicates_of(*, workspace: Workspace, network: str, handle: str) -> list[Lead]:
    """Open (not merged) leads of the same person: same handle on the same network."""
    key = handle_key(handle)
    if not key:
        return []
    return list(
        Lead.objects.filter(
            workspace=workspace, network=network, handle_key=key, merged_into__isnull=True
        ).order_by("created_at", "id")
    )


@transaction.atomic
def lead_create(
    *,
    workspace: Workspace,
    actor: User | None,
    handle: str,
    network: str,
    name: str = "",
    origin: Origin | None = None,
    owner: User | None = None,
    stage: Stage = Stage.PROSPECT,
    note: str = "",
    value: Decimal | None = None,
    next_step: str = "",
    next_step_on: dt.date | None = None,
    campaign_id: int | None = None,
) -> Lead:
    """A new lead; ``origin`` is the inbox item or mention it came from, with its post and
    campaign. Duplicates are allowed here: the views find them first and offer to link or merge."""
    key = handle_key(handle)
    if not key:
        raise ValidationError(_("Give the person's handle."))
    if stage == Stage.LOST:
        raise ValidationError(_("A new lead cannot start as lost."))
    _check_owner(workspace, owner)
    if campaign_id is None and origin is not None:
        campaign_id = origin.campaign_id
    _check_campaign(workspace, campaign_id)
    now = timezone.now()
    lead = Lead.objects.create(
        workspace=workspace,
        handle=handle.strip().lstrip("@").strip(),
        handle_key=key,
        network=network.strip().lower(),
        name=name.strip(),
        owner=owner,
        stage=stage,
        value=value,
        next_step=next_step.strip(),
        next_step_on=next_step_on,
        campaign_id=campaign_id,
        post_id=origin.post_id if origin else None,
        lead_at=now if stage in (Stage.LEAD, Stage.CUSTOMER) else None,
        customer_at=now if stage == Stage.CUSTOMER else None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    detail: dict[str, Any] = {"stage": stage.value}
    if origin is not None:
        source = _source_from(lead, origin)
        detail |= {"ref_kind": source.ref_kind, "ref_id": source.ref_id, "url": source.url}
    _event(lead, EventKind.CREATED, actor=actor, detail=detail, at=now)
    if note.strip():
        _event(lead, EventKind.NOTE, actor=actor, text=note.strip(), at=now)
    audit_record(
        action="lead.created", workspace=workspace, actor=actor, target=lead, detail=detail
    )
    if owner is not None and owner != actor:
        _tell_owner(lead, owner)
    return lead


def _tell_owner(lead: Lead, owner: User) -> None:
    notify(
        users=[owner],
        workspace=lead.workspace,
        kind="leads.assigned",
        text=Message(gettext_lazy("You own the lead @%(handle)s now."), {"handle": lead.handle}),
        url=reverse("leads:detail", kwargs={"workspace": lead.workspace.slug, "lead_id": lead.pk}),
    )


@transaction.atomic
def lead_link(*, lead: Lead, origin: Origin, actor: User | None) -> LeadSource:
    """Add one more interaction (an inbox item or mention) to a lead's timeline."""
    source = _source_from(lead, origin)
    if lead.post_id is None and origin.post_id is not None:
        lead.post_id = origin.post_id
        if lead.campaign_id is None:
            lead.campaign_id = origin.campaign_id
    lead.updated_at = timezone.now()
    lead.save(update_fields=["post", "campaign", "updated_at"])
    detail = {"ref_kind": source.ref_kind, "ref_id": source.ref_id, "url": source.url}
    _event(lead, EventKind.LINKED, actor=actor, text=origin.text[:500], detail=detail)
    audit_record(
        action="lead.linked", workspace=lead.workspace, actor=actor, target=lead, detail=detail
    )
    return source


@transaction.atomic
def lead_move(*, lead: Lead, stage: Stage, actor: User | None, lost_reason: str = "") -> bool:
    """Move a lead to ``stage``; "lost" needs a reason. Returns False when it was there already."""
    stage = Stage(stage)
    reason = lost_reason.strip()
    if stage == Stage.LOST and not reason:
        raise ValidationError(_("Say why the lead was lost."))
    if lead.stage == stage and (stage != Stage.LOST or reason == lead.lost_reason):
        return False
    before = lead.stage
    now = timezone.now()
    lead.stage = stage
    lead.lost_reason = reason if stage == Stage.LOST else ""
    if stage in (Stage.LEAD, Stage.CUSTOMER) and lead.lead_at is None:
        lead.lead_at = now
    if stage == Stage.CUSTOMER and lead.customer_at is None:
        lead.customer_at = now
    lead.updated_at = now
    lead.save(update_fields=["stage", "lost_reason", "lead_at", "customer_at", "updated_at"])
    detail = {"from": before, "to": stage.value}
    if reason and stage == Stage.LOST:
        detail["reason"] = reason
    _event(lead, EventKind.STAGE, actor=actor, detail=detail, at=now)
    audit_record(
        action="lead.stage_changed",
        workspace=lead.workspace,
        actor=actor,
        target=lead,
        detail=detail,
    )
    return True


@transaction.atomic
def lead_note_add(*, lead: Lead, text: str, actor: User | None) -> LeadEvent:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write something in the note."))
    lead.updated_at = timezone.now()
    lead.save(update_fields=["updated_at"])
    event = _event(lead, EventKind.NOTE, actor=actor, text=text[: MAX_TEXT * 5])
    audit_record(action="lead.note_added", workspace=lead.workspace, actor=actor, target=lead)
    return event


_EDITABLE = ("name", "value", "next_step", "next_step_on", "campaign_id")


@transaction.atomic
def lead_update(
    *,
    lead: Lead,
    actor: User | None,
    name: str,
    owner: User | None,
    value: Decimal | None,
    next_step: str,
    next_step_on: dt.date | None,
    campaign_id: int | None,
) -> list[str]:
    """Change the details; returns the names of the fields that changed (each on the timeline)."""
    workspace = lead.workspace
    _check_owner(workspace, owner)
    _check_campaign(workspace, campaign_id)
    wanted: dict[str, Any] = {
        "name": name.strip(),
        "value": value,
        "next_step": next_step.strip(),
        "next_step_on": next_step_on,
        "campaign_id": campaign_id,
    }
    changed: dict[str, list[str]] = {}
    for field in _EDITABLE:
        old = getattr(lead, field)
        if old != wanted[field]:
            changed[field] = [_plain(old), _plain(wanted[field])]
            setattr(lead, field, wanted[field])
    owner_changed = lead.owner_id != (owner.pk if owner else None)
    if not changed and not owner_changed:
        return []
    lead.owner = owner
    lead.updated_at = timezone.now()
    lead.save()
    if changed:
        _event(lead, EventKind.EDITED, actor=actor, detail={"changes": changed})
    if owner_changed:
        _event(
            lead,
            EventKind.OWNER,
            actor=actor,
            detail={"to": owner.get_full_name() or owner.email if owner else ""},
        )
        if owner is not None and owner != actor:
            _tell_owner(lead, owner)
    fields = [*changed, *(["owner"] if owner_changed else [])]
    audit_record(
        action="lead.updated",
        workspace=workspace,
        actor=actor,
        target=lead,
        detail={"fields": fields},
    )
    return fields


def _plain(value: object) -> str:
    return "" if value is None else str(value)


_STAGE_RANK = {Stage.PROSPECT: 0, Stage.LOST: 0, Stage.LEAD: 1, Stage.CUSTOMER: 2}


@transaction.atomic
def lead_merge(*, keep: Lead, duplicate: Lead, actor: User | None) -> Lead:
    """Merge ``duplicate`` into ``keep``: both timelines and every linked interaction end up on
    ``keep``; the furthest stage, the earliest conversion times and any detail ``keep`` lacks
    are kept; ``duplicate`` stays, hidden, pointing at ``keep``."""
    if keep.pk == duplicate.pk or keep.workspace_id != duplicate.workspace_id:
        raise ValidationError(_("A lead can only be merged with another lead of this workspace."))
    if keep.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise ValidationError(_("One of these leads was merged already."))
    LeadEvent.objects.filter(lead=duplicate).update(lead=keep)
    LeadSource.objects.filter(lead=duplicate).update(lead=keep)
    if _STAGE_RANK[Stage(duplicate.stage)] > _STAGE_RANK[Stage(keep.stage)]:
        keep.stage = duplicate.stage
        keep.lost_reason = ""
    keep.lead_at = _earliest(keep.lead_at, duplicate.lead_at)
    keep.customer_at = _earliest(keep.customer_at, duplicate.customer_at)
    for field in ("name", "owner_id", "value", "next_step", "next_step_on", "campaign_id"):
        if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
            setattr(keep, field, getattr(duplicate, field))
    if keep.post_id is None:
        keep.post_id = duplicate.post_id
    now = timezone.now()
    keep.updated_at = now
    keep.save()
    duplicate.merged_into = keep
    duplicate.updated_at = now
    duplicate.save(update_fields=["merged_into", "updated_at"])
    detail = {"merged_lead": duplicate.pk, "handle": duplicate.handle}
    _event(keep, EventKind.MERGED, actor=actor, detail=detail, at=now)
    audit_record(
        action="lead.merged", workspace=keep.workspace, actor=actor, target=keep, detail=detail
    )
    return keep


def _earliest(first: dt.datetime | None, second: dt.datetime | None) -> dt.datetime | None:
    present = [moment for moment in (first, second) if moment is not None]
    return min(present) if present else None
