"""The strategy pages: parse the request, call a service or a selector, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts import audit_sentences
from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.strategy import differences, export, selectors, services
from varde.strategy.forms import ITEM_FORMS, PLAN_FORMS, TemplateForm, VersionForm, WorkspaceForm
from varde.strategy.guidance import (
    CHANNEL_ROLE_HELP,
    MIX_HELP,
    PHASES,
    PHASES_BY_NUMBER,
    TECHNOGRAPHICS,
)
from varde.strategy.health import plan_health, planned_hours_per_week
from varde.strategy.kinds import KINDS, Kind
from varde.strategy.models import PlanPerson, PlanVersion
from varde.strategy.starter_plans_data import TEMPLATES

EXPORT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
# The exported HTML carries its own styles so it reads well when saved; it runs no script.
EXPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _can_edit(request: WorkspaceRequest) -> bool:
    return role_can(request.membership.role, Perm.STRATEGY_EDIT)


def _phase_url(request: WorkspaceRequest, number: int, section: str = "") -> str:
    url = reverse("strategy:phase", kwargs={"workspace": request.workspace.slug, "number": number})
    return f"{url}#{section}" if section else url


def _attach_errors(form: WorkspaceForm, error: ValidationError) -> None:
    """Put a service's validation errors on the matching fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if item.messages else str(item))
    else:
        for text in error.messages:
            form.add_error(None, text)
    if NON_FIELD_ERRORS in form.errors and not form.errors[NON_FIELD_ERRORS]:
        del form.errors[NON_FIELD_ERRORS]


