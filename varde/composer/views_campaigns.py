"""Campaigns: one campaign, everywhere (seed 003) — its posts on every channel in one timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.composer import selectors as composer_selectors
from varde.content import selectors, services
from varde.content.forms import CampaignForm

if TYPE_CHECKING:
    from varde.content.models import Campaign


def _campaign_or_404(request: WorkspaceRequest, campaign_id: int) -> Campaign:
    try:
        return selectors.campaign_get(workspace=request.workspace, campaign_id=campaign_id)
    except ObjectDoesNotExist:
        raise Http404 from None


@workspace_view(Perm.CONTENT_VIEW)
def campaign_list(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "campaigns": selectors.campaign_list(workspace=request.workspace),
        "can_edit": role_can(request.membership.role, Perm.CONTENT_EDIT),
        "can_draft": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "nav_active": "campaigns",
    }
    return render(request, "content/campaign_list.html", context)


def _save(
    request: WorkspaceRequest, form: CampaignForm, campaign: Campaign | None
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if campaign is None:
            campaign = services.campaign_create(
                workspace=request.workspace, actor=request.user, data=form.data_for_service()
            )
        else:
            campaign = services.campaign_update(
                campaign=campaign, actor=request.user, data=form.data_for_service()
            )
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
        return None
    messages.success(request, _("Campaign saved."))
    return redirect("campaigns:detail", workspace=request.workspace.slug, campaign_id=campaign.pk)


@workspace_view(Perm.CONTENT_EDIT)
def campaign_create(request: WorkspaceRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and (done := _save(request, form, None)) is not None:
        return done
    context = {"form": form, "campaign": None, "nav_active": "campaigns"}
    return render(request, "content/campaign_form.html", context)


@workspace_view(Perm.CONTENT_EDIT)
def campaign_edit(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    form = CampaignForm(request.POST or None, instance=campaign, workspace=request.workspace)
    if request.method == "POST" and (done := _save(request, form, campaign)) is not None:
        return done
    context = {"form": form, "campaign": campaign, "nav_active": "campaigns"}
    return render(request, "content/campaign_form.html", context)


@workspace_view(Perm.CONTENT_VIEW)
def campaign_detail(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    context = {
        "campaign": campaign,
        "timeline": composer_selectors.campaign_timeline(campaign=campaign),
        "per_channel": composer_selectors.campaign_channel_summary(campaign=campaign),
        "running": selectors.campaign_is_running(campaign),
        "can_edit": role_can(request.membership.role, Perm.CONTENT_EDIT),
        "can_draft": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "nav_active": "campaigns",
    }
    return render(request, "content/campaign_detail.html", context)
