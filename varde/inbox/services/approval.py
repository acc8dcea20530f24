"""Reply approval, where the playbook asks for it (Inbox → Reply approval): replies in a
conversation with a complaint, or every reply by members of some roles.

The writer submits one to three candidate replies (``proposal_submit``); the owners and admins
are told. An approver — someone else with ``inbox.moderate`` — sees them side by side, picks
one and may edit it (``proposal_approve``): it is sent through ``reply_send``, the same path
as any reply, in the writer's name. Or they refuse them all with a note
(``proposal_refuse``). Either way the writer is told, and every candidate stays in the
history. This lives in the inbox, not in the approvals app, which sits above the inbox in the
layer contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as account_selectors
from varde.accounts.permissions import Perm, role_can
from varde.accounts.roles import Role
from varde.accounts.services import audit_record
from varde.inbox.choices import ProposalStatus, ReplyStatus
from varde.inbox.models import (
    Conversation,
    Reply,
    ReplyApprovalSettings,
    ReplyCandidate,
    ReplyProposal,
)
from varde.inbox.services.conversations import conversation_url
from varde.inbox.services.replies import (
    ReplyBlockedError,
    approval_reason,
    reply_problems,
    reply_send,
    signature_for,
    signed,
    with_mention,
)
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from collections.abc import Sequence

    from varde.accounts.models import User, Workspace
    from varde.connectors.base import Connector

MAX_CANDIDATES = 3


class ProposalError(ValidationError):
    """The proposal cannot be decided that way (already decided, own proposal, no right)."""


@transaction.atomic
def approval_settings_save(
    *, workspace: Workspace, complaints: bool, roles: Sequence[str], actor: User
) -> ReplyApprovalSettings:
    wanted = sorted({role for role in roles if role in Role.values})
    row, _created = ReplyApprovalSettings.objects.update_or_create(
        workspace=workspace, defaults={"complaints": complaints, "roles": wanted}
    )
    audit_record(
        action="inbox.reply_approval_changed",
        workspace=workspace,
        actor=actor,
        detail={"complaints": complaints, "roles": ", ".join(wanted)},
    )
    return row


def approvers_of(workspace: Workspace, *, besides: User | None) -> list[User]:
    """The members who may approve replies (``inbox.moderate``), the writer left out."""
    roles = account_selectors.member_roles(workspace=workspace)
    ids = [pk for pk, role in roles.items() if role_can(role, Perm.INBOX_MODERATE)]
    users = account_selectors.member_users(workspace=workspace).filter(pk__in=ids)
    return [user for user in users if besides is None or user.pk != besides.pk]


def may_approve(*, workspace: Workspace, user: User) -> bool:
    role = account_selectors.member_roles(workspace=workspace).get(user.pk, "")
    return bool(role) and role_can(role, Perm.INBOX_MODERATE)


def _candidate_texts(
    conversation: Conversation, writer: User, texts: Sequence[str], mode: str, sign: bool
) -> list[str]:
    signature = signature_for(workspace=conversation.workspace, user=writer) if sign else ""
    cleaned: list[str] = []
    for written in texts:
        text = with_mention(conversation, written.strip(), mode) if written.strip() else ""
        if sign and text:
            text = signed(text, signature)
        if text and text not in cleaned:
            cleaned.append(text)
    if not cleaned:
        raise ReplyBlockedError(_("Write at least one candidate reply."))
    if len(cleaned) > MAX_CANDIDATES:
        raise ReplyBlockedError(
            _("At most %(count)d candidate replies.") % {"count": MAX_CANDIDATES}
        )
    reasons = []
    for position, text in enumerate(cleaned, start=1):
        reasons += [
            _("Candidate %(number)d: %(reason)s") % {"number": position, "reason": reason}
            for reason in reply_problems(
                conversation=conversation, author=writer, text=text, mode=mode
            )
        ]
    if reasons:
        raise ReplyBlockedError(reasons)
    return cleaned


@transaction.atomic
def proposal_submit(
    *,
    conversation: Conversation,
    writer: User,
    texts: Sequence[str],
    mode: str,
    sign: bool = False,
) -> ReplyProposal:
    """Store the candidates (each already checked by the guard, as a reply would be) and tell
    the approvers. Raises ``ReplyBlockedError`` with the reasons when one may not go."""
    cleaned = _candidate_texts(conversation, writer, texts, mode, sign)
    if ReplyProposal.objects.filter(
        conversation=conversation, status=ProposalStatus.WAITING
    ).exists():
        raise ReplyBlockedError(
            _("Candidate replies already wait for approval in this conversation.")
        )
    proposal = ReplyProposal.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        writer=writer,
        mode=mode,
        reason=approval_reason(conversation=conversation, author=writer)[:300],
        created_at=timezone.now(),
    )
    ReplyCandidate.objects.bulk_create(
        ReplyCandidate(proposal=proposal, position=position, text=text)
        for position, text in enumerate(cleaned, start=1)
    )
    audit_record(
        action="inbox.reply_proposed",
        workspace=conversation.workspace,
        actor=writer,
        target=conversation,
        detail={"proposal": proposal.pk, "candidates": len(cleaned)},
    )
    notify(
        users=approvers_of(conversation.workspace, besides=writer),
        workspace=conversation.workspace,
        kind="inbox.reply_approval",
        text=Message(
            gettext_lazy(
                "%(writer)s asks you to approve a reply to %(person)s (%(count)d candidates)."
            ),
            {
                "writer": writer.full_name or writer.get_short_name(),
                "person": conversation.author_name or conversation.author_handle,
                "count": len(cleaned),
            },
        ),
        url=conversation_url(conversation),
    )
    return proposal


def _require_decidable(proposal: ReplyProposal, approver: User) -> None:
    if proposal.status != ProposalStatus.WAITING:
        raise ProposalError(_("These candidates were already decided."))
    if proposal.writer_id == approver.pk:
        raise ProposalError(_("You wrote these candidates: someone else approves them."))
    if not may_approve(workspace=proposal.workspace, user=approver):
        raise ProposalError(_("Only owners and admins approve replies."))


@transaction.atomic
def _claim(proposal: ReplyProposal, approver: User) -> ReplyProposal:
    """Mark it approved under a row lock, so two approvers cannot both send it."""
    locked = ReplyProposal.objects.select_for_update().get(pk=proposal.pk)
    _require_decidable(locked, approver)
    locked.status = ProposalStatus.APPROVED
    locked.decided_by = approver
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def proposal_approve(
    *,
    proposal: ReplyProposal,
    candidate_id: int,
    approver: User,
    text: str = "",
    connector: Connector | None = None,
) -> Reply:
    """Send the chosen candidate (edited when ``text`` differs) as the writer's reply."""
    _require_decidable(proposal, approver)
    candidate = proposal.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise ProposalError(_("Choose one of the candidates."))
    final = text.strip() or candidate.text
    conversation = proposal.conversation
    writer = proposal.writer or approver
    reasons = reply_problems(
        conversation=conversation, author=writer, text=final, mode=proposal.mode
    )
    if reasons:
        raise ReplyBlockedError(reasons)
    proposal = _claim(proposal, approver)
    candidate.chosen = True
    candidate.edited_text = final if final != candidate.text else ""
    candidate.save(update_fields=["chosen", "edited_text"])
    try:
        reply = reply_send(
            conversation=conversation,
            author=writer,
            text=final,
            mode=proposal.mode,
            connector=connector,
            approved=True,
        )
    except ReplyBlockedError:
        _unclaim(proposal, candidate)
        raise
    _approved(proposal, reply, approver, edited=bool(candidate.edited_text))
    return reply


