"""Plan health: what is missing or contradictory in the plan, computed from the stored data.

Each finding names the phase and the part of the phase page where it is fixed, so the overview
can link straight there. ``bad`` findings make the plan unusable for the rest of Varde (a goal
that cannot be measured, a channel nobody runs); ``warn`` findings are advice.

The rules are one small function each, held in ``RULES`` (finding code → rule). A rule returns
its message when the plan breaks it, else ``None``. Rules about one kind of thing (a goal, an
audience, a channel) name the things they look at; ``plan_health`` runs neighbouring rules
about the same things item by item, so the findings about one goal stay together on the page.
Adding a rule means adding a row to ``RULES`` and a row to the table in ``tests/test_health.py``
(a test fails until it has one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from varde.lib.localformat import plain_number
from varde.strategy import selectors
from varde.strategy.models import (
    Audience,
    GoalStatus,
    Metric,
    PlanChannel,
    PlanPerson,
    SocialGoal,
    StrategyPlan,
)

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

Level = Literal["bad", "warn"]
Item = TypeVar("Item")


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    phase: int
    section: str
    code: str


def planned_hours_per_week(workspace: Workspace) -> Decimal:
    """Hours the publishing plan needs: posts x minutes per post, plus watching and answering."""
    minutes = sum(
        (
            (channel.posts_per_week or Decimal(0)) * channel.minutes_per_post
            for channel in selectors.channel_list(workspace)
        ),
        Decimal(0),
    )
    plan = selectors.plan_or_default(workspace)
    total = minutes / 60 + (plan.community_hours_per_week or Decimal(0))
    return total.quantize(Decimal("0.1"))


class PlanFacts:
    """The plan as the rules read it: each part fetched once, however many rules look at it."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.today: dt.date = timezone.localdate()

    @cached_property
    def plan(self) -> StrategyPlan:
        return selectors.plan_or_default(self.workspace)

    @cached_property
    def channels(self) -> list[PlanChannel]:
        return list(selectors.channel_list(self.workspace))

    @cached_property
    def active_channels(self) -> list[PlanChannel]:
        """Channels the plan uses: they exist today or have a posting frequency."""
        return [c for c in self.channels if c.exists or c.posts_per_week]

    @cached_property
    def active_goals(self) -> list[SocialGoal]:
        """Achieved and dropped goals are history; only active ones must be complete."""
        return [
            g for g in selectors.social_goal_list(self.workspace) if g.status == GoalStatus.ACTIVE
        ]

    @cached_property
    def audiences(self) -> list[Audience]:
        return list(selectors.audience_list(self.workspace))

    @cached_property
    def has_general_message(self) -> bool:
        """A key message for no audience in particular speaks to every audience."""
        return selectors.key_message_list(self.workspace).filter(audience__isnull=True).exists()

    @cached_property
    def people(self) -> list[PlanPerson]:
        return list(selectors.people_list(self.workspace))

    @cached_property
    def review_due(self) -> dt.date | None:
        return selectors.next_review_due(self.workspace)


@dataclass(frozen=True)
class Rule:
    """A rule about the plan as a whole: ``check`` returns the message when it is broken."""

    level: Level
    phase: int
    section: str
    check: Callable[[PlanFacts], str | None]


@dataclass(frozen=True)
class ItemRule(Generic[Item]):
    """A rule asked once for each of ``items`` (the plan's goals, its audiences, ...)."""

    level: Level
    phase: int
    section: str
    items: Callable[[PlanFacts], Sequence[Item]]
    check: Callable[[PlanFacts, Item], str | None]


# Phase 1: situation and resources.


def _no_channels(facts: PlanFacts) -> str | None:
    return None if facts.channels else _("No channels yet. Add the channels you use.")


def _no_resources(facts: PlanFacts) -> str | None:
    if facts.plan.hours_per_week is not None:
        return None
    return _("Say how many hours a week you can spend, so the plan can be checked against it.")


