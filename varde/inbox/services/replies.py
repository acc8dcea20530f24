"""Answering from Varde: a public reply in the thread or a private message, chosen
explicitly, signed by the person when the workspace asks, checked by the policy guard, sent
through the channel's connector. A reply that fails keeps its text and says why.

The network is called outside any transaction: the reply row is stored first (``sending``),
then marked ``sent`` or ``failed``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.accounts.roles import Role
from varde.accounts.services import audit_record
from varde.channels import selectors as channel_selectors
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import PublishRequest
from varde.connectors.errors import AuthExpired, ConnectorError, OutcomeUnknown
from varde.connectors.registry import UnknownConnectorError
from varde.inbox.choices import (
    ConversationState,
    ItemKind,
    ReplyMode,
    ReplyStatus,
    TriageClass,
)
from varde.inbox.models import (
    Conversation,
    InboxItem,
    Reply,
    ReplyApprovalSettings,
    SavedReply,
    Signature,
)
from varde.policy import guard
from varde.policy import selectors as policy_selectors
from varde.policy.choices import SignatureRule

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.connectors.base import Connector

# A prompted field in a saved reply: "{?order number}" — the person fills it in.
PROMPTED = re.compile(r"\{\?([^{}]{1,60})\}")
VARIABLES = ("name", "first_name", "handle", "me", "my_first_name", "channel")


class ReplyBlockedError(ValidationError):
    """The reply was not sent (guard, mode, missing field); the text is kept by the caller."""


# --- Signatures ------------------------------------------------------------------------------


def signature_required(workspace: Workspace) -> bool:
    return policy_selectors.guard_settings_for(workspace).signature != SignatureRule.OFF


def signature_for(*, workspace: Workspace, user: User) -> str:
    """The person's own signature, else the workspace's with {name}/{first_name} filled in,
    else "– first name"."""
    rows = {
        row.user_id: row.text
        for row in Signature.objects.filter(
            Q(user=user) | Q(user__isnull=True), workspace=workspace
        )
    }
    template = rows.get(user.pk) or rows.get(None) or "– {first_name}"
    return template.replace("{first_name}", user.get_short_name()).replace(
        "{name}", user.full_name or user.get_short_name()
    )


@transaction.atomic
def signature_set(*, workspace: Workspace, user: User | None, text: str, actor: User) -> None:
    """Set (or with an empty text, remove) a person's signature, or the workspace's (None)."""
    text = text.strip()[:200]
    rows = Signature.objects.filter(workspace=workspace)
    rows = rows.filter(user=user) if user is not None else rows.filter(user__isnull=True)
    if not text:
        rows.delete()
    elif not rows.update(text=text):
        Signature.objects.create(workspace=workspace, user=user, text=text)
    audit_record(
        action="inbox.signature_set",
        workspace=workspace,
        actor=actor,
        detail={"user": user.pk if user else None, "text": text},
    )


def signed(text: str, signature: str) -> str:
    if signature and signature.strip() not in text:
        return f"{text.rstrip()}\n{signature}"
    return text


# --- Saved replies ---------------------------------------------------------------------------


def saved_reply_render(
    *, saved: SavedReply, conversation: Conversation, user: User
) -> tuple[str, list[str]]:
    """The text with the variables filled in, and the prompted fields left to fill."""
    name = conversation.author_name or conversation.author_handle
    values = {
        "name": name,
        "first_name": name.split()[0] if name.split() else name,
        "handle": f"@{conversation.author_handle}" if conversation.author_handle else "",
        "me": user.full_name or user.get_short_name(),
        "my_first_name": user.get_short_name(),
        "channel": conversation.channel.label if conversation.channel else "",
    }
    text = saved.text
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text, PROMPTED.findall(text)


@transaction.atomic
def saved_reply_save(
    *, workspace: Workspace, name: str, text: str, actor: User, saved: SavedReply | None = None
) -> SavedReply:
    name, text = name.strip()[:100], text.strip()
    if not name or not text:
        raise ValidationError(_("A saved reply needs a name and a text."))
    same_name = SavedReply.objects.filter(workspace=workspace, name=name)
    if saved is not None:
        same_name = same_name.exclude(pk=saved.pk)
    if same_name.exists():
        raise ValidationError(_("There is already a saved reply with this name."))
    saved = saved or SavedReply(workspace=workspace)
    saved.name, saved.text = name, text
    saved.save()
    audit_record(action="inbox.saved_reply", workspace=workspace, actor=actor, target=saved)
    return saved


def saved_reply_delete(*, workspace: Workspace, saved_id: int, actor: User) -> None:
    SavedReply.objects.filter(workspace=workspace, pk=saved_id).delete()
    audit_record(
        action="inbox.saved_reply_deleted",
        workspace=workspace,
        actor=actor,
        detail={"id": saved_id},
    )


# --- Approval --------------------------------------------------------------------------------


def approval_settings_of(workspace: Workspace) -> ReplyApprovalSettings:
    """The workspace's reply-approval rule (an unsaved one, asking nothing, when none is set)."""
    found = ReplyApprovalSettings.objects.filter(workspace=workspace).first()
    return found or ReplyApprovalSettings(workspace=workspace, complaints=False, roles=[])