@transaction.atomic
def _unclaim(proposal: ReplyProposal, candidate: ReplyCandidate) -> None:
    ReplyProposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.WAITING, decided_by=None, decided_at=None
    )
    ReplyCandidate.objects.filter(pk=candidate.pk).update(chosen=False, edited_text="")


@transaction.atomic
def _approved(proposal: ReplyProposal, reply: Reply, approver: User, *, edited: bool) -> None:
    proposal.reply = reply
    proposal.save(update_fields=["reply"])
    conversation = proposal.conversation
    audit_record(
        action="inbox.reply_approved",
        workspace=proposal.workspace,
        actor=approver,
        target=conversation,
        detail={"proposal": proposal.pk, "reply": reply.pk, "edited": edited},
    )
    if reply.status == ReplyStatus.FAILED:
        text = Message(
            gettext_lazy(
                "%(approver)s approved your reply to %(person)s, but the network did not take "
                "it: %(error)s"
            ),
            {
                "approver": approver.full_name or approver.get_short_name(),
                "person": conversation.author_name or conversation.author_handle,
                "error": reply.error[:300],
            },
        )
    else:
        text = Message(
            gettext_lazy("%(approver)s approved your reply to %(person)s; it is sent."),
            {
                "approver": approver.full_name or approver.get_short_name(),
                "person": conversation.author_name or conversation.author_handle,
            },
        )
    notify(
        users=[proposal.writer],
        workspace=proposal.workspace,
        kind="inbox.reply_decided",
        text=text,
        url=conversation_url(conversation),
    )


@transaction.atomic
def proposal_refuse(*, proposal: ReplyProposal, approver: User, note: str = "") -> ReplyProposal:
    """Refuse every candidate; they stay in the history with the note, and the writer is told."""
    locked = ReplyProposal.objects.select_for_update().get(pk=proposal.pk)
    _require_decidable(locked, approver)
    locked.status = ProposalStatus.REFUSED
    locked.decided_by = approver
    locked.decided_at = timezone.now()
    locked.note = note.strip()[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    conversation = locked.conversation
    audit_record(
        action="inbox.reply_refused",
        workspace=locked.workspace,
        actor=approver,
        target=conversation,
        detail={"proposal": locked.pk, "note": locked.note},
    )
    notify(
        users=[locked.writer],
        workspace=locked.workspace,
        kind="inbox.reply_decided",
        text=Message(
            gettext_lazy("%(approver)s did not approve your reply to %(person)s. %(note)s"),
            {
                "approver": approver.full_name or approver.get_short_name(),
                "person": conversation.author_name or conversation.author_handle,
                "note": locked.note,
            },
        ),
        url=conversation_url(conversation),
    )
    return locked
