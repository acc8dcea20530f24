"""Reply approval and the "thank new followers" routine.

Views parse and delegate to ``inbox.services``; each answer goes through ``reply_send``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm
from varde.inbox import selectors, services
from varde.inbox.choices import ReplyStatus
from varde.inbox.forms import ReplyApprovalForm
from varde.inbox.views import (
    _conversation_or_404,
    _errors,
    _to_conversation,
)

if TYPE_CHECKING:
    from varde.inbox.models import ReplyProposal


def _proposal_or_404(request: WorkspaceRequest, proposal_id: int) -> ReplyProposal:
    found = selectors.proposal_get(workspace=request.workspace, proposal_id=proposal_id)
    if found is None:
        raise Http404
    return found


# --- Reply approval ----------------------------------------------------------------------------


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def conversation_propose(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    """The writer submits one to three candidate replies for approval."""
    found = _conversation_or_404(request, conversation_id)
    texts = [text for text in request.POST.getlist("candidate") if text.strip()]
    try:
        services.proposal_submit(
            conversation=found,
            writer=request.user,
            texts=texts,
            mode=request.POST.get("mode", ""),
            sign=bool(request.POST.get("sign")),
        )
    except services.ReplyBlockedError as error:
        messages.error(request, _("Not submitted: %(reasons)s") % {"reasons": _errors(error)})
        # The candidates are kept: the page shows them again.
        request.session["inbox_candidates"] = {str(found.pk): texts[: services.MAX_CANDIDATES]}
    else:
        messages.success(request, _("Submitted for approval. You will be told when it is decided."))
    return _to_conversation(request, found.pk)


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def proposal_approve(request: WorkspaceRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    candidate = request.POST.get("candidate", "")
    try:
        reply = services.proposal_approve(
            proposal=proposal,
            candidate_id=int(candidate) if candidate.isdigit() else 0,
            approver=request.user,
            text=request.POST.get("text", ""),
        )
    except (services.ProposalError, services.ReplyBlockedError) as error:
        messages.error(request, _("Not sent: %(reasons)s") % {"reasons": _errors(error)})
    else:
        if reply.status == ReplyStatus.FAILED:
            messages.error(
                request, _("Approved, but the network did not take it: %(e)s") % {"e": reply.error}
            )
        else:
            messages.success(request, _("Approved and sent. The writer is told."))
    return _to_conversation(request, proposal.conversation_id)


@workspace_view(Perm.INBOX_MODERATE)
@require_POST
def proposal_refuse(request: WorkspaceRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_or_404(request, proposal_id)
    try:
        services.proposal_refuse(
            proposal=proposal, approver=request.user, note=request.POST.get("note", "")
        )
    except services.ProposalError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Refused. The writer is told; the candidates stay below."))
    return _to_conversation(request, proposal.conversation_id)


@workspace_view(Perm.INBOX_MODERATE)
def proposals(request: WorkspaceRequest) -> HttpResponse:
    """Every reply that waits for approval, with its candidates."""
    context = {
        "nav_active": "inbox",
        "proposals": selectors.proposals_waiting(workspace=request.workspace),
    }
    return render(request, "inbox/proposals.html", context)


@workspace_view(Perm.INBOX_MODERATE)
def reply_approval(request: WorkspaceRequest) -> HttpResponse:
    """Which replies need approval: to complaints, and every reply by some roles."""
    current = services.approval_settings_of(request.workspace)
    form = ReplyApprovalForm(
        request.POST or None, initial={"complaints": current.complaints, "roles": current.roles}
    )
    if request.method == "POST" and form.is_valid():
        services.approval_settings_save(
            workspace=request.workspace, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Saved: replies follow the new approval rule from now on."))
        return HttpResponseRedirect(request.path)
    return render(request, "inbox/reply_approval.html", {"nav_active": "inbox", "form": form})


# --- Thank new followers -----------------------------------------------------------------------


def _thanks_url(request: WorkspaceRequest) -> str:
    return reverse("inbox:thanks", kwargs={"workspace": request.workspace.slug})


@workspace_view(Perm.INBOX_REPLY)
def thanks(request: WorkspaceRequest) -> HttpResponse:
    """A proposed thank-you per new follower, to send (as written or edited) or skip."""
    followers = selectors.followers_to_thank(workspace=request.workspace)
    context = {
        "nav_active": "inbox",
        "proposals": services.thanks_propose(
            workspace=request.workspace, conversations=followers, user=request.user
        ),
    }
    return render(request, "inbox/thanks.html", context)


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def thanks_send(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    if not found.thread_key.startswith("follow:"):
        raise Http404
    try:
        reply = services.thanks_send(
            conversation=found,
            user=request.user,
            text=request.POST.get("text", ""),
            template=request.POST.get("template", ""),
        )
    except services.ReplyBlockedError as error:
        messages.error(request, _("Not sent: %(reasons)s") % {"reasons": _errors(error)})
    else:
        if reply.status == ReplyStatus.FAILED:
            messages.error(
                request,
                _("Not sent: %(error)s The follower stays on the list.") % {"error": reply.error},
            )
        else:
            name = found.author_name or found.author_handle
            messages.success(request, _("Thanked %(name)s.") % {"name": name})
    return HttpResponseRedirect(_thanks_url(request))


@workspace_view(Perm.INBOX_REPLY)
@require_POST
def thanks_skip(request: WorkspaceRequest, conversation_id: int) -> HttpResponse:
    found = _conversation_or_404(request, conversation_id)
    if not found.thread_key.startswith("follow:"):
        raise Http404
    services.thanks_skip(conversation=found, user=request.user)
    return HttpResponseRedirect(_thanks_url(request))