def approval_reason(*, conversation: Conversation, author: User) -> str:
    """Why the playbook wants a reply by ``author`` here approved first ("" when it does not)."""
    rule = ReplyApprovalSettings.objects.filter(workspace_id=conversation.workspace_id).first()
    if rule is None:
        return ""
    role = account_selectors.member_roles(workspace=conversation.workspace).get(author.pk, "")
    if role and role in rule.roles:
        return _(
            "The playbook asks for approval of every reply by a member with the role %(role)s."
        ) % {"role": Role(role).label}
    if (
        rule.complaints
        and InboxItem.objects.filter(
            conversation=conversation, triage_class=TriageClass.COMPLAINT
        ).exists()
    ):
        return _("The playbook asks for approval of replies to complaints.")
    return ""


# --- Sending ---------------------------------------------------------------------------------


def reply_modes(conversation: Conversation) -> dict[str, str]:
    """Which modes this conversation's channel allows: mode → "" when possible, else why not.

    A new follower's conversation also has ``mention`` (a new public post naming them)."""
    modes = [ReplyMode.PUBLIC, ReplyMode.PRIVATE]
    is_follow = conversation.thread_key.startswith("follow:")
    if is_follow:
        modes.append(ReplyMode.MENTION)
    if conversation.channel is None:
        why = _("This came from listening, not from a connected channel: answer on the network.")
        return dict.fromkeys(modes, why)
    try:
        connector_class = registry.get(conversation.channel.connector_key)
    except UnknownConnectorError:
        return dict.fromkeys(modes, _("This network is no longer installed."))
    network = connector_class.label
    capabilities = connector_class.capabilities
    public = ""
    if Capability.REPLY not in capabilities:
        public = _("%(network)s does not let Varde reply in public.") % {"network": network}
    elif conversation.thread_key.startswith(("dm:", "follow:")):
        public = _("There is no public post to answer here: send a private message.")
    private = ""
    if Capability.DMS not in capabilities:
        private = _("%(network)s does not let Varde send private messages.") % {"network": network}
    found: dict[str, str] = {ReplyMode.PUBLIC: public, ReplyMode.PRIVATE: private}
    if is_follow:
        found[ReplyMode.MENTION] = (
            ""
            if Capability.TEXT in capabilities
            else _("%(network)s does not let Varde post a public mention.") % {"network": network}
        )
    return found


def _answered_item(conversation: Conversation) -> InboxItem:
    item = (
        InboxItem.objects.filter(conversation=conversation)
        .exclude(kind=ItemKind.FOLLOW)
        .order_by("-created_at", "-id")
        .first()
    ) or InboxItem.objects.filter(conversation=conversation).order_by("-created_at").first()
    if item is None:
        raise ReplyBlockedError(_("This conversation has no items."))
    return item


def reply_problems(*, conversation: Conversation, author: User, text: str, mode: str) -> list[str]:
    """Reasons the reply cannot go (empty when it can)."""
    reasons = []
    if not text.strip():
        reasons.append(_("Write the reply."))
    prompted = PROMPTED.findall(text)
    if prompted:
        reasons.append(_("Fill in: %(fields)s") % {"fields": ", ".join(dict.fromkeys(prompted))})
    modes = reply_modes(conversation)
    if mode not in modes:
        reasons.append(_("Choose a public reply or a private message."))
    elif modes[mode]:
        reasons.append(modes[mode])
    if conversation.channel is not None:
        limit = registry.get(conversation.channel.connector_key).limits.text_max
        if limit and len(text) > limit:
            reasons.append(
                _("The reply is %(length)d characters; this network takes %(limit)d.")
                % {"length": len(text), "limit": limit}
            )
    report = guard.guard_check_reply(workspace=conversation.workspace, author=author, text=text)
    reasons += [finding.message for finding in report.blocking()]
    return reasons


