"""The control review (phase 7, issue 14 item 8): the numbers next to the plan, and concrete
changes proposed from them.

Each proposal is a topic, the figures behind it (``params``, JSON-safe, so a stored review
reads the same later and in either language) and, where the plan can be changed from it, the
change (``strategy.revisions.PlanChange`` as a dict). What a proposal never does is change the
plan by itself: the team accepts, changes or rejects each one (``review_services``).

The rules, each stated once here:

- **Frequency**, per channel of the plan with posts a week set, over the full weeks of the
  last eight: fewer than ``LOW_SHARE`` of the plan kept → lower the plan to what was kept;
  more than ``HIGH_SHARE`` → raise it to what was published.
- **Mix by performance**: engagement per published post for each kind of content with at least
  ``MIN_POSTS_PER_KIND`` posts; when the best earns ``MIX_RATIO``× the weakest or more, move
  ``MIX_STEP`` points of the plan's share from the weakest to the best.
- **Goals** off track or at risk (the goal dashboard's forecast): a finding.
- **Response time**: fewer than ``RESPONSE_SHARE`` of at least ``MIN_ANSWERED`` conversations
  answered within the plan's target: a finding.
- **Best time**: a channel's best tried time slot (``best_time``), at least ``TIME_RATIO``× its
  usual engagement, on a day or at a time the plan does not use → add it to the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

from varde.analytics import adherence, best_time, goals, selectors
from varde.analytics.choices import ENGAGEMENT_METRICS
from varde.channels import selectors as channel_selectors
from varde.content.choices import MixCategory
from varde.strategy import selectors as strategy_selectors
from varde.strategy.revisions import posts_per_week_value

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

LOW_SHARE = 0.75
HIGH_SHARE = 1.5
MIN_POSTS_PER_KIND = 3
MIX_RATIO = 1.5
MIX_STEP = 10
MIN_ANSWERED = 5
RESPONSE_SHARE = 0.8
TIME_RATIO = 1.3

FREQUENCY_LOW = "frequency_low"
FREQUENCY_HIGH = "frequency_high"
MIX = "mix"
GOAL = "goal"
RESPONSE = "response"
BEST_TIME = "best_time"
MIX_KEYS = (MixCategory.PROMOTIONAL, MixCategory.CURATED, MixCategory.ENGAGEMENT)


@dataclass(frozen=True)
class Proposal:
    topic: str
    params: dict[str, Any]
    change: dict[str, Any] | None = None  # strategy.revisions.PlanChange's fields


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def review_period(today: dt.date) -> Period:
    """The weeks the plan-kept page judges: eight, this one included."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return Period(this_monday - dt.timedelta(weeks=adherence.WEEKS - 1), today)


def proposals_for(*, workspace: Workspace, today: dt.date) -> list[Proposal]:
    kept = adherence.plan_adherence(workspace=workspace, today=today)
    period = review_period(today)
    return [
        *_frequency(kept),
        *_mix(workspace, kept, period),
        *_goals(workspace, today),
        *_responses(kept),
        *_best_times(workspace, today),
    ]


# --- Frequency --------------------------------------------------------------------------------


def _frequency(kept: adherence.Adherence) -> list[Proposal]:
    found = []
    for row in kept.channels:
        weeks = [week.count for week in row.weeks if not week.in_progress]
        if not row.planned or not weeks or row.plan_channel_id is None:
            continue
        planned, average = float(row.planned), sum(weeks) / len(weeks)
        if LOW_SHARE * planned <= average <= HIGH_SHARE * planned:
            continue
        proposed = posts_per_week_value(average)
        if float(proposed) == planned:
            continue
        params = {
            "channel": f"{row.name} · {row.network_name}",
            "kept": round(average, 1),
            "planned": planned,
            "proposed": float(proposed),
            "weeks": len(weeks),
        }
        change = {
            "part": "channel-plan",
            "item_id": row.plan_channel_id,
            "field": "posts_per_week",
            "value": str(proposed),
        }
        topic = FREQUENCY_LOW if average < planned else FREQUENCY_HIGH
        found.append(Proposal(topic, params, change))
    return found