def _over_resources(facts: PlanFacts) -> str | None:
    have = facts.plan.hours_per_week
    if have is None:
        return None
    planned = planned_hours_per_week(facts.workspace)
    if planned <= have:
        return None
    return _(
        "The plan needs %(planned)s hours a week, but you can spend %(have)s. Post "
        "less often or find more time."
    ) % {"planned": plain_number(planned), "have": plain_number(have)}


def _no_swot(facts: PlanFacts) -> str | None:
    plan = facts.plan
    if plan.strengths or plan.weaknesses or plan.opportunities or plan.threats:
        return None
    return _("The SWOT analysis is empty.")


# Phase 2: mission and goals.


def _no_mission(facts: PlanFacts) -> str | None:
    return None if facts.plan.mission.strip() else _("The plan has no mission yet.")


def _no_goals(facts: PlanFacts) -> str | None:
    return None if facts.active_goals else _("There are no active social media goals.")


def _no_business_goals(facts: PlanFacts) -> str | None:
    if selectors.business_goal_list(facts.workspace).exists():
        return None
    return _("No business goals yet: what should social media help the business achieve?")


def _active_goals(facts: PlanFacts) -> list[SocialGoal]:
    return facts.active_goals


def _goal_missing(goal: SocialGoal) -> list[str]:
    """What a goal lacks to be measurable (SMART): metric, target, start, deadline, owner."""
    has_metric = bool(goal.metric) and (
        goal.metric != Metric.CUSTOM or bool(goal.custom_metric.strip())
    )
    wanted = (
        (has_metric, _("a metric")),
        (goal.target is not None, _("a target")),
        (goal.baseline is not None, _("a starting point")),
        (goal.deadline is not None, _("a deadline")),
        (goal.owner_id is not None, _("someone responsible")),
    )
    return [str(what) for present, what in wanted if not present]


def _goal_incomplete(facts: PlanFacts, goal: SocialGoal) -> str | None:
    missing = _goal_missing(goal)
    if not missing:
        return None
    return _("The goal “%(goal)s” needs %(missing)s.") % {
        "goal": goal.title,
        "missing": ", ".join(missing),
    }


def _goal_target_is_baseline(facts: PlanFacts, goal: SocialGoal) -> str | None:
    if goal.target is None or goal.target != goal.baseline:
        return None
    return _("The target of “%(goal)s” is the same as its starting point.") % {"goal": goal.title}


def _goal_overdue(facts: PlanFacts, goal: SocialGoal) -> str | None:
    if goal.deadline is None or goal.deadline >= facts.today:
        return None
    return _(
        "The deadline of “%(goal)s” has passed. Mark it achieved or dropped, or set a new deadline."
    ) % {"goal": goal.title}


def _goal_unlinked(facts: PlanFacts, goal: SocialGoal) -> str | None:
    if goal.business_goal_id is not None:
        return None
    return _("The goal “%(goal)s” is not tied to a business goal.") % {"goal": goal.title}


# Phase 3: audiences.

TECHNOGRAPHICS_FIELDS = (
    "creators",
    "conversationalists",
    "critics",
    "collectors",
    "joiners",
    "spectators",
    "inactives",
)


def _no_audiences(facts: PlanFacts) -> str | None:
    return None if facts.audiences else _("No audiences yet: who do you want to reach?")


def _audiences(facts: PlanFacts) -> list[Audience]:
    return facts.audiences


def _audience_no_message(facts: PlanFacts, audience: Audience) -> str | None:
    if audience.key_messages.all() or facts.has_general_message:
        return None
    return _("The audience “%(audience)s” has no key message.") % {"audience": audience.name}


def _audience_no_channel(facts: PlanFacts, audience: Audience) -> str | None:
    if audience.channels.all():
        return None
    return _("Where do you reach “%(audience)s”? Choose the channels they use.") % {
        "audience": audience.name
    }


