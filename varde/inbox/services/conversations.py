"""Conversations: how items group, and every change to a conversation's state, assignee and
labels. Every change to a conversation happens here, and only here.

States: New (the person waits for us) → Pending (we answered, waiting for them) → Resolved,
plus Snoozed until a time (``conversations_wake_snoozed`` brings it back as New). A new item
from the person sends a Pending, Resolved or Snoozed conversation back to New.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.accounts import selectors as account_selectors
from varde.accounts.services import audit_record
from varde.channels import selectors as channel_selectors
from varde.inbox.choices import ConversationState, ItemKind, ModerationKind, TriageClass
from varde.inbox.models import Conversation, InboxItem, ModerationAction, Reply, SavedView
from varde.inbox.triage import judge
from varde.listening import selectors as listening_selectors
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

LABEL_MAX = 40
# Sent back to New when the person writes again.
REOPENED_BY_THE_PERSON = (
    ConversationState.PENDING,
    ConversationState.RESOLVED,
    ConversationState.SNOOZED,
)


def conversation_url(conversation: Conversation) -> str:
    from django.urls import reverse

    return reverse(
        "inbox:conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )


def thread_key_of(item: InboxItem) -> str:
    """What ties an item to others of the same person: the post it answers, the messages with
    that person, or (a mention answering nothing, a follow) the item itself."""
    if item.kind == ItemKind.DM:
        return f"dm:{item.author_handle}"[:520]
    if item.kind == ItemKind.FOLLOW:
        return f"follow:{item.author_handle}"[:520]
    return (item.in_reply_to or item.network_id)[:520]


def _existing_thread(item: InboxItem) -> Conversation | None:
    """The conversation an answer continues: the person answers our reply, or themselves."""
    if not item.in_reply_to:
        return None
    ours = (
        Reply.objects.filter(
            workspace_id=item.workspace_id,
            network_id=item.in_reply_to,
            conversation__channel_id=item.channel_id,
            conversation__author_handle=item.author_handle,
        )
        .select_related("conversation")
        .first()
    )
    if ours is not None:
        return ours.conversation
    earlier = (
        InboxItem.objects.filter(
            channel_id=item.channel_id,
            network_id=item.in_reply_to,
            author_handle=item.author_handle,
            conversation__isnull=False,
        )
        .select_related("conversation")
        .first()
    )
    return earlier.conversation if earlier is not None else None


@transaction.atomic
def conversations_attach(*, items: Iterable[InboxItem], now: datetime) -> list[Conversation]:
    """Put each new item (oldest first) in its conversation; a reply from the person re-opens
    a conversation and tells its assignee."""
    touched: dict[int, Conversation] = {}
    reopened: dict[int, Conversation] = {}
    for item in items:
        conversation = _existing_thread(item)
        if conversation is None:
            conversation, _created = Conversation.objects.get_or_create(
                workspace_id=item.workspace_id,
                channel_id=item.channel_id,
                author_handle=item.author_handle,
                thread_key=thread_key_of(item),
                defaults={
                    "author_name": item.author_name,
                    "delivery_id": item.delivery_id,
                    "last_item_at": item.created_at,
                    "created_at": now,
                    "opened_at": now,
                },
            )
        conversation = touched.get(conversation.pk, conversation)
        if conversation.item_count and conversation.state in REOPENED_BY_THE_PERSON:
            if conversation.state == ConversationState.RESOLVED:
                conversation.opened_at = now  # the resolution clock starts again
            conversation.state = ConversationState.NEW
            conversation.snoozed_until = None
            reopened[conversation.pk] = conversation
        conversation.item_count += 1
        conversation.last_item_at = max(conversation.last_item_at, item.created_at)
        conversation.preview = item.text[:300]
        conversation.author_name = item.author_name or conversation.author_name
        if conversation.delivery_id is None and item.delivery_id is not None:
            conversation.delivery_id = item.delivery_id
        conversation.save()
        item.conversation = conversation
        InboxItem.objects.filter(pk=item.pk).update(conversation=conversation)
        touched[conversation.pk] = conversation
    for conversation in reopened.values():
        if conversation.assignee_id is not None:
            notify(
                users=[conversation.assignee],
                workspace=conversation.workspace,
                kind="inbox.reopened",
                text=Message(
                    gettext_lazy("%(person)s wrote again in a conversation assigned to you."),
                    {"person": conversation.author_name or conversation.author_handle},
                ),
                url=conversation_url(conversation),
                email=False,
            )
    return list(touched.values())


def _audit(
    action: str, *, conversation: Conversation, actor: User | None, detail: dict[str, object]
) -> None:
    audit_record(
        action=action,
        workspace=conversation.workspace,
        actor=actor,
        target=conversation,
        detail=detail,
    )


@transaction.atomic
def conversation_set_state(
    *,
    conversation: Conversation,
    state: ConversationState,
    actor: User | None,
    snoozed_until: datetime | None = None,
    now: datetime | None = None,
) -> Conversation:
    now = now or timezone.now()
    state = ConversationState(state)
    if state == ConversationState.SNOOZED:
        if snoozed_until is None or snoozed_until <= now:
            raise ValidationError(_("Choose a time in the future to snooze until."))
        conversation.snoozed_until = snoozed_until
    else:
        conversation.snoozed_until = None
    before = conversation.state
    conversation.state = state
    if before == ConversationState.RESOLVED and state != ConversationState.RESOLVED:
        conversation.opened_at = now  # re-opened: the resolution clock starts again
    conversation.save(update_fields=["state", "snoozed_until", "opened_at"])
    _audit(
        "inbox.state",
        conversation=conversation,
        actor=actor,
        detail={
            "from": before,
            "to": state.value,
            "until": snoozed_until.isoformat() if snoozed_until else None,
        },
    )
    return conversation


def conversations_wake_snoozed(*, now: datetime) -> int:
    """Snoozed conversations whose time has come go back to New (the worker calls this)."""
    return Conversation.objects.filter(
        state=ConversationState.SNOOZED, snoozed_until__lte=now
    ).update(state=ConversationState.NEW, snoozed_until=None)


def _item_of(conversation: Conversation) -> InboxItem:
    item = (
        InboxItem.objects.filter(conversation=conversation).order_by("-created_at", "-id").first()
    )
    if item is None:  # a conversation always has an item; be clear if one does not
        raise ValidationError(_("This conversation has no items."))
    return item


@transaction.atomic
def conversation_assign(
    *,
    conversation: Conversation,
    assignee: User | None,
    actor: User | None,
    rule_id: int | None = None,
    now: datetime | None = None,
) -> ModerationAction:
    """Give the conversation to a member (None: to nobody); the member is told."""
    now = now or timezone.now()
    if assignee is not None and not account_selectors.is_member(
        user=assignee, workspace=conversation.workspace
    ):
        raise ValidationError(_("Only a member of this workspace can be assigned."))
    before = conversation.assignee_id
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee"])
    action = ModerationAction.objects.create(
        workspace=conversation.workspace,
        item=_item_of(conversation),
        kind=ModerationKind.ASSIGN,
        rule_id=rule_id,
        actor=actor,
        before={"assignee_id": before},
        after={"assignee_id": assignee.pk if assignee else None},
        created_at=now,
    )
    _audit(
        "inbox.assigned",
        conversation=conversation,
        actor=actor,
        detail={"from": before, "to": assignee.pk if assignee else None, "rule": rule_id},
    )
    if assignee is not None and assignee != actor:
        notify(
            users=[assignee],
            workspace=conversation.workspace,
            kind="inbox.assigned",
            text=Message(
                gettext_lazy("A conversation with %(person)s was assigned to you."),
                {"person": conversation.author_name or conversation.author_handle},
            ),
            url=conversation_url(conversation),
        )
    return action


def _clean_label(label: str) -> str:
    label = " ".join(label.replace(",", " ").split())[:LABEL_MAX]
    if not label:
        raise ValidationError(_("Write a label."))
    return label


@transaction.atomic
def conversation_label(
    *,
    conversation: Conversation,
    label: str,
    add: bool,
    actor: User | None,
    rule_id: int | None = None,
    now: datetime | None = None,
) -> ModerationAction | None:
    """Add or remove a label; None when nothing changed."""
    label = _clean_label(label)
    labels = conversation.label_list
    if (label in labels) == add:
        return None
    labels = [*labels, label] if add else [each for each in labels if each != label]
    stored = f",{','.join(labels)}," if labels else ""
    if len(stored) > (Conversation._meta.get_field("labels").max_length or 0):
        # PostgreSQL refuses a longer value outright (a 500); SQLite would keep it whole.
        raise ValidationError(
            _("This conversation has as many labels as it can hold. Remove one first.")
        )
    conversation.labels = stored
    conversation.save(update_fields=["labels"])
    _audit(
        "inbox.labelled",
        conversation=conversation,
        actor=actor,
        detail={"label": label, "added": add, "rule": rule_id},
    )
    return ModerationAction.objects.create(
        workspace=conversation.workspace,
        item=_item_of(conversation),
        kind=ModerationKind.LABEL,
        rule_id=rule_id,
        actor=actor,
        before={"label": label, "had": not add},
        after={"label": label, "has": add},
        created_at=now or timezone.now(),
    )


@transaction.atomic
def item_correct_class(
    *, item: InboxItem, triage_class: str | None, actor: User, now: datetime | None = None
) -> ModerationAction:
    """A person corrects the class; kept as training data (``triage_corrected_by``) and in the
    audit log. This is how someone who disagrees that an item is a complaint can then hide it."""
    if triage_class is not None and triage_class not in TriageClass.values:
        raise ValidationError(_("Choose one of the classes."))
    before = {"triage_class": item.triage_class, "corrected_by": item.triage_corrected_by_id}
    item.triage_class = triage_class
    item.triage_corrected_by = actor
    item.save(update_fields=["triage_class", "triage_corrected_by"])
    audit_record(
        action="inbox.class_corrected",
        workspace=item.workspace,
        actor=actor,
        target=item,
        detail={"from": before["triage_class"], "to": triage_class},
    )
    return ModerationAction.objects.create(
        workspace=item.workspace,
        item=item,
        kind=ModerationKind.CLASSIFY,
        actor=actor,
        before=before,
        after={"triage_class": triage_class},
        created_at=now or timezone.now(),
    )


@transaction.atomic
def conversation_from_mention(
    *, workspace: Workspace, mention_id: int, actor: User, now: datetime | None = None
) -> Conversation:
    """A listening mention a person sends to the inbox: it becomes an item in a conversation
    of its own (the same one when sent twice). When a connected channel of the same network
    is there, the item belongs to it, so it can be answered from Varde."""
    now = now or timezone.now()
    mention = listening_selectors.mention_get(workspace=workspace, mention_id=mention_id)
    if mention is None:
        raise ValidationError(_("That mention is not in this workspace."))
    channel = (
        channel_selectors.channels_in(workspace=workspace)
        .usable()
        .filter(connector_key=mention.source_kind)
        .order_by("pk")
        .first()
    )
    network_id = (mention.external_id or f"mention-{mention.pk}")[:500]
    existing = InboxItem.objects.filter(
        workspace=workspace, channel=channel, network_id=network_id
    ).first()
    if existing is not None and existing.conversation is not None:
        return existing.conversation
    (verdict,) = judge([mention.text], language=str(workspace.language))
    item = InboxItem.objects.create(
        workspace=workspace,
        channel=channel,
        network_id=network_id,
        kind=ItemKind.MENTION,
        author_handle=mention.author_handle[:300],
        author_name=mention.author_name[:300],
        text=mention.text,
        url=mention.url[:1000],
        created_at=mention.published_at,
        received_at=now,
        language=mention.language or verdict.language,
        sentiment=mention.sentiment or verdict.sentiment,
        triage_class=verdict.triage_class,
        triage_reason=verdict.reason,
    )
    (conversation,) = conversations_attach(items=[item], now=now)
    conversation.from_mention_id = mention.pk
    conversation.save(update_fields=["from_mention_id"])
    _audit(
        "inbox.from_listening",
        conversation=conversation,
        actor=actor,
        detail={"mention": mention.pk},
    )
    return conversation


def saved_view_create(*, workspace: Workspace, user: User, name: str, query: str) -> SavedView:
    name = name.strip()[:80]
    if not name:
        raise ValidationError(_("Name the view."))
    return SavedView.objects.create(workspace=workspace, user=user, name=name, query=query[:500])


def saved_view_delete(*, workspace: Workspace, user: User, view_id: int) -> bool:
    """Delete one of the user's own saved views; False when they have no such view here."""
    deleted, _ = SavedView.objects.filter(workspace=workspace, user=user, pk=view_id).delete()
    return deleted > 0