# --- Content mix by what earned engagement ----------------------------------------------------


def _mix(workspace: Workspace, kept: adherence.Adherence, period: Period) -> list[Proposal]:
    posts = {share.key: share.posts for share in kept.mix}
    earned = {
        row.key: sum(row.values.get(metric, 0) for metric in ENGAGEMENT_METRICS)
        for row in selectors.breakdown(
            workspace=workspace, by="mix_category", start=period.start, end=period.end
        )
    }
    per_post = {
        key: earned.get(key, 0) / posts[key]
        for key in MIX_KEYS
        if posts.get(key, 0) >= MIN_POSTS_PER_KIND
    }
    if len(per_post) < 2:
        return []
    best = max(per_post, key=lambda key: per_post[key])
    worst = min(per_post, key=lambda key: per_post[key])
    if per_post[worst] <= 0 or per_post[best] < MIX_RATIO * per_post[worst]:
        return []
    target = strategy_selectors.content_mix_target(workspace)
    shares = {
        MixCategory.PROMOTIONAL: target.promotional,
        MixCategory.CURATED: target.curated,
        MixCategory.ENGAGEMENT: target.engagement,
    }
    step = min(MIX_STEP, shares[worst], 100 - shares[best])
    if step <= 0:
        return []
    shares[best] += step
    shares[worst] -= step
    params = {
        "best": str(best),
        "worst": str(worst),
        "ratio": round(per_post[best] / per_post[worst], 1),
        "best_posts": posts[best],
        "worst_posts": posts[worst],
        "best_share": shares[best],
        "worst_share": shares[worst],
    }
    change = {"part": "mix", "field": "mix", "value": [shares[key] for key in MIX_KEYS]}
    return [Proposal(MIX, params, change)]


# --- Findings: goals and response times -------------------------------------------------------


def _goals(workspace: Workspace, today: dt.date) -> list[Proposal]:
    found = []
    for progress in goals.goals_progress(workspace=workspace, today=today):
        outlook, goal = progress.outlook, progress.goal
        if outlook.status not in ("off_track", "at_risk"):
            continue
        found.append(
            Proposal(
                GOAL,
                {
                    "title": goal.title,
                    "status": outlook.status,
                    "forecast": outlook.at_deadline,
                    "target": float(goal.target) if goal.target is not None else None,
                    "deadline": goal.deadline.isoformat() if goal.deadline else None,
                },
            )
        )
    return found


def _responses(kept: adherence.Adherence) -> list[Proposal]:
    answers = kept.responses
    if kept.target_hours is None or answers.within_target is None:
        return []
    if (
        answers.answered < MIN_ANSWERED
        or answers.within_target >= RESPONSE_SHARE * answers.answered
    ):
        return []
    params = {
        "within": answers.within_target,
        "answered": answers.answered,
        "hours": kept.target_hours,
    }
    return [Proposal(RESPONSE, params)]


# --- Best time --------------------------------------------------------------------------------


def _best_times(workspace: Workspace, today: dt.date) -> list[Proposal]:
    plans = strategy_selectors.publishing_plan_for(workspace)
    accounts = list(channel_selectors.channels_in(workspace=workspace).current())
    zone = best_time.zone_of(workspace.timezone)
    found = []
    for plan, matched in channel_selectors.plan_accounts(plans, accounts):
        for account in matched[:1]:  # the plan's slots are per channel of the plan
            result = best_time.best_times(channel=account, zone=zone, today=today)
            proposal = _best_slot(plan, result)
            if proposal is not None:
                found.append(proposal)
    return found


