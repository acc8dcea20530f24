"""What people say to and about a connected account, and what the team does about it.

``InboxItem``: one reply, mention, message or new follower a network returned, unique per
channel, so reading the same page twice stores nothing twice. ``text``, names and handles come
from strangers: always escaped. Items group into a ``Conversation`` (one person, one thread,
one channel), which carries the state, the assignee and the labels. Every state change is in
``inbox/services/``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.inbox.choices import (
    AuthorListKind,
    ConversationState,
    EscalationReason,
    ItemKind,
    ModerationKind,
    ProposalStatus,
    ReplyMode,
    ReplyStatus,
    Sentiment,
    ThanksOutcome,
    TriageClass,
)
from varde.lib.fulltext import FullText


class Conversation(models.Model):
    """One person's thread with one channel: a reply and what follows it, a mention, or the
    direct messages with that person."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Null for a listening mention sent here from a source that is not a connected channel.
    channel = models.ForeignKey(
        "channels.ConnectedAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    author_handle = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    # What ties items together: the network id of the post answered, "dm:<handle>" for
    # messages, or the first item's own id for a mention that answers nothing.
    thread_key = models.CharField(max_length=520)
    # The delivery answered, when it is one of ours (the post shown above the conversation).
    delivery = models.ForeignKey(
        "publishing.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ConversationState.choices, default=ConversationState.NEW
    )
    snoozed_until = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # ",label,other," so one label is found with a plain LIKE on every database.
    labels = models.CharField(max_length=500, blank=True, default="")
    # A listening mention someone sent here (its id in listening), when it came that way.
    from_mention_id = models.BigIntegerField(null=True, blank=True)
    last_item_at = models.DateTimeField()
    last_reply_at = models.DateTimeField(null=True, blank=True)
    # When it was last opened (first item, or re-opened after Resolved): the resolution clock
    # runs from here. Null on conversations from before it was kept: ``created_at`` then.
    opened_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    # The newest item's text, cut, so the list needs no second query.
    preview = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering: ClassVar[list[str]] = ["-last_item_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["channel", "author_handle", "thread_key"], name="inbox_conversation_once"
            ),
            models.UniqueConstraint(
                fields=["workspace", "author_handle", "thread_key"],
                condition=models.Q(channel__isnull=True),
                name="inbox_conversation_once_without_channel",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "-last_item_at", "-id"], name="inbox_conv_newest"),
            models.Index(fields=["workspace", "state", "-last_item_at"], name="inbox_conv_state"),
            models.Index(fields=["workspace", "assignee", "state"], name="inbox_conv_assignee"),
            models.Index(fields=["state", "snoozed_until"], name="inbox_conv_snoozed"),
            models.Index(fields=["channel", "author_handle"], name="inbox_conv_person"),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} with {self.author_handle}"

    @property
    def label_list(self) -> list[str]:
        return [label for label in self.labels.split(",") if label]


