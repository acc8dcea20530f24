"""Reading what the inbox holds. Every function starts from a workspace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from varde.inbox import sla
from varde.inbox.choices import (
    ConversationState,
    ItemKind,
    ModerationKind,
    ProposalStatus,
    TriageClass,
)
from varde.inbox.models import (
    ITEM_SEARCH,
    AuthorEntry,
    Availability,
    Conversation,
    Escalation,
    InboxCursor,
    InboxItem,
    ModerationAction,
    ModerationRule,
    Reply,
    ReplyProposal,
    SavedReply,
    SavedView,
    Signature,
)
from varde.lib import fulltext

if TYPE_CHECKING:
    import datetime as dt

    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount

# The built-in views, in the order shown.
VIEWS = (
    "open",
    "mine",
    "unassigned",
    "at_risk",
    "new",
    "pending",
    "snoozed",
    "resolved",
    "all",
)
OPEN_STATES = (ConversationState.NEW, ConversationState.PENDING)


def inbox_items(
    *, workspace: Workspace, channel: ConnectedAccount | None = None
) -> QuerySet[InboxItem]:
    """The workspace's items, newest first."""
    items = InboxItem.objects.filter(workspace=workspace).select_related("channel", "delivery")
    if channel is not None:
        items = items.filter(channel=channel)
    return items.order_by("-created_at", "-id")


def item_get(*, workspace: Workspace, item_id: int) -> InboxItem | None:
    return (
        InboxItem.objects.filter(workspace=workspace, pk=item_id)
        .select_related("channel", "conversation", "workspace")
        .first()
    )


def replies_to_deliveries(
    *, workspace: Workspace, delivery_ids: Iterable[int]
) -> dict[int, list[InboxItem]]:
    """Replies read for each of these deliveries, oldest first, by delivery id."""
    found: dict[int, list[InboxItem]] = {}
    items = InboxItem.objects.filter(
        workspace=workspace, delivery_id__in=list(delivery_ids)
    ).order_by("created_at", "id")
    for item in items:
        assert item.delivery_id is not None  # noqa: S101  (filtered above)
        found.setdefault(item.delivery_id, []).append(item)
    return found


def inbox_cursors(*, workspace: Workspace) -> dict[int, InboxCursor]:
    """Each channel's reading state (when it was last read, the last problem), by channel id."""
    return {
        cursor.channel_id: cursor
        for cursor in InboxCursor.objects.filter(channel__workspace=workspace)
    }


def items_for_listening(*, workspace_id: int, after_id: int, limit: int) -> list[InboxItem]:
    """Comments and mentions (never direct messages) stored after ``after_id``, oldest first:
    what the listening ``channel`` source reads."""
    return list(
        InboxItem.objects.filter(workspace_id=workspace_id, id__gt=after_id)
        .exclude(kind__in=[ItemKind.DM, ItemKind.FOLLOW])
        # Items that came from listening ("Send to inbox") have no channel: never handed back.
        .exclude(channel__isnull=True)
        .order_by("id")[:limit]
    )


