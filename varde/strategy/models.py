"""The plan: one per workspace, built in the seven phases of the source articles.

Plan-wide text and numbers live on ``StrategyPlan``; everything that comes in lists (channels,
goals, audiences, people, ...) is its own model with a ``workspace`` foreign key, so every query
can be limited to one workspace. Writes go through ``strategy.services``; other apps read through
``strategy.selectors``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Network(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X (Twitter)"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    THREADS = "threads", "Threads"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    BLOG = "blog", _("Blog")
    NEWSLETTER = "newsletter", _("E-mail newsletter")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class ChannelRole(models.TextChoices):
    """The five objectives of Li and Bernoff's *Groundswell*: what a channel is for."""

    LISTENING = "listening", _("Listening: learn what people say")
    TALKING = "talking", _("Talking: spread our messages")
    ENERGIZING = "energizing", _("Energizing: help fans spread the word")
    SUPPORTING = "supporting", _("Supporting: help customers help each other")
    EMBRACING = "embracing", _("Embracing: let customers help shape what we do")


class Metric(models.TextChoices):
    FOLLOWERS = "followers", _("Followers")
    ENGAGEMENT_RATE = "engagement_rate", _("Engagement rate (%)")
    REACH = "reach", _("Reach")
    LINK_CLICKS = "link_clicks", _("Link clicks")
    WEB_VISITS = "web_visits", _("Visits to the website")
    LEADS = "leads", _("Leads")
    CUSTOMERS = "customers", _("New customers")
    REVENUE = "revenue", _("Revenue")
    RESPONSE_TIME = "response_time", _("Response time (hours)")
    SHARE_OF_VOICE = "share_of_voice", _("Share of voice (%)")
    NET_SENTIMENT = "net_sentiment", _("Net sentiment")
    CUSTOM = "custom", _("Something else (describe it)")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ReviewCadence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every six months")


CADENCE_DAYS = {
    ReviewCadence.WEEKLY: 7,
    ReviewCadence.MONTHLY: 31,
    ReviewCadence.QUARTERLY: 92,
    ReviewCadence.HALF_YEARLY: 183,
}


class TermSeverity(models.TextChoices):
    BLOCK = "block", _("Banned: stop the post")
    WARN = "warn", _("Risky: warn the writer")


class HashtagUse(models.TextChoices):
    USE = "use", _("Use")
    AVOID = "avoid", _("Avoid")


