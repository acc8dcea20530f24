"""Metric snapshots: what a network said about one published post, at one moment; the
daily numbers and rollups read from them; Varde's short links, clicks and conversions;
numbers entered by hand for goals.

Snapshots are kept (not overwritten), so a later report can show how a post grew. The counts
are the connectors' ``PostMetrics`` contract; ``views`` is None where the network does not say.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.analytics.choices import (
    ConversionKind,
    ConversionSource,
    Decision,
    Metric,
    MetricSource,
    ReportCadence,
)


class MetricSnapshot(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey("publishing.Delivery", on_delete=models.CASCADE, related_name="+")
    fetched_at = models.DateTimeField(_("read at"))
    likes = models.PositiveIntegerField(_("likes"), default=0)
    reposts = models.PositiveIntegerField(_("shares"), default=0)
    replies = models.PositiveIntegerField(_("replies"), default=0)
    quotes = models.PositiveIntegerField(_("quotes"), default=0)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        ordering: ClassVar[list[str]] = ["-fetched_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["delivery", "-fetched_at"], name="snapshot_latest"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.delivery_id} at {self.fetched_at:%Y-%m-%d %H:%M}"


class DailyMetric(models.Model):
    """One number for one day: an account's (``delivery`` empty: followers) or a published
    post's (lifetime counts as read that day), with where it came from, the answer it was
    read from and the error when reading failed (``value`` empty then)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+"
    )
    delivery = models.ForeignKey(
        "publishing.Delivery", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=MetricSource.choices)
    raw = models.JSONField(_("answer"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("daily metric")
        verbose_name_plural = _("daily metrics")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["delivery", "metric", "day"],
                condition=models.Q(delivery__isnull=False),
                name="daily_metric_post_once",
            ),
            models.UniqueConstraint(
                fields=["channel", "metric", "day"],
                condition=models.Q(delivery__isnull=True),
                name="daily_metric_account_once",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "metric", "day"], name="daily_metric_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value}"


class DailyRollup(models.Model):
    """What happened on one day for one channel × campaign × pillar × content kind: the
    increase of each post count that day (a period total, not a lifetime total), and the
    followers at the end of the day. Dashboards read these, never the raw rows."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+"
    )
    campaign_id = models.IntegerField(null=True, blank=True)
    pillar_id = models.IntegerField(null=True, blank=True)
    mix_category = models.CharField(max_length=20, blank=True)
    metric = models.CharField(max_length=30, choices=Metric.choices)
    value = models.BigIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, choices=MetricSource.choices)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "metric", "day"], name="rollup_by_day"),
            # Covers what a period's page reads (``selectors.period_cube``), so the database
            # answers from the index alone.
            models.Index(
                fields=[
                    "workspace",
                    "day",
                    "channel",
                    "campaign_id",
                    "pillar_id",
                    "mix_category",
                    "metric",
                    "source",
                    "value",
                ],
                name="rollup_period_cube",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value}"


class ChannelDayTotal(models.Model):
    """One channel's total of one metric on one day (the day's rollups summed over campaign,
    pillar and content kind), rebuilt with them (``daily.rollup_rebuild``). The goals' history
    reads these: a year of one metric is a few hundred rows, not a few hundred thousand."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(max_length=30, choices=Metric.choices)
    source = models.CharField(max_length=20, choices=MetricSource.choices)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("channel day total")
        verbose_name_plural = _("channel day totals")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["workspace", "metric", "day", "channel", "source", "value"],
                name="channel_day_by_metric",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value}"


class ShortLink(models.Model):
    """Varde's own short address (``/l/<code>``) for one link of one post on one channel."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16, unique=True)
    target_url = models.URLField(_("goes to"), max_length=2000)
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.ForeignKey(
        "channels.ConnectedAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campaign_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["post", "channel", "target_url"], name="short_link_once_per_post"
            ),
        ]

    def __str__(self) -> str:
        return f"/l/{self.code} → {self.target_url}"


class LinkClick(models.Model):
    """One human click on a short link. No address, no cookie: ``visitor`` is a hash of
    address and browser under a salt that changes every day and is deleted after two, so a
    visitor is counted once a day and can never be followed from one day to the next."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShortLink, on_delete=models.CASCADE, related_name="clicks")
    at = models.DateTimeField()
    day = models.DateField()
    visitor = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("link click")
        verbose_name_plural = _("link clicks")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "day"], name="click_by_day"),
            models.Index(fields=["link", "day"], name="click_by_link"),
        ]

    def __str__(self) -> str:
        return f"click on {self.link_id} at {self.at:%Y-%m-%d %H:%M}"


class VisitorSalt(models.Model):
    """The salt of one day's visitor hashes; deleted after two days."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class TrackingKey(models.Model):
    """A workspace's secret for signed conversions and the public id of its pixel."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    secret_encrypted = models.TextField()
    pixel_id = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"tracking key of workspace {self.workspace_id}"


class Conversion(models.Model):
    """A lead, customer or sale: entered by hand, sent to the endpoint, or seen by the pixel."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ConversionKind.choices)
    value = models.DecimalField(
        _("revenue"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    at = models.DateTimeField(_("when"))
    day = models.DateField()
    source = models.CharField(max_length=20, choices=ConversionSource.choices)
    link = models.ForeignKey(
        ShortLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign_id = models.IntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        ordering: ClassVar[list[str]] = ["-at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["workspace", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="conversion_once",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["workspace", "kind", "day"], name="conversion_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.day}"


class GoalReading(models.Model):
    """A goal's number on a day, entered by a person (for goals Varde cannot measure)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey("strategy.SocialGoal", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal reading")
        verbose_name_plural = _("goal readings")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["goal", "day"], name="goal_reading_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id} on {self.day}: {self.value}"


class ControlReview(models.Model):
    """A control review of the plan (phase 7): the proposals made from the numbers of a period,
    what the team decided about each, and, once finished, the plan version it adopted."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    # The plan version adopted when the review was finished; 0 until then.
    plan_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["-started_at", "-id"]
        verbose_name = _("control review")
        verbose_name_plural = _("control reviews")

    def __str__(self) -> str:
        return f"review {self.period_start}–{self.period_end}"


class ReviewProposal(models.Model):
    """One proposal of a review: its topic and figures (worded when shown, in the reader's
    language), the change to the plan it would make, and the decision."""

    review = models.ForeignKey(ControlReview, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=30)
    params = models.JSONField(default=dict)
    # strategy.revisions.PlanChange's fields; null for a finding that changes nothing.
    change = models.JSONField(null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    # The value the team chose instead of the proposed one ("Accepted with a change").
    chosen_value = models.JSONField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["position"]
        verbose_name = _("review proposal")
        verbose_name_plural = _("review proposals")

    def __str__(self) -> str:
        return f"{self.topic} ({self.decision})"


class ReportSchedule(models.Model):
    """A report sent by the worker every week or month: its sections, its colour and who gets
    it (members of the workspace, and e-mail addresses outside it)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    cadence = models.CharField(_("how often"), max_length=10, choices=ReportCadence.choices)
    sections = models.JSONField(_("sections"), default=list)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members")
    )
    external_emails = models.JSONField(_("other e-mail addresses"), default=list, blank=True)
    # The language for the addresses outside the workspace; empty: the workspace's.
    language = models.CharField(_("language"), max_length=8, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1f5f8b")
    active = models.BooleanField(_("active"), default=True)
    # The last period sent (e.g. "2026-11"): a period is sent once, whatever runs the task.
    last_period = models.CharField(max_length=10, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering: ClassVar[list[str]] = ["cadence", "id"]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} report"
