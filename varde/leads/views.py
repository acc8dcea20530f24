"""The leads pages: the board, a lead with its timeline, creating from the inbox or listening,
duplicates and merging, the CRM hand-off and the CSV export. Views parse, check and delegate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.accounts.services import audit_record
from varde.leads import exporter, handoff, selectors, services
from varde.leads.choices import BOARD_ORDER, Stage
from varde.leads.forms import CrmForm, LeadEditForm, LeadForm, MoveForm, NoteForm
from varde.leads.timeline import describe
from varde.lib.crypto import SecretUnreadableError, decrypt_secret
from varde.lib.htmx import is_htmx

if TYPE_CHECKING:
    from varde.leads.models import Lead


def _base(request: WorkspaceRequest, **context: Any) -> dict[str, Any]:
    return {"nav_active": "leads", **context}


def _lead_or_404(request: WorkspaceRequest, lead_id: int) -> Lead:
    lead = selectors.lead_get(workspace=request.workspace, lead_id=lead_id)
    if lead is None:
        raise Http404
    return lead


def _detail_url(request: WorkspaceRequest, lead_id: int) -> str:
    return reverse("leads:detail", kwargs={"workspace": request.workspace.slug, "lead_id": lead_id})


def _board_context(request: WorkspaceRequest) -> dict[str, Any]:
    mine = request.GET.get("mine") == "1" or request.POST.get("mine") == "1"
    columns = selectors.board(
        workspace=request.workspace, owner_id=request.user.pk if mine else None
    )
    order = [stage.value for stage in BOARD_ORDER]
    return _base(
        request,
        columns=[
            {
                "column": column,
                "left": order[i - 1] if i > 0 else "",
                "right": order[i + 1] if i + 1 < len(order) else "",
            }
            for i, column in enumerate(columns)
        ],
        mine=mine,
        board_url=reverse("leads:board", kwargs={"workspace": request.workspace.slug})
        + ("?mine=1" if mine else ""),
        page_size=selectors.BOARD_COLUMN_SIZE,
    )


@workspace_view(Perm.LEADS_VIEW)
@require_GET
def board(request: WorkspaceRequest) -> HttpResponse:
    context = _board_context(request)
    template = "leads/_board.html" if is_htmx(request) else "leads/board.html"
    return render(request, template, context)


def _origin(request: WorkspaceRequest, data: Any) -> services.Origin | None:
    """The inbox item or mention named in ``data``; 404 when it is not in this workspace."""
    item, mention = str(data.get("inbox_item") or ""), str(data.get("mention") or "")
    if item.isdigit():
        found = services.origin_from_inbox_item(workspace=request.workspace, item_id=int(item))
    elif mention.isdigit():
        found = services.origin_from_mention(workspace=request.workspace, mention_id=int(mention))
    else:
        return None
    if found is None:
        raise Http404
    return found


@workspace_view(Perm.LEADS_EDIT)
def lead_new(request: WorkspaceRequest) -> HttpResponse:
    """The form, filled from the inbox item or mention in the address; before a lead is made
    for a handle that already has one, the page offers to add this interaction to it instead."""
    workspace = request.workspace
    origin = _origin(request, request.POST if request.method == "POST" else request.GET)
    initial: dict[str, Any] = {"owner": request.user.pk}
    if origin is not None:
        initial |= {
            "handle": origin.handle,
            "name": origin.name,
            "network": origin.network,
            "campaign": str(origin.campaign_id or ""),
            origin.ref_kind.value: origin.ref_id,
        }
    form = LeadForm(
        request.POST if request.method == "POST" else None, initial=initial, workspace=workspace
    )
    duplicates: list[Lead] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = services.duplicates_of(
            workspace=workspace, network=data["network"], handle=data["handle"]
        )
        if not duplicates or request.POST.get("create_anyway") == "1":
            try:
                lead = services.lead_create(
                    workspace=workspace,
                    actor=request.user,
                    handle=data["handle"],
                    network=data["network"],
                    name=data["name"],
                    origin=origin,
                    owner=data["owner"],
                    stage=Stage(data["stage"]),
                    note=data["note"],
                    value=data["value"],
                    next_step=data["next_step"],
                    next_step_on=data["next_step_on"],
                    campaign_id=form.campaign_id(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Lead created."))
                return redirect(_detail_url(request, lead.pk))
    elif origin is not None:
        duplicates = services.duplicates_of(
            workspace=workspace, network=origin.network, handle=origin.handle
        )
    context = _base(request, form=form, origin=origin, duplicates=duplicates)
    return render(request, "leads/new.html", context)


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_link(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    """Add the inbox item or mention in the form to an existing lead (the duplicate offer)."""
    lead = _lead_or_404(request, lead_id)
    if lead.merged_into_id is not None:
        lead = _lead_or_404(request, lead.merged_into_id)
    origin = _origin(request, request.POST)
    if origin is None:
        messages.error(request, _("Nothing to add: open this from an inbox item or a mention."))
    else:
        services.lead_link(lead=lead, origin=origin, actor=request.user)
        messages.success(request, _("Added to the lead's timeline."))
    return redirect(_detail_url(request, lead.pk))


@workspace_view(Perm.LEADS_VIEW)
@require_GET
def lead_detail(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    workspace = request.workspace
    context = _base(
        request,
        lead=lead,
        timeline=[
            {"event": event, "summary": describe(event)}
            for event in selectors.timeline(lead=lead)[:500]
        ],
        can_edit=role_can(request.membership.role, Perm.LEADS_EDIT),
        sources=list(selectors.sources_of(lead=lead)),
        handoffs=list(selectors.handoffs_of(lead=lead)[:10]),
        duplicates=[
            other
            for other in services.duplicates_of(
                workspace=workspace, network=lead.network, handle=lead.handle
            )
            if other.pk != lead.pk
        ],
        edit_form=LeadEditForm(
            initial={
                "name": lead.name,
                "owner": lead.owner_id,
                "value": lead.value,
                "next_step": lead.next_step,
                "next_step_on": lead.next_step_on,
                "campaign": str(lead.campaign_id or ""),
            },
            workspace=workspace,
        ),
        move_form=MoveForm(initial={"stage": lead.stage, "lost_reason": lead.lost_reason}),
        note_form=NoteForm(),
        stages=BOARD_ORDER,
        crm=selectors.crm_target(workspace=workspace),
    )
    return render(request, "leads/detail.html", context)


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_edit(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    form = LeadEditForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_detail_url(request, lead.pk))
    data = form.cleaned_data
    try:
        changed = services.lead_update(
            lead=lead,
            actor=request.user,
            name=data["name"],
            owner=data["owner"],
            value=data["value"],
            next_step=data["next_step"],
            next_step_on=data["next_step_on"],
            campaign_id=form.campaign_id(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
    return redirect(_detail_url(request, lead.pk))


def _next_or(request: WorkspaceRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_move(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    """Move a card: from the board (buttons, keys or a drag; htmx gets the board back) or from
    the lead's page. Moving to "lost" without a reason opens the lead's page to ask for one."""
    lead = _lead_or_404(request, lead_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a stage."))
    stage = Stage(form.cleaned_data["stage"])
    reason = form.cleaned_data["lost_reason"]
    detail = _detail_url(request, lead.pk)
    if stage == Stage.LOST and not reason.strip():
        messages.info(request, _("Say why the lead was lost, then save."))
        url = f"{detail}?lose=1#stage"
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
    try:
        services.lead_move(lead=lead, stage=stage, actor=request.user, lost_reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if is_htmx(request):
        return render(request, "leads/_board.html", _board_context(request))
    return redirect(_next_or(request, detail))


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_note(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.lead_note_add(lead=lead, text=form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write something in the note."))
    return redirect(_detail_url(request, lead.pk))


@workspace_view(Perm.LEADS_VIEW)
@require_GET
def duplicates(request: WorkspaceRequest) -> HttpResponse:
    groups = selectors.duplicate_groups(workspace=request.workspace)
    return render(request, "leads/duplicates.html", _base(request, groups=groups))


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_merge(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    """Merge this lead into the one named ``into``; both timelines are kept."""
    duplicate = _lead_or_404(request, lead_id)
    raw = request.POST.get("into", "")
    keep = _lead_or_404(request, int(raw)) if raw.isdigit() else None
    if keep is None:
        raise Http404
    try:
        services.lead_merge(keep=keep, duplicate=duplicate, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(request, duplicate.pk))
    messages.success(request, _("Merged. Both timelines are on this lead."))
    return redirect(_detail_url(request, keep.pk))


@workspace_view(Perm.LEADS_EDIT)
@require_POST
def lead_handoff(request: WorkspaceRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    try:
        handoff.handoff_request(lead=lead, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sending to the CRM. The result shows on the timeline."))
    return redirect(_detail_url(request, lead.pk))


@workspace_view(Perm.LEADS_VIEW)
@require_GET
def export_csv(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    body = exporter.leads_csv(selectors.export_rows(workspace=workspace), workspace=workspace)
    audit_record(action="lead.exported", workspace=workspace, actor=request.user)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leads-{workspace.slug}-{stamp}.csv"'
    return response


@workspace_view(Perm.SETTINGS_EDIT)
def crm(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    target = selectors.crm_target(workspace=workspace)
    initial = {"url": target.url, "enabled": target.enabled} if target else {}
    form = CrmForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            handoff.crm_target_set(
                workspace=workspace,
                url=form.cleaned_data["url"],
                enabled=form.cleaned_data["enabled"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("url", error)
        else:
            messages.success(request, _("Saved."))
            return redirect("leads:crm", workspace=workspace.slug)
    secret = ""
    if target is not None:
        try:
            secret = decrypt_secret(target.secret_encrypted)
        except SecretUnreadableError:
            secret = ""
    context = _base(
        request,
        form=form,
        target=target,
        secret=secret,
        attempts=list(selectors.handoff_attempts(workspace=workspace)),
    )
    return render(request, "leads/crm.html", context)


@workspace_view(Perm.SETTINGS_EDIT)
@require_POST
def crm_rotate(request: WorkspaceRequest) -> HttpResponse:
    if selectors.crm_target(workspace=request.workspace) is None:
        raise Http404
    handoff.crm_secret_rotate(workspace=request.workspace, actor=request.user)
    messages.success(
        request, _("A new secret is made. Give it to your CRM; the old one stops now.")
    )
    return redirect("leads:crm", workspace=request.workspace.slug)