# --- Conversations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    view: str = "open"
    channel: int | None = None
    assignee: int | None = None
    kind: str = ""
    triage_class: str = ""
    label: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        def number(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        view = query.get("view", "open")
        return cls(
            view=view if view in VIEWS else "open",
            channel=number("channel"),
            assignee=number("assignee"),
            kind=query.get("kind", "")[:10],
            triage_class=query.get("class", "")[:12],
            label=query.get("label", "").strip()[:40],
            q=query.get("q", "").strip()[:200],
        )

    @property
    def narrowed(self) -> bool:
        return any((self.channel, self.assignee, self.kind, self.triage_class, self.label, self.q))


def _view(
    conversations: QuerySet[Conversation], view: str, user: User, at_risk: Q | None
) -> QuerySet[Conversation]:
    if view == "at_risk":
        return conversations.filter(at_risk) if at_risk is not None else conversations.none()
    if view == "open":
        return conversations.filter(state__in=OPEN_STATES)
    if view == "mine":
        return conversations.filter(assignee=user).exclude(state=ConversationState.RESOLVED)
    if view == "unassigned":
        return conversations.filter(assignee__isnull=True, state__in=OPEN_STATES)
    if view in ConversationState.values:
        return conversations.filter(state=view)
    return conversations


def at_risk_q(*, targets: sla.Targets, now: dt.datetime) -> Q | None:
    """The "At risk" view: open conversations with any clock at risk or overdue."""
    return sla.due_q(targets, now=now, share=sla.AT_RISK_SHARE)


def conversations_filtered(
    *, workspace: Workspace, user: User, filters: Filters, at_risk: Q | None = None
) -> QuerySet[Conversation]:
    """The conversations of a view and filters, newest activity first, with what the list
    shows joined in (one query per page). ``at_risk`` is ``at_risk_q`` for the "At risk"
    view (none there without it)."""
    conversations = _view(
        Conversation.objects.filter(workspace=workspace), filters.view, user, at_risk
    )
    if filters.channel:
        conversations = conversations.filter(channel_id=filters.channel)
    if filters.assignee:
        conversations = conversations.filter(assignee_id=filters.assignee)
    if filters.label:
        conversations = conversations.filter(labels__icontains=f",{filters.label},")
    items = InboxItem.objects.filter(conversation=OuterRef("pk"))
    if filters.kind:
        conversations = conversations.filter(Exists(items.filter(kind=filters.kind)))
    if filters.triage_class:
        wanted = items.filter(triage_class=filters.triage_class or None)
        conversations = conversations.filter(Exists(wanted))
    if filters.q:
        # Full-text search over the items' texts, names and handles (one subquery).
        conversations = fulltext.filter_matching(
            conversations,
            ITEM_SEARCH,
            filters.q,
            select="conversation_id",
            where={"workspace_id": workspace.pk},
        )
    newest_class = (
        InboxItem.objects.filter(conversation=OuterRef("pk"), triage_class__isnull=False)
        .order_by("-created_at", "-id")
        .values("triage_class")[:1]
    )
    return (
        conversations.select_related("channel", "assignee")
        .annotate(
            complaint=Exists(items.filter(triage_class=TriageClass.COMPLAINT)),
            escalated=Exists(Escalation.objects.filter(conversation=OuterRef("pk"))),
        )
        .annotate(newest_class=newest_class)
        .order_by("-last_item_at", "-id")
    )


def view_counts(*, workspace: Workspace, user: User) -> dict[str, int]:
    """How many conversations each built-in view holds, in one query. "At risk" is not
    counted: its condition costs a look at every open conversation's items, which would
    double the list's time at 100,000 conversations (docs/benchmarks.md); the view itself
    stops at a page."""
    open_states = Q(state__in=OPEN_STATES)
    counts = Conversation.objects.filter(workspace=workspace).aggregate(
        open=Count("id", filter=open_states),
        mine=Count("id", filter=Q(assignee=user) & ~Q(state=ConversationState.RESOLVED)),
        unassigned=Count("id", filter=Q(assignee__isnull=True) & open_states),
        new=Count("id", filter=Q(state=ConversationState.NEW)),
        pending=Count("id", filter=Q(state=ConversationState.PENDING)),
        snoozed=Count("id", filter=Q(state=ConversationState.SNOOZED)),
        resolved=Count("id", filter=Q(state=ConversationState.RESOLVED)),
        all=Count("id"),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def conversation_get(*, workspace: Workspace, conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.filter(workspace=workspace, pk=conversation_id)
        .select_related("channel", "assignee", "workspace", "delivery__post")
        .first()
    )


@dataclass
class ConversationContext:
    conversation: Conversation
    # The conversation's items and our replies, oldest first, as ("item"|"reply", row).
    timeline: list[tuple[str, Any]] = field(default_factory=list)
    # Items above the first one: what it answers, when Varde holds it.
    above: list[InboxItem] = field(default_factory=list)
    earlier: list[Conversation] = field(default_factory=list)
    actions: list[ModerationAction] = field(default_factory=list)
    failed_reply: Reply | None = None
    escalations: list[Escalation] = field(default_factory=list)

    @property
    def last_item_id(self) -> int:
        """The newest item and reply the page shows: posted with the reply form, so a send
        that would cross a newer one asks first."""
        return max((row.pk for kind, row in self.timeline if kind == "item"), default=0)

    @property
    def last_reply_id(self) -> int:
        return max((row.pk for kind, row in self.timeline if kind == "reply"), default=0)


def conversation_context(*, conversation: Conversation) -> ConversationContext:
    """Everything the conversation page shows, in a fixed number of queries."""
    items = list(
        InboxItem.objects.filter(conversation=conversation)
        .select_related("triage_corrected_by")
        .order_by("created_at", "id")
    )
    replies = list(
        Reply.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("created_at", "id")
    )
    timeline: list[tuple[str, Any]] = [("item", item) for item in items]
    timeline += [("reply", reply) for reply in replies]
    timeline.sort(key=lambda entry: (entry[1].created_at, entry[0] == "reply"))
    answered = {item.in_reply_to for item in items if item.in_reply_to}
    above = list(
        InboxItem.objects.filter(
            workspace_id=conversation.workspace_id,
            channel_id=conversation.channel_id,
            network_id__in=answered,
        )
        .exclude(conversation=conversation)
        .order_by("created_at", "id")[:5]
    )
    earlier = list(
        Conversation.objects.filter(
            workspace_id=conversation.workspace_id,
            channel_id=conversation.channel_id,
            author_handle=conversation.author_handle,
        )
        .exclude(pk=conversation.pk)
        .order_by("-last_item_at", "-id")[:10]
    )
    actions = list(
        ModerationAction.objects.filter(item__conversation=conversation)
        .select_related("actor", "rule", "item")
        .order_by("-created_at", "-id")[:30]
    )
    failed = next((r for r in reversed(replies) if r.status == "failed"), None)
    return ConversationContext(
        conversation=conversation,
        timeline=timeline,
        above=above,
        earlier=earlier,
        actions=actions,
        failed_reply=failed,
        escalations=list(
            Escalation.objects.filter(conversation=conversation).order_by("-created_at")[:10]
        ),
    )


def action_get(*, workspace: Workspace, action_id: int) -> ModerationAction | None:
    return (
        ModerationAction.objects.filter(workspace=workspace, pk=action_id)
        .select_related("item__conversation", "item__channel", "item__workspace")
        .first()
    )


def conversations_of_author(*, workspace: Workspace, handle: str) -> QuerySet[Conversation]:
    return Conversation.objects.filter(workspace=workspace, author_handle=handle)


# --- Settings: rules, saved replies, signatures, lists, views -------------------------------


def rules_of(*, workspace: Workspace) -> QuerySet[ModerationRule]:
    return ModerationRule.objects.filter(workspace=workspace).order_by("priority", "id")


def rule_get(*, workspace: Workspace, rule_id: int) -> ModerationRule | None:
    return ModerationRule.objects.filter(workspace=workspace, pk=rule_id).first()


def saved_replies_of(*, workspace: Workspace) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(workspace=workspace).order_by("name", "id")


def saved_reply_get(*, workspace: Workspace, saved_id: int) -> SavedReply | None:
    return SavedReply.objects.filter(workspace=workspace, pk=saved_id).first()


def signatures_of(*, workspace: Workspace) -> dict[int | None, str]:
    return dict(Signature.objects.filter(workspace=workspace).values_list("user_id", "text"))


def author_entries_of(*, workspace: Workspace) -> QuerySet[AuthorEntry]:
    return AuthorEntry.objects.filter(workspace=workspace).order_by("kind", "handle")


def saved_views_of(*, workspace: Workspace, user: User) -> QuerySet[SavedView]:
    return SavedView.objects.filter(workspace=workspace, user=user).order_by("name", "id")


def items_for_cli(
    *, workspace: Workspace, state: str = "", limit: int = 1000
) -> QuerySet[InboxItem]:
    items = InboxItem.objects.filter(workspace=workspace).select_related(
        "channel", "conversation__assignee"
    )
    if state:
        items = items.filter(conversation__state=state)
    return items.order_by("-created_at", "-id")[:limit]


def item_by_id(*, item_id: int) -> InboxItem | None:
    """One item by its id, whatever its workspace (the command line's ``varde inbox hide``)."""
    return (
        InboxItem.objects.filter(pk=item_id)
        .select_related("channel", "conversation", "workspace")
        .first()
    )


def proposals_of(*, conversation: Conversation) -> list[ReplyProposal]:
    """The candidate replies submitted for approval here, newest first, with their candidates
    (refused ones too: they are the history)."""
    return list(
        ReplyProposal.objects.filter(conversation=conversation)
        .select_related("writer", "decided_by")
        .prefetch_related("candidates")[:20]
    )


def proposal_get(*, workspace: Workspace, proposal_id: int) -> ReplyProposal | None:
    return (
        ReplyProposal.objects.filter(workspace=workspace, pk=proposal_id)
        .select_related("conversation", "conversation__workspace", "conversation__channel")
        .first()
    )


def proposals_waiting(*, workspace: Workspace) -> list[ReplyProposal]:
    """Every proposal that waits for an approver, oldest first."""
    return list(
        ReplyProposal.objects.filter(workspace=workspace, status=ProposalStatus.WAITING)
        .select_related("writer", "conversation")
        .prefetch_related("candidates")
        .order_by("created_at", "id")[:100]
    )


def followers_to_thank(*, workspace: Workspace, limit: int = 50) -> list[Conversation]:
    """New followers on connected channels nobody has thanked or skipped yet, oldest first."""
    return list(
        Conversation.objects.filter(
            workspace=workspace,
            channel__isnull=False,
            thread_key__startswith="follow:",
            thanks__isnull=True,
        )
        .exclude(state=ConversationState.RESOLVED)
        .select_related("channel", "workspace")
        .order_by("last_item_at", "id")[:limit]
    )


@dataclass(frozen=True)
class ItemCounts:
    """What the inbox received and what the team did with it in a period (reports)."""

    received: int  # replies, mentions and messages (new followers are not counted)
    hidden: int
    reviewed: int


def item_counts(*, workspace: Workspace, start: dt.datetime, end: dt.datetime) -> ItemCounts:
    """Items received in ``[start, end)``, and items hidden or marked reviewed in it. One
    query."""
    counted = InboxItem.objects.filter(workspace=workspace).aggregate(
        received=Count(
            "id",
            filter=Q(received_at__gte=start, received_at__lt=end) & ~Q(kind=ItemKind.FOLLOW),
        ),
        hidden=Count("id", filter=Q(hidden_at__gte=start, hidden_at__lt=end)),
        reviewed=Count("id", filter=Q(reviewed_at__gte=start, reviewed_at__lt=end)),
    )
    return ItemCounts(
        received=counted["received"], hidden=counted["hidden"], reviewed=counted["reviewed"]
    )


def availability_of(*, workspace: Workspace) -> dict[int, dt.datetime | None]:
    """Each member's "away until" (None or a past time: available), by user id."""
    return dict(
        Availability.objects.filter(workspace=workspace).values_list("user_id", "away_until")
    )


@dataclass(frozen=True)
class Correction:
    """A person's correction of an item's class: training data for the next training run."""

    item_id: int
    text: str
    triage_class: str | None
    #: What the classifier had said before anyone corrected it ("" when unknown).
    classifier_class: str
    classifier_reason: str
    language: str
    corrected_at: str


def corrections_of(*, workspace: Workspace) -> list[Correction]:
    """The workspace's items whose class a person corrected (and did not undo), oldest first."""
    items = list(
        InboxItem.objects.filter(workspace=workspace, triage_corrected_by__isnull=False)
        .exclude(text="")
        .order_by("id")
    )
    first: dict[int, ModerationAction] = {}
    for action in ModerationAction.objects.filter(
        workspace=workspace,
        kind=ModerationKind.CLASSIFY,
        item_id__in=[item.pk for item in items],
        undone_at__isnull=True,
    ).order_by("-created_at", "-id"):
        first[action.item_id] = action  # the oldest one wins
    out = []
    for item in items:
        oldest = first.get(item.pk)
        was = oldest.before.get("triage_class") if oldest is not None else None
        out.append(
            Correction(
                item_id=item.pk,
                text=item.text,
                triage_class=item.triage_class,
                classifier_class=str(was or ""),
                classifier_reason=item.triage_reason,
                language=item.language,
                corrected_at=oldest.created_at.isoformat() if oldest is not None else "",
            )
        )
    return out