def _audience_no_profile(facts: PlanFacts, audience: Audience) -> str | None:
    if any(getattr(audience, rung) is not None for rung in TECHNOGRAPHICS_FIELDS):
        return None
    return _(
        "Estimate the Technographics profile of “%(audience)s” to choose the right tactics."
    ) % {"audience": audience.name}


# Phase 4: content and the publishing plan.

PROMOTIONAL_LIMIT = 60  # per cent; above it the mix is a shop window, not a conversation


def _mix_not_100(facts: PlanFacts) -> str | None:
    total = facts.plan.mix_total
    if total == 100:
        return None
    return _("The content mix adds up to %(total)s %%, not 100 %%.") % {"total": total}


def _mix_too_promotional(facts: PlanFacts) -> str | None:
    if facts.plan.mix_promotional <= PROMOTIONAL_LIMIT:
        return None
    return _(
        "More than %(limit)s %% of posts are promotional. Social media is a "
        "conversation: share and engage more."
    ) % {"limit": PROMOTIONAL_LIMIT}


def _no_pillars(facts: PlanFacts) -> str | None:
    if list(selectors.pillar_list(facts.workspace)):
        return None
    return _("No content pillars: what will you talk about?")


def _pillars_over_100(facts: PlanFacts) -> str | None:
    total = sum(p.share or 0 for p in selectors.pillar_list(facts.workspace))
    if total <= 100:
        return None
    return _("The content pillars' shares add up to %(total)s %%, more than 100 %%.") % {
        "total": total
    }


def _active_channels(facts: PlanFacts) -> list[PlanChannel]:
    return facts.active_channels


def _channel_no_frequency(facts: PlanFacts, channel: PlanChannel) -> str | None:
    if channel.posts_per_week:
        return None
    return _("Say how often you post on %(channel)s.") % {"channel": channel}


def _channel_no_days(facts: PlanFacts, channel: PlanChannel) -> str | None:
    # Without a frequency the channel is already flagged; asking for days too would be noise.
    if not channel.posts_per_week or channel.days:
        return None
    return _("Choose the days you post on %(channel)s.") % {"channel": channel}


def _channel_no_owner(facts: PlanFacts, channel: PlanChannel) -> str | None:
    if channel.producer_id is not None:
        return None
    return _("Nobody makes the posts for %(channel)s.") % {"channel": channel}


def _channel_no_approver(facts: PlanFacts, channel: PlanChannel) -> str | None:
    if not channel.posts_per_week or channel.approver_id is not None:
        return None
    return _(
        "Say who approves the posts for %(channel)s, even if it is the person who makes them."
    ) % {"channel": channel}


def _channel_no_role(facts: PlanFacts, channel: PlanChannel) -> str | None:
    if channel.role:
        return None
    return _("Give %(channel)s a role: what is it for?") % {"channel": channel}


def _channel_no_access(facts: PlanFacts, channel: PlanChannel) -> str | None:
    if not channel.posts_per_week or channel.publishers.all():
        return None
    return _("Nobody is listed as allowed to publish to %(channel)s.") % {"channel": channel}


# Phase 5: message, hashtags and terms.


def _tags_on_both_lists(facts: PlanFacts) -> list[str]:
    """Hashtags on the use list and the avoid list, compared without "#" and case."""
    hashtags = list(selectors.hashtag_list(facts.workspace))
    use = {h.tag.lstrip("#").lower() for h in hashtags if h.use == "use"}
    avoid = {h.tag.lstrip("#").lower() for h in hashtags if h.use == "avoid"}
    return sorted(use & avoid)


def _hashtag_both(facts: PlanFacts, tag: str) -> str | None:
    return _("#%(tag)s is both on the use list and the avoid list.") % {"tag": tag}


def _no_hashtag_check(facts: PlanFacts) -> str | None:
    if facts.plan.require_hashtag_check:
        return None
    return _(
        "The plan does not ask people to check what a trending hashtag is about before "
        "using it (remember #Aurora)."
    )


def _no_tone(facts: PlanFacts) -> str | None:
    return None if facts.plan.tone_of_voice.strip() else _("Describe your tone of voice.")


