"""The control review's pages: the reviews held, one review's proposals with a decision each,
and finishing it into the plan. Views parse, check and delegate to ``review_services``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.analytics import review, review_services
from varde.analytics.choices import Decision
from varde.analytics.models import ControlReview, ReviewProposal
from varde.strategy import selectors as strategy_selectors


def _control(request: WorkspaceRequest, review_id: int) -> ControlReview:
    found = ControlReview.objects.filter(workspace=request.workspace, pk=review_id).first()
    if found is None:
        raise Http404
    return found


def _to_review(request: WorkspaceRequest, control: ControlReview) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse(
            "analytics:review",
            kwargs={"workspace": request.workspace.slug, "review_id": control.pk},
        )
    )


@workspace_view(Perm.ANALYTICS_VIEW)
def review_list(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "nav_active": "analytics",
        "reviews": ControlReview.objects.filter(workspace=request.workspace)[:20],
        "next_review": strategy_selectors.next_review_due(request.workspace),
        "can_review": role_can(request.membership.role, Perm.STRATEGY_EDIT),
        "period": review.review_period(timezone.localdate()),
    }
    return render(request, "analytics/review_list.html", context)


@require_POST
@workspace_view(Perm.STRATEGY_EDIT)
def review_start(request: WorkspaceRequest) -> HttpResponse:
    control = review_services.review_start(
        workspace=request.workspace, actor=request.user, today=timezone.localdate()
    )
    return _to_review(request, control)


@workspace_view(Perm.ANALYTICS_VIEW)
def review_detail(request: WorkspaceRequest, review_id: int) -> HttpResponse:
    control = _control(request, review_id)
    proposals = [
        {
            "proposal": proposal,
            "words": review.proposal_words(proposal.topic, proposal.params),
            "changes_plan": proposal.change is not None,
            "changeable": (proposal.change or {}).get("field") in ("posts_per_week", "mix"),
            "proposed_value": _value_text((proposal.change or {}).get("value")),
            "chosen_value": _value_text(proposal.chosen_value),
        }
        for proposal in control.proposals.all()
    ]
    context = {
        "nav_active": "analytics",
        "control": control,
        "proposals": proposals,
        "decisions": Decision,
        "can_review": role_can(request.membership.role, Perm.STRATEGY_EDIT),
        "next_review": strategy_selectors.next_review_due(request.workspace),
    }
    return render(request, "analytics/review_detail.html", context)


def _value_text(value: object) -> str:
    """A value as the person types it back: "1,5" for posts a week, "40, 30, 30" for the mix."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(formats.localize(Decimal(str(value))))


@require_POST
@workspace_view(Perm.STRATEGY_EDIT)
def proposal_decide(
    request: WorkspaceRequest, review_id: int, review_proposal_id: int
) -> HttpResponse:
    control = _control(request, review_id)
    proposal = ReviewProposal.objects.filter(review=control, pk=review_proposal_id).first()
    if proposal is None:
        raise Http404
    try:
        review_services.proposal_decide(
            proposal=proposal,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            value=request.POST.get("value", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_review(request, control)


@require_POST
@workspace_view(Perm.STRATEGY_EDIT)
def review_finish(request: WorkspaceRequest, review_id: int) -> HttpResponse:
    control = _control(request, review_id)
    try:
        revised = review_services.review_finish(
            control=control,
            actor=request.user,
            participants=request.POST.get("participants", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_review(request, control)
    messages.success(
        request,
        _(
            "The review is recorded in the plan's history, and the plan is adopted as "
            "version %(number)s."
        )
        % {"number": revised.version.number},
    )
    return _to_review(request, control)