@workspace_view(Perm.STRATEGY_VIEW)
def overview(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    findings = plan_health(workspace)
    by_phase: dict[int, int] = {}
    for finding in findings:
        by_phase[finding.phase] = by_phase.get(finding.phase, 0) + 1
    changes = selectors.changes_since_adopted(workspace)
    plan = selectors.plan_for(workspace)
    return render(
        request,
        "strategy/overview.html",
        {
            "nav_active": "strategy",
            "phases_nav": PHASES,
            "phases": [
                {
                    "phase": p,
                    "url": _phase_url(request, p.number),
                    "open": by_phase.get(p.number, 0),
                }
                for p in PHASES
            ],
            "findings": [
                {"finding": f, "url": _phase_url(request, f.phase, f.section)} for f in findings
            ],
            "bad_count": sum(1 for f in findings if f.level == "bad"),
            "adopted": selectors.adopted_version(workspace),
            "changes": (
                audit_sentences.describe_all(changes[:20], zone=workspace.timezone)
                if changes is not None
                else None
            ),
            "diff": differences.differences_since_adopted(workspace),
            "plan_is_new": plan is None,
            "can_edit": _can_edit(request),
        },
    )


@workspace_view(Perm.STRATEGY_VIEW)
def phase(request: WorkspaceRequest, number: int) -> HttpResponse:
    return _phase_page(request, number, None)


def _phase_page(
    request: WorkspaceRequest, number: int, plan_form: WorkspaceForm | None
) -> HttpResponse:
    found = PHASES_BY_NUMBER.get(number)
    if found is None:
        raise Http404
    workspace = request.workspace
    plan = selectors.plan_or_default(workspace)
    form_class = PLAN_FORMS.get(number)
    if plan_form is None and form_class is not None and _can_edit(request):
        plan_form = form_class(instance=plan, workspace=workspace)
    findings = [
        {"finding": f, "url": _phase_url(request, f.phase, f.section)}
        for f in plan_health(workspace)
        if f.phase == number
    ]
    context: dict[str, Any] = {
        "nav_active": "strategy",
        "phase": found,
        "phases_nav": PHASES,
        "plan": plan,
        "plan_form": plan_form,
        "findings": findings,
        "can_edit": _can_edit(request),
        "previous": PHASES_BY_NUMBER.get(number - 1),
        "next": PHASES_BY_NUMBER.get(number + 1),
    }
    if number == 1:
        context["channels"] = selectors.channel_list(workspace)
        context["competitors"] = selectors.competitor_list(workspace)
        context["planned_hours"] = planned_hours_per_week(workspace)
    elif number == 2:
        context["business_goals"] = selectors.business_goal_list(workspace)
        context["goals"] = selectors.social_goal_list(workspace)
    elif number == 3:
        context["audiences"] = [
            {
                "audience": a,
                "rungs": [{"rung": r, "share": getattr(a, r.field)} for r in TECHNOGRAPHICS],
            }
            for a in selectors.audience_list(workspace)
        ]
        context["rungs"] = TECHNOGRAPHICS
    elif number == 4:
        context["channels"] = selectors.channel_list(workspace)
        context["pillars"] = selectors.pillar_list(workspace)
        context["role_help"] = CHANNEL_ROLE_HELP
        context["mix_help"] = MIX_HELP
    elif number == 5:
        context["key_messages"] = selectors.key_message_list(workspace)
        context["hashtags"] = selectors.hashtag_list(workspace)
        context["terms"] = selectors.term_list(workspace)
    elif number == 6:
        context["people"] = selectors.people_list(workspace)
        context["responsibilities"] = selectors.responsibility_list(workspace)
        context["steps"] = selectors.escalation_list(workspace)
    else:
        context["reviews"] = selectors.review_list(workspace)
        context["next_review"] = selectors.next_review_due(workspace)
    return render(request, "strategy/phase.html", context)


@workspace_view(Perm.STRATEGY_EDIT)
@require_POST
def phase_save(request: WorkspaceRequest, number: int) -> HttpResponse:
    form_class = PLAN_FORMS.get(number)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            services.plan_update(
                workspace=request.workspace, actor=request.user, fields=form.service_fields()
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_phase_url(request, number))
    return _phase_page(request, number, form)


def _kind_or_404(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise Http404
    return found


def _item(request: WorkspaceRequest, spec: Kind, pk: int) -> models.Model:
    # Scoped to the workspace in the URL: an id from another workspace is simply not found.
    return get_object_or_404(spec.model._default_manager.filter(workspace=request.workspace), pk=pk)


def _needs_people_first(form: WorkspaceForm) -> bool:
    """The form asks for a person (an owner, a producer) but the plan names nobody yet."""
    return any(
        isinstance(field, forms.ModelChoiceField)
        and field.queryset is not None
        and field.queryset.model is PlanPerson
        and not field.queryset.exists()
        for field in form.fields.values()
    )


def _next_url(request: WorkspaceRequest) -> str | None:
    """Where to go after saving, when a form was opened from another form (``?next=``)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    prefix = f"/w/{request.workspace.slug}/"
    if wanted.startswith(prefix) and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return None


def _item_page(
    request: WorkspaceRequest, spec: Kind, form: WorkspaceForm, item: models.Model | None
) -> HttpResponse:
    person_url = reverse(
        "strategy:item_new", kwargs={"workspace": request.workspace.slug, "kind": "person"}
    )
    return render(
        request,
        "strategy/item_form.html",
        {
            "nav_active": "strategy",
            "spec": spec,
            "phase": PHASES_BY_NUMBER[spec.phase],
            "form": form,
            "item": item,
            "back_url": _next_url(request) or _phase_url(request, spec.phase, spec.section),
            "next_url": _next_url(request) or "",
            "add_person_url": (
                f"{person_url}?{urlencode({'next': request.get_full_path()})}"
                if spec.key != "person" and _needs_people_first(form)
                else ""
            ),
            "rungs": TECHNOGRAPHICS if spec.key == "audience" else (),
        },
    )


@workspace_view(Perm.STRATEGY_EDIT)
def item_new(request: WorkspaceRequest, kind: str) -> HttpResponse:
    spec = _kind_or_404(kind)
    form = ITEM_FORMS[kind](request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_create(
                workspace=request.workspace,
                actor=request.user,
                kind=kind,
                fields=form.service_fields(),
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(_next_url(request) or _phase_url(request, spec.phase, spec.section))
    return _item_page(request, spec, form, None)


@workspace_view(Perm.STRATEGY_EDIT)
def item_edit(request: WorkspaceRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind_or_404(kind)
    item = _item(request, spec, pk)
    form = ITEM_FORMS[kind](request.POST or None, instance=item, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(
                item=item, actor=request.user, kind=kind, fields=form.service_fields()
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_phase_url(request, spec.phase, spec.section))
    return _item_page(request, spec, form, item)


@workspace_view(Perm.STRATEGY_EDIT)
def item_delete(request: WorkspaceRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind_or_404(kind)
    item = _item(request, spec, pk)
    if request.method == "POST":
        services.plan_item_delete(item=item, actor=request.user, kind=kind)
        messages.success(request, _("Removed. The history keeps what it said."))
        return redirect(_phase_url(request, spec.phase, spec.section))
    return render(
        request,
        "strategy/item_delete.html",
        {
            "nav_active": "strategy",
            "spec": spec,
            "item": item,
            "back_url": _phase_url(request, spec.phase, spec.section),
        },
    )


@workspace_view(Perm.STRATEGY_EDIT)
def template_apply(request: WorkspaceRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None, initial={"language": request.workspace.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_apply_template(
                workspace=request.workspace,
                actor=request.user,
                template=form.cleaned_data["template"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The template is in place. Plan health below shows what to fill in next."),
            )
            return redirect("strategy:overview", workspace=request.workspace.slug)
    return render(
        request,
        "strategy/template.html",
        {"nav_active": "strategy", "form": form, "templates": TEMPLATES.values()},
    )


@workspace_view(Perm.STRATEGY_VIEW)
def export_plan(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    language = request.GET.get("lang")
    if language not in {"nb", "en"}:
        language = None
    doc = export.plan_document(request.workspace, language=language)
    body: str | bytes
    if fmt == "md":
        body = export.render_markdown(doc)
    elif fmt == "html":
        body = export.render_html(doc)
    else:
        body = export.render_pdf(doc)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    filename = f"{request.workspace.slug}-plan.{fmt}"
    disposition = "attachment" if fmt != "html" or request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if fmt == "html":
        response["Content-Security-Policy"] = EXPORT_HTML_CSP
    return response


@workspace_view(Perm.STRATEGY_VIEW)
def history(request: WorkspaceRequest) -> HttpResponse:
    page = Paginator(selectors.plan_history(request.workspace), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "strategy/history.html",
        {
            "nav_active": "strategy",
            "phases_nav": PHASES,
            "page": page,
            "events": audit_sentences.describe_all(
                page.object_list, zone=request.workspace.timezone
            ),
            "versions": selectors.version_list(request.workspace),
            "version_form": VersionForm(),
            "can_edit": _can_edit(request),
        },
    )


@workspace_view(Perm.STRATEGY_EDIT)
@require_POST
def version_save(request: WorkspaceRequest) -> HttpResponse:
    form = VersionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = services.plan_version_save(workspace=request.workspace, actor=request.user, note=note)
    messages.success(request, _("Version %(number)s is saved.") % {"number": version.number})
    return redirect("strategy:history", workspace=request.workspace.slug)


def _version(request: WorkspaceRequest, number: int) -> PlanVersion:
    return get_object_or_404(selectors.version_list(request.workspace), number=number)


@workspace_view(Perm.STRATEGY_VIEW)
def version_detail(request: WorkspaceRequest, number: int) -> HttpResponse:
    return render(
        request,
        "strategy/version.html",
        {
            "nav_active": "strategy",
            "version": _version(request, number),
            "can_edit": _can_edit(request),
        },
    )


@workspace_view(Perm.STRATEGY_EDIT)
@require_POST
def version_adopt(request: WorkspaceRequest, number: int) -> HttpResponse:
    version = _version(request, number)
    services.plan_version_adopt(version=version, actor=request.user)
    messages.success(
        request, _("Version %(number)s is now the adopted plan.") % {"number": version.number}
    )
    return redirect("strategy:history", workspace=request.workspace.slug)