def _best_slot(
    plan: strategy_selectors.ChannelPlan, result: best_time.BestTimes
) -> Proposal | None:
    tried = [s for s in result.suggestions if not s.untried and s.score is not None]
    if not tried or (tried[0].score or 0) < TIME_RATIO:
        return None
    slot = tried[0]
    start = dt.time(slot.block * best_time.BLOCK_HOURS)
    in_plan = slot.weekday in plan.days and any(
        start <= at < dt.time(min(23, (slot.block + 1) * best_time.BLOCK_HOURS - 1), 59)
        for at in plan.times
    )
    if in_plan:
        return None
    params = {
        "channel": f"{plan.name} · {plan.network_name}",
        "weekday": slot.weekday,
        "time": start.strftime("%H:%M"),
        "hours": best_time.BLOCK_HOURS,
        "ratio": round(slot.score or 0, 1),
        "posts": slot.posts,
    }
    change = {
        "part": "channel-plan",
        "item_id": plan.channel_id,
        "field": "slot",
        "value": [slot.weekday, start.strftime("%H:%M")],
    }
    return Proposal(BEST_TIME, params, change)


# --- In words ---------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "–" if value is None else str(floatformat(value, "-1"))


def _kind(key: str) -> str:
    return str(MixCategory(key).label)


def _weekday(number: int) -> str:
    return str(formats.date_format(dt.date(2024, 1, 1) + dt.timedelta(days=number), "l"))


def proposal_words(topic: str, params: dict[str, Any]) -> str:
    """The proposal as a sentence in the active language, from its stored figures."""
    writer = _WRITERS.get(topic)
    return writer(params) if writer else ""


def _frequency_low(p: dict[str, Any]) -> str:
    return _(
        "%(channel)s: posts a week kept %(kept)s, planned %(planned)s, over %(weeks)s weeks. "
        "Lower the plan to %(proposed)s a week, or make room for the rest."
    ) % {**p, **{k: _number(p[k]) for k in ("kept", "planned", "proposed")}}


def _frequency_high(p: dict[str, Any]) -> str:
    return _(
        "%(channel)s: posts a week published %(kept)s, planned %(planned)s, over %(weeks)s "
        "weeks. Raise the plan to %(proposed)s a week if the team can keep it up, or post less."
    ) % {**p, **{k: _number(p[k]) for k in ("kept", "planned", "proposed")}}


def _mix_words(p: dict[str, Any]) -> str:
    return _(
        "“%(best)s” posts earned %(ratio)s× the engagement per post of “%(worst)s” posts "
        "(%(best_posts)s and %(worst_posts)s posts). Raise the share of “%(best)s” to "
        "%(best_share)s %% and lower “%(worst)s” to %(worst_share)s %%."
    ) % {**p, "best": _kind(p["best"]), "worst": _kind(p["worst"]), "ratio": _number(p["ratio"])}


def _goal_words(p: dict[str, Any]) -> str:
    deadline = formats.date_format(dt.date.fromisoformat(p["deadline"])) if p["deadline"] else "–"
    values = {
        "title": p["title"],
        "forecast": _number(p["forecast"]),
        "target": _number(p["target"]),
        "deadline": deadline,
    }
    if p["status"] == "off_track":
        sentence = _(
            "The goal “%(title)s” is off track: at the pace kept it reaches %(forecast)s by "
            "%(deadline)s, against %(target)s. Decide whether to put more into it, or to change "
            "its deadline or target in the plan."
        )
    else:
        sentence = _(
            "The goal “%(title)s” is at risk: the forecast is %(forecast)s by %(deadline)s, "
            "against %(target)s. Decide what the team will do more of."
        )
    return sentence % values


def _response_words(p: dict[str, Any]) -> str:
    return _(
        "%(within)s of %(answered)s conversations were answered within the plan's %(hours)s "
        "hours. Give the people who answer more time for it (phase 6), or set a target they "
        "can keep."
    ) % {**p, "hours": _number(p["hours"])}


def _best_time_words(p: dict[str, Any]) -> str:
    return _(
        "%(channel)s: posts on %(weekday)s from %(time)s (a %(hours)s-hour block) earned "
        "%(ratio)s× the channel's usual engagement (%(posts)s posts). Add %(weekday)s %(time)s "
        "to the plan."
    ) % {**p, "weekday": _weekday(p["weekday"]), "ratio": _number(p["ratio"])}


_WRITERS = {
    FREQUENCY_LOW: _frequency_low,
    FREQUENCY_HIGH: _frequency_high,
    MIX: _mix_words,
    GOAL: _goal_words,
    RESPONSE: _response_words,
    BEST_TIME: _best_time_words,
}
