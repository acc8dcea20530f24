"""Listening's tables: queries, sources, mentions, which query matched which mention, rollups.

Mention text, names, handles and URLs come from strangers on the internet: always escaped when
shown, links marked ``rel="noopener nofollow ugc"``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.lib.fulltext import FullText
from varde.listening.choices import AlertKind, AlertSensitivity, QueryKind, SentimentLabel
from varde.listening.query.limits import MAX_QUERY_LENGTH


class ListeningQuery(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    text = models.TextField(_("query"), max_length=MAX_QUERY_LENGTH)
    kind = models.CharField(
        _("what it follows"), max_length=20, choices=QueryKind.choices, default=QueryKind.OTHER
    )
    # The plan item this query was made from ("brand", "competitor:<name>", "hashtag:<tag>",
    # "avoid:<tag>"), so "Create queries from the plan" never makes one twice.
    plan_item = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listening query")
        verbose_name_plural = _("listening queries")
        ordering: ClassVar[list[str]] = ["name", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "name"], name="listening_query_name"),
            models.UniqueConstraint(
                fields=["workspace", "plan_item"],
                condition=~models.Q(plan_item=""),
                name="listening_query_plan_item",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """Where mentions are read from: a kind from the sources registry, its settings, its cursor."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    config = models.JSONField(default=dict, blank=True)
    # Opaque to this app: what the source handed back after its last read, handed to the next.
    cursor = models.TextField(blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    # The last failure: a key of ``sources.base.CODES`` (shown translated) and the network's
    # own words, or "" and the exception's text for an unexpected failure.
    error_code = models.CharField(max_length=40, blank=True)
    last_error = models.TextField(blank=True)
    # The source's own figures from its last read (``Batch.health``; keys in HEALTH_FIELDS).
    health = models.JSONField(default=dict, blank=True)
    # The values of the kind's ``sensitive_config_keys``, as JSON encrypted with lib.crypto;
    # never shown back.
    secrets = models.TextField(blank=True)
    items_read = models.PositiveBigIntegerField(default=0)
    items_stored = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listening source")
        verbose_name_plural = _("listening sources")
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class SourceRun(models.Model):
    """One read of one source: when, how many items, what went wrong. Kept for two days."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    items_read = models.PositiveIntegerField(default=0)
    items_stored = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)  # mentions deleted on the network
    not_modified = models.BooleanField(default=False)  # the source said nothing changed
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["source", "-started_at"], name="listening_run_recent"),
        ]

    def __str__(self) -> str:
        return f"run of source {self.source_id} at {self.started_at:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_kind = models.CharField(_("source"), max_length=40)
    external_id = models.CharField(max_length=500)
    url = models.CharField(max_length=1000, blank=True)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("text"))
    site = models.CharField(max_length=253, blank=True)
    # "no" (bokmål and nynorsk), "en", "sv", "da", "de", or "" when unknown.
    language = models.CharField(_("language"), max_length=8, blank=True)
    published_at = models.DateTimeField(_("published"))
    received_at = models.DateTimeField()
    # Null: not judged (no classifier installed, or it could not tell); never a fake label.
    sentiment = models.CharField(  # noqa: DJ001
        _("sentiment"), max_length=10, choices=SentimentLabel.choices, null=True, blank=True
    )
    # Positive minus negative probability, -1 … 1; null when sentiment was not judged.
    sentiment_score = models.FloatField(null=True, blank=True)
    # Hash of the folded words; "" for texts too short to call two of them the same post.
    fingerprint = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering: ClassVar[list[str]] = ["-published_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["workspace", "source_kind", "external_id"], name="listening_mention_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "-published_at", "-id"], name="mention_newest"),
            models.Index(fields=["workspace", "fingerprint"], name="mention_fingerprint"),
            models.Index(
                fields=["workspace", "language", "-published_at"], name="mention_language"
            ),
            models.Index(
                fields=["workspace", "sentiment", "-published_at"], name="mention_sentiment"
            ),
            models.Index(fields=["source", "-published_at"], name="mention_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_kind} {self.external_id}"


# The full-text index of the mentions' text (migration 0003; varde/lib/fulltext.py): an FTS5
# table on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
MENTION_SEARCH = FullText(table="listening_mention", columns=("text",))


class MentionMatch(models.Model):
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="+")
    # Copied from the mention so the stream filtered by query reads one index.
    published_at = models.DateTimeField()
    # [[start, end], …] in the mention's text: the words of the query found there ("why").
    spans = models.JSONField(default=list)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["mention", "query"], name="listening_match_once")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["query", "-published_at"], name="match_query_newest"),
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id} matched query {self.query_id}"


class MentionRollup(models.Model):
    """Mentions per day (in the workspace's time zone), query and sentiment; kept after the
    mentions themselves are deleted by retention."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # A SentimentLabel value, or "" for mentions whose sentiment was not judged.
    sentiment = models.CharField(max_length=10, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["query", "day", "sentiment"], name="listening_rollup_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "day"], name="rollup_workspace_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} query {self.query_id} {self.sentiment or '-'}: {self.count}"


class MentionHourRollup(models.Model):
    """Mentions per hour (UTC, the hour's start), query and sentiment: the charts of the last
    days per hour. Kept like the daily counts; maintained by the same batched store path."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    # A SentimentLabel value, or "" for mentions whose sentiment was not judged.
    sentiment = models.CharField(max_length=10, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["query", "hour", "sentiment"], name="listening_hour_rollup_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "hour"], name="hour_rollup_workspace_hour"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.hour:%Y-%m-%d %H}h query {self.query_id} {self.sentiment or '-'}: {self.count}"
        )


class ListeningSettings(models.Model):
    """Per-workspace listening settings; a workspace without a row uses the defaults."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    retention_days = models.PositiveIntegerField(
        _("keep mentions for (days)"),
        default=365,
        help_text=_("Older mentions are deleted; the daily counts are kept."),
    )
    alert_sensitivity = models.CharField(
        _("alert sensitivity"),
        max_length=10,
        choices=AlertSensitivity.choices,
        default=AlertSensitivity.MEDIUM,
    )

    def __str__(self) -> str:
        return f"listening settings of workspace {self.workspace_id}"


class Alert(models.Model):
    """A volume spike or a sentiment dip of one query against its own rolling baseline, with
    what drove it (``why``: top terms, authors and posts)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    # The window that was judged: [window_start, window_end).
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.FloatField()  # mentions in the window, or its share of negative ones
    baseline = models.FloatField()  # what was usual (the median)
    threshold = models.FloatField()  # what it had to pass
    # {"terms": [[word, n]…], "authors": [[handle, n]…], "mentions": [id…]}
    why = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("listening alert")
        verbose_name_plural = _("listening alerts")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "-created_at"], name="alert_newest"),
            models.Index(fields=["query", "kind", "-created_at"], name="alert_cooldown"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of query {self.query_id} at {self.window_end:%Y-%m-%d %H:%M}"
