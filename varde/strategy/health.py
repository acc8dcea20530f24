"""Plan health: what is missing or contradictory in the plan, computed from the stored data.

Each finding names the phase and the part of the phase page where it is fixed, so the overview
can link straight there. ``bad`` findings make the plan unusable for the rest of Varde (a goal
that cannot be measured, a channel nobody runs); ``warn`` findings are advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.utils import timezone
from django.utils.translation import gettext as _

from varde.strategy import selectors
from varde.strategy.models import GoalStatus, Metric

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


@dataclass(frozen=True)
class Finding:
    level: Literal["bad", "warn"]
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


def plan_health(workspace: Workspace) -> list[Finding]:  # noqa: PLR0912, PLR0915 - one list of rules
    found: list[Finding] = []

    def add(level: Literal["bad", "warn"], code: str, phase: int, section: str, msg: str) -> None:
        found.append(Finding(level, msg, phase, section, code))

    plan = selectors.plan_or_default(workspace)
    channels = list(selectors.channel_list(workspace))
    goals = [g for g in selectors.social_goal_list(workspace) if g.status == GoalStatus.ACTIVE]
    audiences = list(selectors.audience_list(workspace))
    general_messages = selectors.key_message_list(workspace).filter(audience__isnull=True)
    people = list(selectors.people_list(workspace))
    today = timezone.localdate()

    # Phase 1
    active_channels = [c for c in channels if c.exists or c.posts_per_week]
    if not channels:
        add("bad", "no_channels", 1, "channels", _("No channels yet. Add the channels you use."))
    if plan.hours_per_week is None:
        add(
            "warn",
            "no_resources",
            1,
            "resources",
            _("Say how many hours a week you can spend, so the plan can be checked against it."),
        )
    else:
        planned = planned_hours_per_week(workspace)
        if planned > plan.hours_per_week:
            add(
                "bad",
                "over_resources",
                1,
                "resources",
                _(
                    "The plan needs %(planned)s hours a week, but you can spend %(have)s. Post "
                    "less often or find more time."
                )
                % {"planned": planned, "have": plan.hours_per_week},
            )
    if not (plan.strengths or plan.weaknesses or plan.opportunities or plan.threats):
        add("warn", "no_swot", 1, "swot", _("The SWOT analysis is empty."))

    # Phase 2
    if not plan.mission.strip():
        add("bad", "no_mission", 2, "mission", _("The plan has no mission yet."))
    if not goals:
        add("bad", "no_goals", 2, "social-goals", _("There are no active social media goals."))
    if not selectors.business_goal_list(workspace).exists():
        add(
            "warn",
            "no_business_goals",
            2,
            "business-goals",
            _("No business goals yet: what should social media help the business achieve?"),
        )
    for goal in goals:
        missing = []
        if not goal.metric or (goal.metric == Metric.CUSTOM and not goal.custom_metric.strip()):
            missing.append(_("a metric"))
        if goal.target is None:
            missing.append(_("a target"))
        if goal.baseline is None:
            missing.append(_("a starting point"))
        if goal.deadline is None:
            missing.append(_("a deadline"))
        if goal.owner_id is None:
            missing.append(_("someone responsible"))
        if missing:
            add(
                "bad",
                "goal_incomplete",
                2,
                "social-goals",
                _("The goal “%(goal)s” needs %(missing)s.")
                % {"goal": goal.title, "missing": ", ".join(str(m) for m in missing)},
            )
        if goal.target is not None and goal.target == goal.baseline:
            add(
                "warn",
                "goal_target_is_baseline",
                2,
                "social-goals",
                _("The target of “%(goal)s” is the same as its starting point.")
                % {"goal": goal.title},
            )
        if goal.deadline is not None and goal.deadline < today:
            add(
                "warn",
                "goal_overdue",
                2,
                "social-goals",
                _(
                    "The deadline of “%(goal)s” has passed. Mark it achieved or dropped, or set a "
                    "new deadline."
                )
                % {"goal": goal.title},
            )
        if goal.business_goal_id is None:
            add(
                "warn",
                "goal_unlinked",
                2,
                "social-goals",
                _("The goal “%(goal)s” is not tied to a business goal.") % {"goal": goal.title},
            )

    # Phase 3
    if not audiences:
        add("bad", "no_audiences", 3, "audiences", _("No audiences yet: who do you want to reach?"))
    for audience in audiences:
        if not audience.key_messages.all() and not general_messages.exists():
            add(
                "bad",
                "audience_no_message",
                5,
                "messages",
                _("The audience “%(audience)s” has no key message.") % {"audience": audience.name},
            )
        if not audience.channels.all():
            add(
                "warn",
                "audience_no_channel",
                3,
                "audiences",
                _("Where do you reach “%(audience)s”? Choose the channels they use.")
                % {"audience": audience.name},
            )
        if all(
            getattr(audience, rung) is None
            for rung in (
                "creators",
                "conversationalists",
                "critics",
                "collectors",
                "joiners",
                "spectators",
                "inactives",
            )
        ):
            add(
                "warn",
                "audience_no_profile",
                3,
                "audiences",
                _(
                    "Estimate the Technographics profile of “%(audience)s” to choose the right "
                    "tactics."
                )
                % {"audience": audience.name},
            )

    # Phase 4
    if plan.mix_total != 100:
        add(
            "bad",
            "mix_not_100",
            4,
            "mix",
            _("The content mix adds up to %(total)s %%, not 100 %%.") % {"total": plan.mix_total},
        )
    if plan.mix_promotional > 60:
        add(
            "warn",
            "mix_too_promotional",
            4,
            "mix",
            _(
                "More than %(limit)s %% of posts are promotional. Social media is a "
                "conversation: share and engage more."
            )
            % {"limit": 60},
        )
    if not list(selectors.pillar_list(workspace)):
        add("warn", "no_pillars", 4, "pillars", _("No content pillars: what will you talk about?"))
    pillar_total = sum(p.share or 0 for p in selectors.pillar_list(workspace))
    if pillar_total > 100:
        add(
            "bad",
            "pillars_over_100",
            4,
            "pillars",
            _("The content pillars' shares add up to %(total)s %%, more than 100 %%.")
            % {"total": pillar_total},
        )
    for channel in active_channels:
        if not channel.posts_per_week:
            add(
                "bad",
                "channel_no_frequency",
                4,
                "schedule",
                _("Say how often you post on %(channel)s.") % {"channel": channel},
            )
        elif not channel.days:
            add(
                "warn",
                "channel_no_days",
                4,
                "schedule",
                _("Choose the days you post on %(channel)s.") % {"channel": channel},
            )
        if channel.producer_id is None:
            add(
                "bad",
                "channel_no_owner",
                4,
                "schedule",
                _("Nobody makes the posts for %(channel)s.") % {"channel": channel},
            )
        if channel.posts_per_week and channel.approver_id is None:
            add(
                "warn",
                "channel_no_approver",
                4,
                "schedule",
                _(
                    "Say who approves the posts for %(channel)s, even if it is the person who "
                    "makes them."
                )
                % {"channel": channel},
            )
        if not channel.role:
            add(
                "warn",
                "channel_no_role",
                4,
                "schedule",
                _("Give %(channel)s a role: what is it for?") % {"channel": channel},
            )
        if channel.posts_per_week and not channel.publishers.all():
            add(
                "warn",
                "channel_no_access",
                6,
                "team",
                _("Nobody is listed as allowed to publish to %(channel)s.") % {"channel": channel},
            )

    # Phase 5
    hashtags = list(selectors.hashtag_list(workspace))
    use = {h.tag.lstrip("#").lower() for h in hashtags if h.use == "use"}
    avoid = {h.tag.lstrip("#").lower() for h in hashtags if h.use == "avoid"}
    for tag in sorted(use & avoid):
        add(
            "bad",
            "hashtag_both",
            5,
            "hashtags",
            _("#%(tag)s is both on the use list and the avoid list.") % {"tag": tag},
        )
    if not plan.require_hashtag_check:
        add(
            "warn",
            "no_hashtag_check",
            5,
            "hashtags",
            _(
                "The plan does not ask people to check what a trending hashtag is about before "
                "using it (remember #Aurora)."
            ),
        )
    if not plan.tone_of_voice.strip():
        add("warn", "no_tone", 5, "tone", _("Describe your tone of voice."))
    banned = [t.term.lower() for t in selectors.term_list(workspace) if t.severity == "block"]
    for message in selectors.key_message_list(workspace):
        for term in banned:
            if term and term in message.text.lower():
                add(
                    "bad",
                    "message_uses_banned_term",
                    5,
                    "messages",
                    _("A key message uses the banned term “%(term)s”.") % {"term": term},
                )

    # Phase 6
    if not people:
        add("bad", "no_people", 6, "team", _("Nobody is named in the plan. Who does the work?"))
    elif not selectors.responsibility_list(workspace).exists():
        add(
            "warn",
            "no_responsibilities",
            6,
            "raci",
            _("Nobody is responsible for any activity yet. Fill in who does what."),
        )
    if not plan.social_media_policy.strip():
        add("bad", "no_policy", 6, "policy", _("There is no social media policy."))
    if not selectors.escalation_list(workspace).exists() or not plan.playbook_criticism.strip():
        add(
            "bad",
            "no_playbook",
            6,
            "playbook",
            _("There is no playbook for negative comments and crises."),
        )
    if plan.response_time_hours is None:
        add("warn", "no_response_time", 6, "playbook", _("Set a target response time."))

    # Phase 7
    if not plan.review_cadence:
        add("bad", "no_review_cadence", 7, "cadence", _("Decide how often the plan is reviewed."))
    else:
        if plan.review_owner_id is None:
            add("warn", "no_review_owner", 7, "cadence", _("Say who leads the review."))
        due = selectors.next_review_due(workspace)
        if due is None:
            add("warn", "no_review_yet", 7, "reviews", _("No review has been recorded yet."))
        elif due < today:
            add(
                "warn",
                "review_overdue",
                7,
                "reviews",
                _("A review was due on %(date)s.") % {"date": due.isoformat()},
            )
    return found