class StrategyPlan(models.Model):
    """The plan-wide answers. One row per workspace, created on the first save."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="strategy_plan"
    )
    # Phase 1: situation and resources.
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    threats = models.TextField(_("threats"), blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week we can spend"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    budget_per_month = models.PositiveIntegerField(
        _("money per month (NOK)"), null=True, blank=True
    )
    # Phase 2: mission and what the customer gets.
    mission = models.TextField(_("mission"), blank=True)
    customer_value = models.TextField(_("what our customers get out of it"), blank=True)
    # Phase 4: target content mix, in per cent.
    mix_promotional = models.PositiveSmallIntegerField(
        _("promotional (%)"), default=34, validators=PERCENT
    )
    mix_curated = models.PositiveSmallIntegerField(_("curated (%)"), default=33, validators=PERCENT)
    mix_engagement = models.PositiveSmallIntegerField(
        _("conversation and engagement (%)"), default=33, validators=PERCENT
    )
    # Phase 5: message and tools.
    tone_of_voice = models.TextField(_("tone of voice"), blank=True)
    tools = models.TextField(_("tools"), blank=True)
    require_hashtag_check = models.BooleanField(
        _("check what a hashtag is about before using it"), default=True
    )
    # Phase 6: implementation.
    social_media_policy = models.TextField(_("social media policy"), blank=True)
    employee_guidelines = models.TextField(_("guidelines for employees"), blank=True)
    community_hours_per_week = models.DecimalField(
        _("hours per week for watching and answering"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
    )
    playbook_hidable = models.TextField(
        _("what may be hidden (spam and offensive comments)"), blank=True
    )
    playbook_criticism = models.TextField(_("how we answer criticism"), blank=True)
    response_time_hours = models.DecimalField(
        _("answer within (hours)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    # Phase 7: control.
    review_cadence = models.CharField(
        _("how often we review the plan"), max_length=20, choices=ReviewCadence.choices, blank=True
    )
    review_scope = models.TextField(_("what we look at in a review"), blank=True)
    review_owner = models.ForeignKey(
        "PlanPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who leads the review"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"Plan for {self.workspace}"

    @property
    def mix_total(self) -> int:
        return self.mix_promotional + self.mix_curated + self.mix_engagement


class PlanPerson(models.Model):
    """Someone who does work in the plan; may or may not have a Varde login."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job or role"), max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Varde user"),
    )
    publishes_to: models.ManyToManyField[PlanChannel, Any] = models.ManyToManyField(
        "PlanChannel", blank=True, related_name="publishers", verbose_name=_("may publish to")
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class PlanChannel(models.Model):
    """A channel: its audit (phase 1), its role and its publishing plan (phase 4)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    name = models.CharField(_("name or handle"), max_length=120)
    # Phase 1: where we stand today.
    exists = models.BooleanField(_("we have this account today"), default=True)
    followers = models.PositiveIntegerField(_("followers today"), null=True, blank=True)
    posts_per_week_now = models.DecimalField(
        _("posts per week today"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    engagement_rate_now = models.DecimalField(
        _("engagement rate today (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    last_post_on = models.DateField(_("last post"), null=True, blank=True)
    run_by_now = models.CharField(_("who runs it today"), max_length=120, blank=True)
    # Phase 4: what it is for and how often we post.
    role = models.CharField(_("role"), max_length=20, choices=ChannelRole.choices, blank=True)
    purpose = models.TextField(_("what we use it for"), blank=True)
    posts_per_week = models.DecimalField(
        _("planned posts per week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # Weekday numbers, Monday = 0, and local wall-clock times "HH:MM" in the workspace time zone.
    days = models.JSONField(_("days"), default=list, blank=True)
    times = models.JSONField(_("times"), default=list, blank=True)
    minutes_per_post = models.PositiveSmallIntegerField(_("minutes to make one post"), default=30)
    producer = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who makes the posts"),
    )
    approver = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who approves"),
    )

    # The reverse side of PlanPerson.publishes_to, declared for the type checker.
    publishers: models.Manager[PlanPerson]

    class Meta:
        ordering: ClassVar[list[str]] = ["network", "name", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.name}"


class Competitor(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    # A list of objects with a "network" and a "handle", one per account.
    handles = models.JSONField(_("accounts"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self) -> str:
        return self.name


class BusinessGoal(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("business goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name = _("business goal")
        verbose_name_plural = _("business goals")

    def __str__(self) -> str:
        return self.title


class SocialGoal(models.Model):
    """A SMART goal for social media, linked to the business goal it serves."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("goal"), max_length=200)
    business_goal = models.ForeignKey(
        BusinessGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_goals",
        verbose_name=_("serves the business goal"),
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, blank=True)
    custom_metric = models.CharField(_("name of the metric"), max_length=120, blank=True)
    channel = models.ForeignKey(
        PlanChannel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("channel (empty: all channels)"),
    )
    baseline = models.DecimalField(
        _("where we are now"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    owner = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible"),
    )
    measurement = models.TextField(_("how we measure it"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["deadline", "id"]
        verbose_name = _("social media goal")
        verbose_name_plural = _("social media goals")

    def __str__(self) -> str:
        return self.title

    @property
    def metric_label(self) -> str:
        if self.metric == Metric.CUSTOM:
            return self.custom_metric
        return str(self.get_metric_display()) if self.metric else ""


class Audience(models.Model):
    """A target group with a Social Technographics profile (share of the group on each rung)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    priority = models.PositiveSmallIntegerField(
        _("priority (1 is most important)"), default=1, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("who they are"), blank=True)
    cares_about = models.TextField(_("what they care about"), blank=True)
    where_they_are = models.TextField(_("where they are online"), blank=True)
    channels = models.ManyToManyField(
        PlanChannel, blank=True, related_name="audiences", verbose_name=_("our channels for them")
    )
    creators = models.PositiveSmallIntegerField(
        _("creators (%)"), null=True, blank=True, validators=PERCENT
    )
    conversationalists = models.PositiveSmallIntegerField(
        _("conversationalists (%)"), null=True, blank=True, validators=PERCENT
    )
    critics = models.PositiveSmallIntegerField(
        _("critics (%)"), null=True, blank=True, validators=PERCENT
    )
    collectors = models.PositiveSmallIntegerField(
        _("collectors (%)"), null=True, blank=True, validators=PERCENT
    )
    joiners = models.PositiveSmallIntegerField(
        _("joiners (%)"), null=True, blank=True, validators=PERCENT
    )
    spectators = models.PositiveSmallIntegerField(
        _("spectators (%)"), null=True, blank=True, validators=PERCENT
    )
    inactives = models.PositiveSmallIntegerField(
        _("inactives (%)"), null=True, blank=True, validators=PERCENT
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["priority", "name", "id"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class KeyMessage(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    audience = models.ForeignKey(
        Audience,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="key_messages",
        verbose_name=_("audience (empty: everyone)"),
    )
    text = models.TextField(_("key message"))
    proof = models.TextField(_("why it is true (proof points)"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["audience__priority", "id"]
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")

    def __str__(self) -> str:
        return self.text[:80]


class ContentPillar(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it covers"), blank=True)
    share = models.PositiveSmallIntegerField(
        _("share of posts (%)"), null=True, blank=True, validators=PERCENT
    )
    examples = models.TextField(_("examples of posts"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name = _("content pillar")
        verbose_name_plural = _("content pillars")

    def __str__(self) -> str:
        return self.name


class HashtagRule(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(_("hashtag"), max_length=100)
    use = models.CharField(_("use or avoid"), max_length=10, choices=HashtagUse.choices)
    note = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["use", "tag"]
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")

    def __str__(self) -> str:
        return f"#{self.tag}"


class TermRule(models.Model):
    """A word or phrase that must not, or should rarely, appear in a post."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    term = models.CharField(_("word or phrase"), max_length=200)
    severity = models.CharField(
        _("what happens"), max_length=10, choices=TermSeverity.choices, default=TermSeverity.WARN
    )
    note = models.CharField(_("why, or what to write instead"), max_length=300, blank=True)
    # A word can be harmless in one language and not in the other; empty: every language.
    language = models.CharField(
        _("in posts written in"),
        max_length=5,
        choices=[("", _("Any language")), ("nb", _("Norwegian")), ("en", _("English"))],
        blank=True,
        default="",
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["severity", "term"]
        verbose_name = _("banned or risky term")
        verbose_name_plural = _("banned or risky terms")

    def __str__(self) -> str:
        return self.term


class Responsibility(models.Model):
    """Who is responsible, accountable, consulted and informed for one activity (RACI)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(_("activity"), max_length=200)
    responsible = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("does the work (responsible)"),
    )
    accountable = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answers for it (accountable)"),
    )
    consulted = models.ManyToManyField(
        PlanPerson, blank=True, related_name="+", verbose_name=_("is asked first (consulted)")
    )
    informed = models.ManyToManyField(
        PlanPerson, blank=True, related_name="+", verbose_name=_("is told (informed)")
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return self.activity


class EscalationStep(models.Model):
    """One step of the playbook for negative comments and crises."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("step"), default=1)
    situation = models.CharField(_("when"), max_length=300)
    action = models.TextField(_("what we do"))
    person = models.ForeignKey(
        PlanPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    within_hours = models.DecimalField(
        _("within (hours)"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["order", "id"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.situation}"


class Review(models.Model):
    """A review held in phase 7, with what it found and what was decided."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("date"))
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    findings = models.TextField(_("what we found"), blank=True)
    decisions = models.TextField(_("what we decided"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-held_on", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"


class PlanVersion(models.Model):
    """A saved copy of the whole plan as a document; one may be the adopted version."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The plan as Markdown in the workspace language, so old versions read as they were.
    markdown = models.TextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["-number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["workspace", "number"], name="one_number_per_version")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"v{self.number}"