def _banned_terms_in_messages(facts: PlanFacts) -> list[str]:
    """Each banned term once for every key message that uses it, in message order."""
    banned = [t.term.lower() for t in selectors.term_list(facts.workspace) if t.severity == "block"]
    return [
        term
        for message in selectors.key_message_list(facts.workspace)
        for term in banned
        if term and term in message.text.lower()
    ]


def _message_uses_banned_term(facts: PlanFacts, term: str) -> str | None:
    return _("A key message uses the banned term “%(term)s”.") % {"term": term}


# Phase 6: people, policy and playbook.


def _no_people(facts: PlanFacts) -> str | None:
    return None if facts.people else _("Nobody is named in the plan. Who does the work?")


def _no_responsibilities(facts: PlanFacts) -> str | None:
    # Without people the plan is already flagged for that; responsibilities come after.
    if not facts.people or selectors.responsibility_list(facts.workspace).exists():
        return None
    return _("Nobody is responsible for any activity yet. Fill in who does what.")


def _no_policy(facts: PlanFacts) -> str | None:
    if facts.plan.social_media_policy.strip():
        return None
    return _("There is no social media policy.")


def _no_playbook(facts: PlanFacts) -> str | None:
    """A playbook needs both the escalation steps and how criticism is answered."""
    has_steps = selectors.escalation_list(facts.workspace).exists()
    if has_steps and facts.plan.playbook_criticism.strip():
        return None
    return _("There is no playbook for negative comments and crises.")


def _no_response_time(facts: PlanFacts) -> str | None:
    if facts.plan.response_time_hours is not None:
        return None
    return _("Set a target response time.")


# Phase 7: control. Without a cadence, the review rules after the first have nothing to check.


def _no_review_cadence(facts: PlanFacts) -> str | None:
    if facts.plan.review_cadence:
        return None
    return _("Decide how often the plan is reviewed.")


def _no_review_owner(facts: PlanFacts) -> str | None:
    if not facts.plan.review_cadence or facts.plan.review_owner_id is not None:
        return None
    return _("Say who leads the review.")


def _no_review_yet(facts: PlanFacts) -> str | None:
    if not facts.plan.review_cadence or facts.review_due is not None:
        return None
    return _("No review has been recorded yet.")


def _review_overdue(facts: PlanFacts) -> str | None:
    due = facts.review_due
    if not facts.plan.review_cadence or due is None or due >= facts.today:
        return None
    return _("A review was due on %(date)s.") % {"date": due.isoformat()}


AnyRule = Rule | ItemRule[Any]

