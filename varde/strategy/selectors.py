"""Reading the plan. Every query starts from a workspace.

The functions in the first half return plain frozen dataclasses: that is the surface other apps
use (calendar, policy guard, inbox, listening, analytics), so they never depend on this app's
models. The second half returns querysets for this app's own pages and exports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from varde.accounts import selectors as account_selectors
from varde.lib.rowtext import rows_as_text
from varde.strategy.models import (
    CADENCE_DAYS,
    Audience,
    BusinessGoal,
    Competitor,
    ContentPillar,
    EscalationStep,
    GoalStatus,
    HashtagRule,
    HashtagUse,
    KeyMessage,
    Network,
    PlanChannel,
    PlanPerson,
    PlanVersion,
    Responsibility,
    Review,
    ReviewCadence,
    SocialGoal,
    StrategyPlan,
    TermRule,
    TermSeverity,
)

if TYPE_CHECKING:
    from varde.accounts.models import AuditEvent, Workspace

# --- The public surface for other apps -------------------------------------------------------


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    title: str
    user_id: int | None


@dataclass(frozen=True)
class GoalTarget:
    id: int
    title: str
    metric: str  # a strategy.models.Metric value, "" when not chosen yet
    metric_label: str
    channel_id: int | None
    network: str | None  # the channel's network, None for "all channels"
    baseline: Decimal | None
    target: Decimal | None
    deadline: dt.date | None
    owner: PersonRef | None
    business_goal: str
    status: str

    @property
    def network_name(self) -> str:
        return network_name(self.network) if self.network else ""


@dataclass(frozen=True)
class ChannelPlan:
    channel_id: int
    network: str  # a strategy.models.Network value: "instagram", "facebook", ...
    name: str
    role: str  # a strategy.models.ChannelRole value, "" when not chosen
    posts_per_week: Decimal | None
    days: tuple[int, ...]  # Monday = 0
    times: tuple[dt.time, ...]  # wall-clock times in the workspace's time zone
    producer: PersonRef | None
    approver: PersonRef | None
    publishers: tuple[PersonRef, ...]  # who may publish to this official account

    @property
    def network_name(self) -> str:
        return network_name(self.network)


def network_name(network: str) -> str:
    """A plan network as people write it ("Facebook"), never its code ("facebook")."""
    try:
        return str(Network(network).label)
    except ValueError:
        return network


@dataclass(frozen=True)
class ContentMix:
    """Target share of posts in per cent; adds up to 100 when the plan is consistent."""

    promotional: int
    curated: int
    engagement: int

    @property
    def total(self) -> int:
        return self.promotional + self.curated + self.engagement


@dataclass(frozen=True)
class Pillar:
    id: int
    name: str
    share: int | None


@dataclass(frozen=True)
class HashtagPolicy:
    use: tuple[str, ...]  # without "#", lower case
    avoid: dict[str, str]  # tag -> why
    require_context_check: bool  # the #Aurora rule: look at a trending tag before using it


@dataclass(frozen=True)
class TermPolicy:
    term: str
    blocks: bool  # True: the post must not go out; False: warn the writer
    note: str
    language: str = ""  # "nb", "en", or "" for posts in any language


@dataclass(frozen=True)
class CompetitorRef:
    name: str
    website: str
    handles: tuple[tuple[str, str], ...]  # (network, handle)


@dataclass(frozen=True)
class Step:
    order: int
    situation: str
    action: str
    person: PersonRef | None
    within_hours: Decimal | None


@dataclass(frozen=True)
class Playbook:
    hidable: str  # what may be hidden: spam and offensive content
    criticism: str  # how criticism is answered; criticism is never deleted
    never_delete_criticism: bool  # always True: the product enforces it
    response_time_hours: Decimal | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class AudienceRef:
    id: int
    name: str
    priority: int
    key_messages: tuple[str, ...]
    channel_ids: tuple[int, ...]


def _person(person: PlanPerson | None) -> PersonRef | None:
    if person is None:
        return None
    return PersonRef(person.pk, person.name, person.title, person.user_id)


def plan_for(workspace: Workspace) -> StrategyPlan | None:
    """The plan-wide answers (mission, resources, policy text, ...), or None before any save."""
    return StrategyPlan.objects.select_related("review_owner").filter(workspace=workspace).first()


def plan_or_default(workspace: Workspace) -> StrategyPlan:
    """The saved plan, or an unsaved one with the defaults, so pages can show an empty plan."""
    return plan_for(workspace) or StrategyPlan(workspace=workspace)


def goals_for(workspace: Workspace, *, active_only: bool = True) -> list[GoalTarget]:
    goals = SocialGoal.objects.filter(workspace=workspace).select_related(
        "owner", "channel", "business_goal"
    )
    if active_only:
        goals = goals.filter(status=GoalStatus.ACTIVE)
    return [
        GoalTarget(
            id=goal.pk,
            title=goal.title,
            metric=goal.metric,
            metric_label=goal.metric_label,
            channel_id=goal.channel_id,
            network=goal.channel.network if goal.channel else None,
            baseline=goal.baseline,
            target=goal.target,
            deadline=goal.deadline,
            owner=_person(goal.owner),
            business_goal=goal.business_goal.title if goal.business_goal else "",
            status=goal.status,
        )
        for goal in goals
    ]


def _parse_time(value: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def publishing_plan_for(workspace: Workspace, *, network: str | None = None) -> list[ChannelPlan]:
    """Per channel: how often, which days and times, who makes and who approves the posts."""
    channels = (
        PlanChannel.objects.filter(workspace=workspace)
        .select_related("producer", "approver")
        .prefetch_related("publishers")
    )
    if network is not None:
        channels = channels.filter(network=network)
    result = []
    for channel in channels:
        times = tuple(t for t in (_parse_time(v) for v in channel.times) if t is not None)
        result.append(
            ChannelPlan(
                channel_id=channel.pk,
                network=channel.network,
                name=channel.name,
                role=channel.role,
                posts_per_week=channel.posts_per_week,
                days=tuple(sorted(int(d) for d in channel.days)),
                times=tuple(sorted(times)),
                producer=_person(channel.producer),
                approver=_person(channel.approver),
                publishers=tuple(
                    p for p in (_person(p) for p in channel.publishers.all()) if p is not None
                ),
            )
        )
    return result


def network_choices() -> list[tuple[str, str]]:
    """The networks a plan channel may be on, as (value, label in the active language), for
    forms in other apps (the channels app offers to add a connected account to the plan)."""
    return [(value, str(label)) for value, label in Network.choices]


def network_label(value: str) -> str:
    """The plan's name for a network value ("facebook" → "Facebook", "other" → "Other")."""
    try:
        return str(Network(value).label)
    except ValueError:
        return value


