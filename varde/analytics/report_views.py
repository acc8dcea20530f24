"""The reports page: pick a period and sections, see or download the PDF, and schedule it by
e-mail to members and to addresses outside the workspace. Views parse, check and delegate."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts import selectors as account_selectors
from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.analytics import report_sending, reports
from varde.analytics.choices import ReportCadence, ReportSection
from varde.analytics.forms import ReportForm, ScheduleForm
from varde.analytics.report_period import current, last_complete, parse_period


def _schedule_form(request: WorkspaceRequest, data: object = None) -> ScheduleForm:
    members = account_selectors.member_users(workspace=request.workspace)
    return ScheduleForm(
        data,
        members=members,
        initial={"sections": list(ReportSection.values), "colour": reports.DEFAULT_COLOUR},
    )


def _page(request: WorkspaceRequest, schedule_form: ScheduleForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "nav_active": "analytics",
        "form": ReportForm(
            initial={
                "period": current(ReportCadence.MONTHLY, today).key,
                "sections": list(ReportSection.values),
                "colour": reports.DEFAULT_COLOUR,
            }
        ),
        "schedules": report_sending.schedules_of(workspace=request.workspace),
        "schedule_form": schedule_form or _schedule_form(request),
        "can_edit": role_can(request.membership.role, Perm.ANALYTICS_EDIT),
        "last_month": last_complete(ReportCadence.MONTHLY, today),
    }
    return render(request, "analytics/reports.html", context)


@workspace_view(Perm.ANALYTICS_VIEW)
def reports_page(request: WorkspaceRequest) -> HttpResponse:
    return _page(request)


@workspace_view(Perm.ANALYTICS_VIEW)
def report_pdf(request: WorkspaceRequest) -> HttpResponse:
    """The chosen report as a PDF: shown in the browser, or downloaded with ``download=1``."""
    form = ReportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a period and the sections again."))
    period = parse_period(form.cleaned_data["period"])
    result = reports.render_report(
        workspace=request.workspace,
        period=period,
        sections=form.cleaned_data["sections"],
        language=request.LANGUAGE_CODE,
        colour=form.cleaned_data["colour"] or reports.DEFAULT_COLOUR,
    )
    response = HttpResponse(result.pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    name = reports.report_filename(request.workspace, period)
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Render-Seconds"] = f"{result.seconds:.3f}"
    return response


def _back(request: WorkspaceRequest) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("analytics:reports", kwargs={"workspace": request.workspace.slug})
    )


@workspace_view(Perm.ANALYTICS_EDIT)
@require_POST
def schedule_add(request: WorkspaceRequest) -> HttpResponse:
    form = _schedule_form(request, request.POST)
    if not form.is_valid():
        return _page(request, form)
    report_sending.schedule_create(
        workspace=request.workspace,
        cadence=form.cleaned_data["cadence"],
        sections=form.cleaned_data["sections"],
        members=list(form.cleaned_data["members"]),
        external_emails=form.cleaned_data["external_emails"],
        colour=form.cleaned_data["colour"],
        language=form.cleaned_data["language"],
        user=request.user,
    )
    messages.success(request, _("The report is scheduled."))
    return _back(request)


@workspace_view(Perm.ANALYTICS_EDIT)
@require_POST
def schedule_delete(request: WorkspaceRequest, schedule_id: int) -> HttpResponse:
    schedule = report_sending.schedule_get(workspace=request.workspace, schedule_id=schedule_id)
    if schedule is None:
        raise Http404
    report_sending.schedule_delete(schedule=schedule, user=request.user)
    messages.success(request, _("The schedule was deleted."))
    return _back(request)


@workspace_view(Perm.ANALYTICS_EDIT)
@require_POST
def schedule_send_now(request: WorkspaceRequest, schedule_id: int) -> HttpResponse:
    """Send the schedule's last whole period now, to its recipients, as a test; the scheduled
    send of the next period is not changed."""
    schedule = report_sending.schedule_get(workspace=request.workspace, schedule_id=schedule_id)
    if schedule is None:
        raise Http404
    period = last_complete(schedule.cadence, report_sending.local_today(request.workspace))
    sent = report_sending.report_send(schedule=schedule, period=period, user=request.user)
    messages.success(
        request,
        _("Sent the report for %(period)s to %(members)s members and %(others)s other addresses.")
        % {
            "period": period.key,
            "members": sent.members,
            "others": sent.external,
        },
    )
    return _back(request)
