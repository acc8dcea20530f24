"""Services of the control review: start one from the numbers, decide each proposal, finish it
by writing the accepted changes into the plan (``strategy.revisions``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.analytics import review
from varde.analytics.choices import Decision
from varde.analytics.models import ControlReview, ReviewProposal
from varde.strategy.revisions import PlanChange, RevisedPlan, plan_revise_from_review

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

MAX_POSTS_PER_WEEK = Decimal(100)


@transaction.atomic
def review_start(*, workspace: Workspace, actor: User | None, today: dt.date) -> ControlReview:
    """A new review with its proposals; the review already open is returned instead."""
    open_one = ControlReview.objects.filter(workspace=workspace, finished_at__isnull=True).first()
    if open_one is not None:
        return open_one
    period = review.review_period(today)
    started = ControlReview.objects.create(
        workspace=workspace,
        period_start=period.start,
        period_end=period.end,
        started_at=timezone.now(),
        started_by=actor,
    )
    ReviewProposal.objects.bulk_create(
        ReviewProposal(
            review=started,
            position=position,
            topic=proposal.topic,
            params=proposal.params,
            change=proposal.change,
        )
        for position, proposal in enumerate(review.proposals_for(workspace=workspace, today=today))
    )
    audit_record(
        action="analytics.review.started",
        workspace=workspace,
        actor=actor,
        target=started,
        detail={"proposals": started.proposals.count()},
    )
    return started


@transaction.atomic
def proposal_decide(
    *, proposal: ReviewProposal, actor: User | None, decision: str, value: str = ""
) -> ReviewProposal:
    """Accept, change or reject one proposal of an open review. A change needs a value the
    plan can take: posts a week, or the three shares of the mix adding up to 100."""
    if proposal.review.finished_at is not None:
        raise ValidationError(_("This review is finished; start a new one to decide again."))
    if decision not in Decision.values or decision == Decision.PENDING:
        raise ValidationError(_("Choose accept, change or reject."))
    proposal.chosen_value = None
    if decision == Decision.CHANGED:
        proposal.chosen_value = _changed_value(proposal, value)
    proposal.decision = decision
    proposal.decided_by = actor
    proposal.save(update_fields=["decision", "chosen_value", "decided_by"])
    return proposal


def _changed_value(proposal: ReviewProposal, value: str) -> Any:
    field = (proposal.change or {}).get("field")
    if field == "posts_per_week":
        return str(_posts_per_week(value))
    if field == "mix":
        return _mix_shares(value)
    raise ValidationError(_("This proposal can only be accepted or rejected."))


def _posts_per_week(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("Write the number of posts a week, for example 2 or 1,5.")
        ) from None
    if not Decimal(0) < number <= MAX_POSTS_PER_WEEK or number != number.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Posts a week must be more than 0 and at most 100, with one decimal.")
        )
    return number


def _mix_shares(value: str) -> list[int]:
    parts = [part.strip() for part in value.replace(";", ",").split(",")]
    if len(parts) != len(review.MIX_KEYS) or not all(part.isdigit() for part in parts):
        raise ValidationError(
            _(
                "Write the three shares in per cent, separated by commas: promotional, "
                "curated, conversation and engagement."
            )
        )
    shares = [int(part) for part in parts]
    if sum(shares) != 100:
        raise ValidationError(
            _("The three shares must add up to 100; they add up to %(sum)s.") % {"sum": sum(shares)}
        )
    return shares


@transaction.atomic
def review_finish(
    *, control: ControlReview, actor: User | None, participants: str = ""
) -> RevisedPlan:
    """Write the accepted changes into the plan, record the review in the plan's history and
    adopt the plan as a new version. Proposals not decided are recorded as such."""
    if control.finished_at is not None:
        raise ValidationError(_("This review is finished already."))
    proposals = list(control.proposals.all())
    workspace = control.workspace
    with translation.override(workspace.language):
        findings = "\n".join(f"- {review.proposal_words(p.topic, p.params)}" for p in proposals)
        decisions = _decisions_text(proposals)
        note = _("Control review %(date)s") % {"date": formats.date_format(timezone.localdate())}
    revised = plan_revise_from_review(
        workspace=workspace,
        actor=actor,
        changes=[_plan_change(p) for p in proposals if _changes_plan(p)],
        held_on=timezone.localdate(),
        participants=participants.strip(),
        findings=findings,
        decisions=decisions,
        note=note,
    )
    control.finished_at = timezone.now()
    control.participants = participants.strip()[:300]
    control.plan_version = revised.version.number
    control.save(update_fields=["finished_at", "participants", "plan_version"])
    audit_record(
        action="analytics.review.finished",
        workspace=workspace,
        actor=actor,
        target=control,
        detail={
            "accepted": sum(
                1 for p in proposals if p.decision in (Decision.ACCEPTED, Decision.CHANGED)
            ),
            "rejected": sum(1 for p in proposals if p.decision == Decision.REJECTED),
            "version": revised.version.number,
        },
    )
    return revised


def _changes_plan(proposal: ReviewProposal) -> bool:
    return proposal.change is not None and proposal.decision in (
        Decision.ACCEPTED,
        Decision.CHANGED,
    )


def _plan_change(proposal: ReviewProposal) -> PlanChange:
    change = proposal.change or {}
    value = proposal.chosen_value if proposal.decision == Decision.CHANGED else change["value"]
    return PlanChange(
        part=change["part"], field=change["field"], value=value, item_id=change.get("item_id")
    )


def _decisions_text(proposals: list[ReviewProposal]) -> str:
    lines = []
    for proposal in proposals:
        words = review.proposal_words(proposal.topic, proposal.params)
        if proposal.decision == Decision.CHANGED:
            lines.append(
                _("Accepted with a change (%(value)s): %(words)s")
                % {"value": _shown(proposal.chosen_value), "words": words}
            )
        else:
            lines.append(f"{Decision(proposal.decision).label}: {words}")
    return "\n".join(f"- {line}" for line in lines)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return " / ".join(f"{share} %" for share in value)
    return str(formats.localize(Decimal(str(value))))