def content_mix_target(workspace: Workspace) -> ContentMix:
    plan = plan_or_default(workspace)
    return ContentMix(plan.mix_promotional, plan.mix_curated, plan.mix_engagement)


def pillars_for(workspace: Workspace) -> list[Pillar]:
    return [
        Pillar(p.pk, p.name, p.share) for p in ContentPillar.objects.filter(workspace=workspace)
    ]


def _normal_tag(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def hashtags_for(workspace: Workspace) -> HashtagPolicy:
    rules = HashtagRule.objects.filter(workspace=workspace)
    return HashtagPolicy(
        use=tuple(_normal_tag(r.tag) for r in rules if r.use == HashtagUse.USE),
        avoid={_normal_tag(r.tag): r.note for r in rules if r.use == HashtagUse.AVOID},
        require_context_check=plan_or_default(workspace).require_hashtag_check,
    )


def banned_terms_for(workspace: Workspace) -> list[TermPolicy]:
    return [
        TermPolicy(rule.term, rule.severity == TermSeverity.BLOCK, rule.note, rule.language)
        for rule in TermRule.objects.filter(workspace=workspace)
    ]


def competitors_for(workspace: Workspace) -> list[CompetitorRef]:
    return [
        CompetitorRef(
            c.name,
            c.website,
            tuple(
                (str(h.get("network", "")), str(h.get("handle", "")))
                for h in c.handles
                if isinstance(h, dict)
            ),
        )
        for c in Competitor.objects.filter(workspace=workspace)
    ]


def playbook_for(workspace: Workspace) -> Playbook:
    plan = plan_or_default(workspace)
    steps = EscalationStep.objects.filter(workspace=workspace).select_related("person")
    return Playbook(
        hidable=plan.playbook_hidable,
        criticism=plan.playbook_criticism,
        never_delete_criticism=True,
        response_time_hours=plan.response_time_hours,
        steps=tuple(
            Step(s.order, s.situation, s.action, _person(s.person), s.within_hours) for s in steps
        ),
    )


def audiences_for(workspace: Workspace) -> list[AudienceRef]:
    """Audiences by priority with their key messages (messages for everyone included)."""
    general = tuple(
        m.text for m in KeyMessage.objects.filter(workspace=workspace, audience__isnull=True)
    )
    return [
        AudienceRef(
            a.pk,
            a.name,
            a.priority,
            tuple(m.text for m in a.key_messages.all()) + general,
            tuple(c.pk for c in a.channels.all()),
        )
        for a in audience_list(workspace)
    ]


def next_review_due(workspace: Workspace) -> dt.date | None:
    plan = plan_for(workspace)
    if plan is None or not plan.review_cadence:
        return None
    last = Review.objects.filter(workspace=workspace).order_by("-held_on").first()
    if last is None:
        return None
    return last.held_on + dt.timedelta(days=CADENCE_DAYS[ReviewCadence(plan.review_cadence)])


def plan_rule_rows(workspace_id: int) -> list[QuerySet[Any]]:
    """What the policy guard reads from the plan (``banned_terms_for``, ``hashtags_for``,
    ``publishing_plan_for``, ``people_list``), one text per row (``varde.lib.rowtext``): the
    engine re-reads these with every send and reuses its parsed rules while they are the same.
    A field the guard starts to read must be added here, or a change to it could go unseen."""
    return [
        rows_as_text(
            TermRule.objects.filter(workspace_id=workspace_id),
            "term",
            *("id", "term", "severity", "note", "language"),
        ),
        rows_as_text(
            HashtagRule.objects.filter(workspace_id=workspace_id), "tag", "id", "tag", "use", "note"
        ),
        rows_as_text(
            StrategyPlan.objects.filter(workspace_id=workspace_id),
            "plan",
            "id",
            "require_hashtag_check",
        ),
        rows_as_text(
            PlanChannel.objects.filter(workspace_id=workspace_id),
            "channel",
            *("id", "network", "name"),
        ),
        rows_as_text(
            PlanPerson.objects.filter(workspace_id=workspace_id),
            "person",
            *("id", "name", "user_id"),
        ),
        rows_as_text(
            PlanPerson.publishes_to.through.objects.filter(planperson__workspace_id=workspace_id),
            "publishes",
            *("planperson_id", "planchannel_id"),
        ),
    ]


# --- This app's own reads --------------------------------------------------------------------


def people_list(workspace: Workspace) -> QuerySet[PlanPerson]:
    return (
        PlanPerson.objects.filter(workspace=workspace)
        .select_related("user")
        .prefetch_related("publishes_to")
    )


def channel_list(workspace: Workspace) -> QuerySet[PlanChannel]:
    return (
        PlanChannel.objects.filter(workspace=workspace)
        .select_related("producer", "approver")
        .prefetch_related("publishers")
    )


def competitor_list(workspace: Workspace) -> QuerySet[Competitor]:
    return Competitor.objects.filter(workspace=workspace)


def business_goal_list(workspace: Workspace) -> QuerySet[BusinessGoal]:
    return BusinessGoal.objects.filter(workspace=workspace)


def social_goal_list(workspace: Workspace) -> QuerySet[SocialGoal]:
    return SocialGoal.objects.filter(workspace=workspace).select_related(
        "owner", "channel", "business_goal"
    )


def audience_list(workspace: Workspace) -> QuerySet[Audience]:
    return Audience.objects.filter(workspace=workspace).prefetch_related(
        Prefetch("key_messages", queryset=KeyMessage.objects.filter(workspace=workspace)),
        "channels",
    )


def key_message_list(workspace: Workspace) -> QuerySet[KeyMessage]:
    return KeyMessage.objects.filter(workspace=workspace).select_related("audience")


def pillar_list(workspace: Workspace) -> QuerySet[ContentPillar]:
    return ContentPillar.objects.filter(workspace=workspace)


def hashtag_list(workspace: Workspace) -> QuerySet[HashtagRule]:
    return HashtagRule.objects.filter(workspace=workspace)


def term_list(workspace: Workspace) -> QuerySet[TermRule]:
    return TermRule.objects.filter(workspace=workspace)


def responsibility_list(workspace: Workspace) -> QuerySet[Responsibility]:
    return (
        Responsibility.objects.filter(workspace=workspace)
        .select_related("responsible", "accountable")
        .prefetch_related("consulted", "informed")
    )


def escalation_list(workspace: Workspace) -> QuerySet[EscalationStep]:
    return EscalationStep.objects.filter(workspace=workspace).select_related("person")


def review_list(workspace: Workspace) -> QuerySet[Review]:
    return Review.objects.filter(workspace=workspace)


def version_list(workspace: Workspace) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(workspace=workspace).select_related(
        "created_by", "adopted_by"
    )


def adopted_version(workspace: Workspace) -> PlanVersion | None:
    return version_list(workspace).filter(adopted_at__isnull=False).first()


def plan_history(workspace: Workspace) -> QuerySet[AuditEvent]:
    """Every recorded change to the plan, newest first (who, when, what changed)."""
    return account_selectors.audit_events(workspace=workspace).filter(
        action__startswith="strategy."
    )


def changes_since_adopted(workspace: Workspace) -> QuerySet[AuditEvent] | None:
    """Changes after the adopted version; None when no version is adopted yet."""
    adopted = adopted_version(workspace)
    if adopted is None or adopted.adopted_at is None:
        return None
    return (
        plan_history(workspace)
        .filter(created_at__gt=adopted.adopted_at)
        .exclude(action__startswith="strategy.version.")
    )


def plan_response_time_hours(workspace: Workspace) -> Decimal | None:
    """The plan's "answer within (hours)" (phase 6), for the inbox's response clocks."""
    return (
        StrategyPlan.objects.filter(workspace=workspace)
        .values_list("response_time_hours", flat=True)
        .first()
    )