def reply_send(
    *,
    conversation: Conversation,
    author: User,
    text: str,
    mode: str,
    sign: bool = False,
    connector: Connector | None = None,
    now: dt.datetime | None = None,
    approved: bool = False,
) -> Reply:
    """Send a reply. Raises ``ReplyBlockedError`` (nothing sent, nothing stored) when it may
    not go; returns the ``Reply`` — ``sent``, or ``failed`` with the reason — otherwise.

    Where the playbook asks for approval (``approval_reason``) only an approved proposal
    sends (``services.approval.proposal_approve`` passes ``approved=True``)."""
    now = now or timezone.now()
    text = with_mention(conversation, text.strip(), mode)
    if sign:
        text = signed(text, signature_for(workspace=conversation.workspace, user=author))
    reasons = reply_problems(conversation=conversation, author=author, text=text, mode=mode)
    needs = "" if approved else approval_reason(conversation=conversation, author=author)
    if needs:
        reasons.append(needs + " " + _("Submit it for approval."))
    if reasons:
        raise ReplyBlockedError(reasons)
    item = _answered_item(conversation)
    reply = Reply.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        item=item,
        author=author,
        mode=mode,
        text=text,
        idempotency_key=uuid.uuid4().hex,
        created_at=now,
    )
    assert conversation.channel is not None  # noqa: S101  (checked by reply_modes)
    try:
        connector = connector or channel_selectors.connector_for(conversation.channel)
        if mode == ReplyMode.PRIVATE:
            result = connector.send_message(
                to=item.author_handle, text=text, idempotency_key=reply.idempotency_key
            )
        elif mode == ReplyMode.MENTION:
            result = connector.publish(
                PublishRequest(text=text, idempotency_key=reply.idempotency_key)
            )
        else:
            result = connector.reply(
                to=item.network_id, text=text, idempotency_key=reply.idempotency_key
            )
    except ConnectorError as error:
        return _failed(reply, error, author)
    return _sent(reply, result.network_post_id, result.url, author)


def with_mention(conversation: Conversation, text: str, mode: str) -> str:
    """A public mention names the person: "@handle" is put first when the text lacks it."""
    handle = conversation.author_handle
    if mode != ReplyMode.MENTION or not handle or f"@{handle}" in text:
        return text
    return f"@{handle} {text}"


def _why(error: ConnectorError) -> str:
    if isinstance(error, AuthExpired):
        return _("The network refused the channel's sign-in; reconnect the channel. (%(e)s)") % {
            "e": error
        }
    if isinstance(error, OutcomeUnknown):
        return _(
            "The network did not answer in time: check on the network whether it arrived "
            "before you send it again. (%(e)s)"
        ) % {"e": error}
    return str(error)


@transaction.atomic
def _failed(reply: Reply, error: ConnectorError, actor: User) -> Reply:
    reply.status = ReplyStatus.FAILED
    reply.error = _why(error)[:2000]
    reply.save(update_fields=["status", "error"])
    audit_record(
        action="inbox.reply_failed",
        workspace=reply.workspace,
        actor=actor,
        target=reply.conversation,
        detail={"reply": reply.pk, "error": reply.error},
    )
    return reply


@transaction.atomic
def _sent(reply: Reply, network_id: str, url: str, actor: User) -> Reply:
    now = timezone.now()
    reply.status = ReplyStatus.SENT
    reply.network_id = network_id[:500]
    reply.url = url[:1000]
    reply.sent_at = now
    reply.error = ""
    reply.save(update_fields=["status", "network_id", "url", "sent_at", "error"])
    conversation = reply.conversation
    conversation.last_reply_at = now
    if conversation.state in (ConversationState.NEW, ConversationState.SNOOZED):
        conversation.state = ConversationState.PENDING
        conversation.snoozed_until = None
    conversation.save(update_fields=["last_reply_at", "state", "snoozed_until"])
    audit_record(
        action="inbox.replied",
        workspace=reply.workspace,
        actor=actor,
        target=conversation,
        detail={"reply": reply.pk, "mode": reply.mode, "network_id": reply.network_id},
    )
    return reply