# In the order the findings are listed: by phase, and by the part of the phase page.
RULES: dict[str, AnyRule] = {
    "no_channels": Rule("bad", 1, "channels", _no_channels),
    "no_resources": Rule("warn", 1, "resources", _no_resources),
    "over_resources": Rule("bad", 1, "resources", _over_resources),
    "no_swot": Rule("warn", 1, "swot", _no_swot),
    "no_mission": Rule("bad", 2, "mission", _no_mission),
    "no_goals": Rule("bad", 2, "social-goals", _no_goals),
    "no_business_goals": Rule("warn", 2, "business-goals", _no_business_goals),
    "goal_incomplete": ItemRule("bad", 2, "social-goals", _active_goals, _goal_incomplete),
    "goal_target_is_baseline": ItemRule(
        "warn", 2, "social-goals", _active_goals, _goal_target_is_baseline
    ),
    "goal_overdue": ItemRule("warn", 2, "social-goals", _active_goals, _goal_overdue),
    "goal_unlinked": ItemRule("warn", 2, "social-goals", _active_goals, _goal_unlinked),
    "no_audiences": Rule("bad", 3, "audiences", _no_audiences),
    "audience_no_message": ItemRule("bad", 5, "messages", _audiences, _audience_no_message),
    "audience_no_channel": ItemRule("warn", 3, "audiences", _audiences, _audience_no_channel),
    "audience_no_profile": ItemRule("warn", 3, "audiences", _audiences, _audience_no_profile),
    "mix_not_100": Rule("bad", 4, "mix", _mix_not_100),
    "mix_too_promotional": Rule("warn", 4, "mix", _mix_too_promotional),
    "no_pillars": Rule("warn", 4, "pillars", _no_pillars),
    "pillars_over_100": Rule("bad", 4, "pillars", _pillars_over_100),
    "channel_no_frequency": ItemRule("bad", 4, "schedule", _active_channels, _channel_no_frequency),
    "channel_no_days": ItemRule("warn", 4, "schedule", _active_channels, _channel_no_days),
    "channel_no_owner": ItemRule("bad", 4, "schedule", _active_channels, _channel_no_owner),
    "channel_no_approver": ItemRule("warn", 4, "schedule", _active_channels, _channel_no_approver),
    "channel_no_role": ItemRule("warn", 4, "schedule", _active_channels, _channel_no_role),
    "channel_no_access": ItemRule("warn", 6, "team", _active_channels, _channel_no_access),
    "hashtag_both": ItemRule("bad", 5, "hashtags", _tags_on_both_lists, _hashtag_both),
    "no_hashtag_check": Rule("warn", 5, "hashtags", _no_hashtag_check),
    "no_tone": Rule("warn", 5, "tone", _no_tone),
    "message_uses_banned_term": ItemRule(
        "bad", 5, "messages", _banned_terms_in_messages, _message_uses_banned_term
    ),
    "no_people": Rule("bad", 6, "team", _no_people),
    "no_responsibilities": Rule("warn", 6, "raci", _no_responsibilities),
    "no_policy": Rule("bad", 6, "policy", _no_policy),
    "no_playbook": Rule("bad", 6, "playbook", _no_playbook),
    "no_response_time": Rule("warn", 6, "playbook", _no_response_time),
    "no_review_cadence": Rule("bad", 7, "cadence", _no_review_cadence),
    "no_review_owner": Rule("warn", 7, "cadence", _no_review_owner),
    "no_review_yet": Rule("warn", 7, "reviews", _no_review_yet),
    "review_overdue": Rule("warn", 7, "reviews", _review_overdue),
}


def plan_health(workspace: Workspace) -> list[Finding]:
    """Every rule of ``RULES`` asked of the plan as it is stored now, in the table's order."""
    facts = PlanFacts(workspace)
    found: list[Finding] = []
    for group in _rule_groups(RULES):
        if isinstance(group, tuple):
            found.extend(_plan_findings(facts, *group))
        else:
            found.extend(_item_findings(facts, group))
    return found


ItemGroup = list[tuple[str, ItemRule[Any]]]


def _rule_groups(rules: dict[str, AnyRule]) -> list[tuple[str, Rule] | ItemGroup]:
    """Neighbouring rules about the same items, together; a rule about the plan, on its own."""
    groups: list[tuple[str, Rule] | ItemGroup] = []
    for code, rule in rules.items():
        if isinstance(rule, Rule):
            groups.append((code, rule))
        elif groups and isinstance(groups[-1], list) and groups[-1][0][1].items is rule.items:
            groups[-1].append((code, rule))
        else:
            groups.append([(code, rule)])
    return groups


def _plan_findings(facts: PlanFacts, code: str, rule: Rule) -> Iterator[Finding]:
    yield from _finding(rule, code, rule.check(facts))


def _item_findings(facts: PlanFacts, group: ItemGroup) -> Iterator[Finding]:
    """Item by item, each rule of the group in turn: the findings about one item stay together."""
    for item in group[0][1].items(facts):
        for code, rule in group:
            yield from _finding(rule, code, rule.check(facts, item))


def _finding(rule: AnyRule, code: str, message: str | None) -> Iterator[Finding]:
    if message is not None:
        yield Finding(rule.level, message, rule.phase, rule.section, code)
