"""Revising the plan from a control review (phase 7): the changes a team accepted, the review
recorded in the plan's history, and a new adopted version.

Analytics proposes the changes from the numbers (``analytics.review``); the plan is strategy's,
so the changes are written here, through the same services a person uses on the plan's pages
(each change is in the audit log as theirs), and nothing else writes the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from varde.strategy import services
from varde.strategy.models import PlanChannel, Review
from varde.strategy.selectors import next_review_due

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.strategy.models import PlanVersion

# What a review may change, and only this: a channel's posts a week, days and times, and the
# content mix. Anything else a review finds is a finding for people to act on.
CHANNEL_FIELDS = frozenset({"posts_per_week", "slot"})
MIX_FIELDS = ("mix_promotional", "mix_curated", "mix_engagement")


@dataclass(frozen=True)
class PlanChange:
    """One change to the plan: ``part`` "channel-plan" (``item_id`` a plan channel) or "mix"."""

    part: str
    field: str
    value: Any
    item_id: int | None = None


@dataclass(frozen=True)
class RevisedPlan:
    review: Review
    version: PlanVersion
    next_review_on: dt.date | None


@transaction.atomic
def plan_revise_from_review(
    *,
    workspace: Workspace,
    actor: User | None,
    changes: Sequence[PlanChange],
    held_on: dt.date,
    participants: str,
    findings: str,
    decisions: str,
    note: str,
) -> RevisedPlan:
    """Write the accepted changes, record the review, and adopt the plan as it now reads.

    Every change is checked before any is written: a change to another workspace's channel or
    to a part a review may not touch fails the whole revision (the transaction rolls back).
    """
    for change in changes:
        _apply(workspace, actor, change)
    review = services.plan_item_create(
        workspace=workspace,
        actor=actor,
        kind="review",
        fields={
            "held_on": held_on,
            "participants": participants[:300],
            "findings": findings,
            "decisions": decisions,
        },
    )
    if not isinstance(review, Review):  # plan_item_create("review") makes a Review
        raise TypeError(review)
    version = services.plan_version_save(workspace=workspace, actor=actor, note=note[:300])
    services.plan_version_adopt(version=version, actor=actor)
    return RevisedPlan(review=review, version=version, next_review_on=next_review_due(workspace))


def _apply(workspace: Workspace, actor: User | None, change: PlanChange) -> None:
    if change.part == "channel-plan" and change.field in CHANNEL_FIELDS:
        channel = PlanChannel.objects.get(workspace=workspace, pk=int(change.item_id or 0))
        fields = _slot_fields(channel, change.value) if change.field == "slot" else {}
        services.plan_item_update(
            item=channel,
            actor=actor,
            kind="channel-plan",
            fields=fields or {change.field: change.value},
        )
    elif change.part == "mix" and change.field == "mix":
        shares = dict(zip(MIX_FIELDS, change.value, strict=True))
        services.plan_update(workspace=workspace, actor=actor, fields=shares)
    else:
        raise ValueError(f"A review cannot change {change.part}.{change.field}")


def _slot_fields(channel: PlanChannel, slot: Sequence[Any]) -> dict[str, list[Any]]:
    """A best-time slot [weekday, "HH:MM"] added to the channel's days and times."""
    weekday, at = int(slot[0]), str(slot[1])
    if not 0 <= weekday <= 6 or not _is_clock(at):
        raise ValueError(f"Not a time slot: {slot!r}")
    return {
        "days": sorted({*channel.days, weekday}),
        "times": sorted({*channel.times, at}),
    }


def _is_clock(value: str) -> bool:
    try:
        dt.time.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 5


def posts_per_week_value(value: float) -> Decimal:
    """A proposed posts-a-week figure as the plan stores it: one decimal, at least 0.5."""
    return max(Decimal("0.5"), Decimal(str(round(value * 2) / 2)))