class InboxItem(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Null for a listening mention sent here from a source that is not a connected channel.
    channel = models.ForeignKey(
        "channels.ConnectedAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    network_id = models.CharField(max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    author_handle = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    # The network id of the post this answers, and our delivery when it is one of ours.
    in_reply_to = models.CharField(max_length=500, blank=True)
    delivery = models.ForeignKey(
        "publishing.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    language = models.CharField(max_length=8, blank=True)
    # Triage (issue 13 item 2): null until a classifier or a person says; never a fake label.
    triage_class = models.CharField(  # noqa: DJ001
        _("class"), max_length=12, choices=TriageClass.choices, null=True, blank=True
    )
    triage_reason = models.CharField(max_length=300, blank=True)
    # A person's correction: kept as training data for the next training run.
    triage_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sentiment = models.CharField(  # noqa: DJ001
        _("sentiment"), max_length=10, choices=Sentiment.choices, null=True, blank=True
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["channel", "network_id"], name="inbox_item_once"),
            models.UniqueConstraint(
                fields=["workspace", "network_id"],
                condition=models.Q(channel__isnull=True),
                name="inbox_item_once_without_channel",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "-created_at"], name="inbox_newest"),
            # The list marks conversations holding a complaint: without this, PostgreSQL reads
            # every item to answer it for one page (22 ms with 110,000 items).
            models.Index(
                fields=["conversation"],
                condition=models.Q(triage_class="complaint"),
                name="inbox_item_complaint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.network_id} on channel {self.channel_id}"

    @property
    def is_criticism(self) -> bool:
        return self.triage_class == TriageClass.COMPLAINT


# The full-text index of the items' text and authors (migration 0007; varde/lib/fulltext.py):
# an FTS5 table on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
ITEM_SEARCH = FullText(
    table="inbox_inboxitem",
    columns=("text", "author_name", "author_handle"),
    handle_columns=("author_handle",),
)


class InboxCursor(models.Model):
    """Where reading a channel stopped: the connector's opaque cursor, and the last outcome."""

    channel = models.OneToOneField(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    cursor = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"inbox cursor of channel {self.channel_id}"


class Reply(models.Model):
    """An answer sent from Varde; a failed one keeps its text and why it failed."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=10, choices=ReplyMode.choices, default=ReplyMode.PUBLIC)
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.SENDING
    )
    error = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    network_id = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["conversation", "created_at"], name="inbox_reply_conv"),
            models.Index(fields=["network_id"], name="inbox_reply_network_id"),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} ({self.status})"


class SavedReply(models.Model):
    """A ready answer with variables ({name}, {first_name}, {handle}, {me}, {channel})."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("text"))

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "name"], name="inbox_saved_reply_name")
        ]

    def __str__(self) -> str:
        return self.name


class Signature(models.Model):
    """How a reply is signed: one per person, and one for the workspace (``user`` null)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("signature"), max_length=200)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "user"], name="inbox_signature_once"),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(user__isnull=True),
                name="inbox_signature_workspace_once",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ModerationRule(models.Model):
    """Conditions (all must hold) and actions, applied to new items in priority order.

    ``conditions`` is a dict (see ``inbox.moderation.CONDITIONS``), ``actions`` a list of
    ``{"kind": ..., ...}``. A rule is switched on only after a dry run over the last 30 days.
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    enabled = models.BooleanField(default=False)
    conditions = models.JSONField(default=dict)
    actions = models.JSONField(default=list)
    dry_run_at = models.DateTimeField(null=True, blank=True)
    dry_run_matches = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["priority", "id"]

    def __str__(self) -> str:
        return self.name


class ModerationAction(models.Model):
    """One thing done to an item or its conversation, by a rule or a person, and how to undo
    it (``before``)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ModerationKind.choices)
    rule = models.ForeignKey(
        ModerationRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["item", "-created_at"], name="inbox_moderation_item"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on item {self.item_id}"


class AuthorEntry(models.Model):
    """A handle on the workspace's VIP list or block list."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=AuthorListKind.choices)
    handle = models.CharField(max_length=300)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["kind", "handle"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "handle"], name="inbox_author_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.handle}"


class SavedView(models.Model):
    """A person's own filter, besides the built-in views (mine, unassigned, new, snoozed)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class BusinessHours(models.Model):
    """When the team answers, for the response clocks: weekdays, opening and closing time in the
    workspace's time zone, and whether Norway's public holidays are days off (docs/inbox.md)."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    weekdays = models.JSONField(_("open on"), default=list)  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    skip_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    # The targets the plan does not state (it states the first response, phase 6). Empty: the
    # next response has the plan's target too, and there is no resolution clock.
    next_response_hours = models.DecimalField(
        _("next response within (hours)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    resolution_hours = models.DecimalField(
        _("resolve within (hours)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


class ReplyApprovalSettings(models.Model):
    """When the playbook wants a second pair of eyes on a reply before it goes out: replies in
    a conversation with a complaint, and every reply by members of some roles. Without a row,
    no reply needs approval."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    complaints = models.BooleanField(_("replies to complaints need approval"), default=False)
    # Roles (accounts.roles.Role values) whose every reply needs approval.
    roles = models.JSONField(_("every reply by these roles needs approval"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reply approval of workspace {self.workspace_id}"


class ReplyProposal(models.Model):
    """One to three candidate replies a writer submits; an approver picks one (and may edit
    it), which is sent through ``reply_send``, or refuses them all. Kept, with every
    candidate, as the history of the decision."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="proposals"
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=10, choices=ReplyMode.choices, default=ReplyMode.PUBLIC)
    # Why it needed approval, in words, at the time it was submitted.
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "status", "-created_at"], name="inbox_proposal_open"),
        ]

    def __str__(self) -> str:
        return f"reply proposal {self.pk} ({self.status})"


class ReplyCandidate(models.Model):
    proposal = models.ForeignKey(ReplyProposal, on_delete=models.CASCADE, related_name="candidates")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    chosen = models.BooleanField(default=False)
    # What the approver sent when they edited the chosen candidate (empty: sent as written).
    edited_text = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return f"candidate {self.position} of proposal {self.proposal_id}"


class FollowerThanks(models.Model):
    """What became of a new follower on the "thank new followers" page: thanked (with the
    reply that was sent and the wording used) or skipped. Never written without a person."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="thanks"
    )
    outcome = models.CharField(max_length=8, choices=ThanksOutcome.choices)
    # Which wording was proposed ("en-3"), so the next proposal is never the same one.
    template = models.CharField(max_length=20, blank=True)
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.outcome} follower in conversation {self.conversation_id}"


class Escalation(models.Model):
    """Varde escalated a conversation by itself: a target was missed, or listening reported
    more negative mentions. Once per reason and per clock start (``since``): the unique
    constraint keeps it once even when two workers judge the same minute."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="escalations"
    )
    reason = models.CharField(max_length=10, choices=EscalationReason.choices)
    # When the missed clock started (or the conversation was opened, for a negative spike).
    since = models.DateTimeField()
    notified = models.JSONField(default=list)  # user ids told
    alert_id = models.BigIntegerField(null=True, blank=True)  # listening's alert, for a spike
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["conversation", "reason", "since"], name="inbox_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"escalation of conversation {self.conversation_id} ({self.reason})"


class Availability(models.Model):
    """A member is away until a time: round-robin assignment passes them by meanwhile."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    away_until = models.DateTimeField(_("away until"), null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "user"], name="inbox_availability_once")
        ]

    def __str__(self) -> str:
        return f"availability of user {self.user_id}"


class RoundRobinPointer(models.Model):
    """Whose turn it was last in a rule's round-robin: stored, so the turns stay fair across
    restarts, and locked while the next one is chosen, so two workers never pick the same."""

    rule = models.OneToOneField(
        ModerationRule, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    last_user_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"round-robin of rule {self.rule_id}"
