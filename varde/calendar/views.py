"""The calendar pages: month, week and list; moving posts; meters; import and export.

Views parse the request and hand over to selectors (reading) and services (writing).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.calendar import exporter, importer, meters, page, selectors, services
from varde.calendar.forms import ImportUploadForm, MoveForm
from varde.calendar.periods import VIEWS, Period, period_for
from varde.content import selectors as content_selectors
from varde.lib.htmx import is_htmx
from varde.lib.localformat import format_date, zone_place_name

if TYPE_CHECKING:
    from varde.content.models import Post

IMPORT_SALT = "varde.calendar.import"


def _int(params: QueryDict, name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _filters(params: QueryDict) -> selectors.Filters:
    status = params.get("status") or None
    if status not in dict(selectors.STATUS_CHOICES):
        status = None
    return selectors.Filters(
        channel=_int(params, "channel"),
        campaign=_int(params, "campaign"),
        pillar=_int(params, "pillar"),
        author=_int(params, "author"),
        status=status,
    )


def _period(params: QueryDict, zone: str) -> Period:
    view = params.get("view", "month")
    if view not in VIEWS:
        view = "month"
    try:
        anchor = dt.date.fromisoformat(params.get("date", ""))
    except ValueError:
        anchor = page.today_in(zone)
    return period_for(view, anchor, zone)


def _viewer(request: WorkspaceRequest) -> page.Viewer:
    return page.Viewer(role=request.membership.role, user_id=request.user.pk)


def _colour_by(params: QueryDict) -> str:
    return "pillar" if params.get("colour") == "pillar" else "channel"


def calendar_context(request: WorkspaceRequest, params: QueryDict) -> dict[str, Any]:
    """Parse the calendar's query; ``page`` builds what the template shows."""
    return page.calendar_page(
        workspace=request.workspace,
        viewer=_viewer(request),
        period=_period(params, request.workspace.timezone),
        filters=_filters(params),
        colour_by=_colour_by(params),
        params=params,
        page=max(1, _int(params, "page") or 1),
    )


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def calendar(request: WorkspaceRequest) -> HttpResponse:
    context = calendar_context(request, request.GET)
    if is_htmx(request):
        return render(request, "calendar/_body.html", context)
    return render(request, "calendar/calendar.html", context)


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def more(request: WorkspaceRequest) -> HttpResponse:
    """ "+n more" on a crowded day or hour: the rest of its posts (htmx), or a page of them."""
    params = request.GET
    try:
        day = dt.date.fromisoformat(params["date"]) if "date" in params else None
    except ValueError:
        return HttpResponse(_("Pick a day."), status=400)
    if day is None:  # the rest of today
        day = page.today_in(request.workspace.timezone)
    hour = _int(params, "hour")
    context = page.more_page(
        workspace=request.workspace,
        viewer=_viewer(request),
        asked=page.MoreRequest(
            day=day,
            hour=hour if hour is not None and hour < 24 else None,
            skip=_int(params, "skip") or 0,
        ),
        filters=_filters(params),
        colour_by=_colour_by(params),
        params=params,
    )
    if is_htmx(request):
        return render(request, "calendar/_more.html", context)
    return render(request, "calendar/more.html", context)


def _move_refusal(request: WorkspaceRequest, post: Post) -> str | None:
    role = request.membership.role
    if not role_can(role, Perm.CONTENT_EDIT) and post.author_id != request.user.pk:
        return _("You can move only your own posts. Ask an editor to move this one.")
    if (
        not role_can(role, Perm.CONTENT_PUBLISH)
        and post.deliveries.filter(state__in=services.SCHEDULED).exists()
    ):
        return _("This post is scheduled; only an editor can move it.")
    return None


def _calendar_query_from(request: WorkspaceRequest) -> str:
    """The calendar view a person came from (its query), to return to after moving.

    Read from the Referer rather than carried in every post's link: a busy week draws hundreds.
    """
    came_from = urlsplit(request.headers.get("Referer", ""))
    calendar_path = reverse("calendar:calendar", kwargs={"workspace": request.workspace.slug})
    if came_from.path != calendar_path or came_from.netloc not in ("", request.get_host()):
        return ""
    return QueryDict(came_from.query).urlencode()


def _move_page(request: WorkspaceRequest) -> HttpResponse:
    """Without JavaScript, a post's "Move" opens this page: the same form, on its own."""
    post = (
        content_selectors.posts_in(workspace=request.workspace)
        .filter(pk=_int(request.GET, "post") or 0)
        .first()
    )
    if post is None:
        raise Http404
    back = _calendar_query_from(request)
    context = {
        "nav_active": "calendar",
        "post": post,
        "from_at": request.GET.get("from_at", "")[:16],
        "next": back,
        "calendar_back": reverse("calendar:calendar", kwargs={"workspace": request.workspace.slug})
        + "?"
        + back,
    }
    return render(request, "calendar/move.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_http_methods(["GET", "POST"])
def move(request: WorkspaceRequest) -> HttpResponse:
    """Move a post (dropped on a day or hour, or the Move form); answers htmx with the calendar."""
    if request.method == "GET":
        return _move_page(request)
    form = MoveForm(request.POST)
    back = QueryDict(request.POST.get("next", "").lstrip("?"))
    if not form.is_valid():
        messages.error(request, _("Pick a date (and a time) to move the post to."))
    else:
        post = (
            content_selectors.posts_in(workspace=request.workspace)
            .filter(pk=form.cleaned_data["post"])
            .first()
        )
        refusal = _("That post no longer exists.") if post is None else _move_refusal(request, post)
        if refusal or post is None:
            messages.error(request, refusal or "")
        else:
            try:
                result = services.post_move(
                    post=post,
                    to_date=form.cleaned_data["date"],
                    to_time=form.cleaned_data.get("time"),
                    from_local=form.cleaned_data.get("from_at"),
                    actor=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if result.moved:
                    messages.success(
                        request,
                        _("Moved to %(when)s on %(channels)s.")
                        % {
                            "when": format_date(result.to_local, "weekday_day_month_long_time"),
                            "channels": ", ".join(result.moved),
                        },
                    )
                else:
                    messages.info(request, _("The post is already at that time."))
                if result.kept:
                    messages.warning(
                        request,
                        _("Not moved on %(channels)s: it has already gone out there.")
                        % {"channels": ", ".join(result.kept)},
                    )
    if is_htmx(request):
        context = calendar_context(request, back)
        context["show_messages"] = True
        return render(request, "calendar/_body.html", context)
    url = reverse("calendar:calendar", kwargs={"workspace": request.workspace.slug})
    return redirect(f"{url}?{back.urlencode()}" if back else url)


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def meters_partial(request: WorkspaceRequest) -> HttpResponse:
    """The plan meters for one week, for the calendar and the composer's sidebar."""
    zone = request.workspace.timezone
    try:
        week = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week = page.today_in(zone)
    context = {
        "meters": meters.plan_meters(workspace=request.workspace, week=week, now=timezone.now()),
        "standalone": True,  # brings its stylesheet: the composer's page does not load it
    }
    return render(request, "calendar/_meters.html", context)


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def export_csv(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    period = _period(request.GET, workspace.timezone)
    entries = selectors.calendar_entries(
        workspace=workspace,
        start=period.start_utc,
        end=period.end_utc,
        filters=_filters(request.GET),
        channel_colours={},
        pillar_colours={},
    )
    # A byte-order mark, so Excel reads æ, ø and å right.
    content = "\ufeff" + exporter.calendar_csv(entries, workspace.timezone)
    return _csv_response(content, f"calendar-{period.first_day}-{period.last_day}.csv")


@workspace_view(Perm.CONTENT_DRAFT)
@require_GET
def import_template(request: WorkspaceRequest) -> HttpResponse:
    names = [c.label for c in selectors.calendar_channels(request.workspace)]
    content = "\ufeff" + exporter.write_csv(importer.template_rows(names))
    return _csv_response(content, "varde-import-template.csv")


def _import_salt(request: WorkspaceRequest) -> str:
    return f"{IMPORT_SALT}:{request.workspace.pk}:{request.user.pk}"


def _preview(
    request: WorkspaceRequest, table: importer.Table, check: importer.ImportCheck
) -> HttpResponse:
    payload = signing.dumps(
        {
            "rows": [[raw.number, raw.values, raw.extra_cells] for raw in table.rows],
            "ignored": list(table.ignored_columns),
        },
        salt=_import_salt(request),
        compress=True,
    )
    valid = {row.number: row for row in check.rows}
    context = {
        "nav_active": "calendar",
        "check": check,
        "table": table,
        "rows": [
            {"raw": raw, "valid": valid.get(raw.number), "errors": check.errors_for(raw.number)}
            for raw in table.rows
        ],
        "payload": payload,
        "zone": zone_place_name(request.workspace.timezone),
        "columns": importer.COLUMNS,
    }
    return render(request, "calendar/import_preview.html", context)


def _upload_page(
    request: WorkspaceRequest, form: ImportUploadForm, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {
        "nav_active": "calendar",
        "form": form,
        "problem": problem,
        "columns": importer.COLUMNS,
        "zone": zone_place_name(request.workspace.timezone),
        "max_rows": importer.MAX_ROWS,
    }
    return render(request, "calendar/import_upload.html", context, status=status)


@workspace_view(Perm.CONTENT_DRAFT)
def import_upload(request: WorkspaceRequest) -> HttpResponse:
    """Step 1: upload a file. Step 2 (the answer): a preview with every error, nothing saved."""
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        table = importer.read_table(name=upload.name or "", data=upload.read())
    except importer.ImportFileError as error:
        form.add_error("file", error)
        return _upload_page(request, form, status=400)
    check = importer.check_rows(workspace=request.workspace, rows=table.rows, now=timezone.now())
    return _preview(request, table, check)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def import_confirm(request: WorkspaceRequest) -> HttpResponse:
    """Step 3: check every row again and save them all in one transaction, or none."""
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=_import_salt(request), max_age=6 * 3600
        )
        table = importer.Table(
            [
                importer.RawRow(int(n), {k: str(v) for k, v in values.items()}, int(extra))
                for n, values, extra in data["rows"]
            ],
            tuple(data.get("ignored", ())),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return _upload_page(
            request,
            ImportUploadForm(),
            status=400,
            problem=_("The preview has expired. Upload the file again."),
        )
    check = importer.check_rows(workspace=request.workspace, rows=table.rows, now=timezone.now())
    if not check.ok:
        return _preview(request, table, check)
    try:
        count = services.posts_import(
            workspace=request.workspace, rows=check.rows, actor=request.user
        )
    except ValidationError as error:
        check.errors.append(importer.RowError(0, "text", " ".join(error.messages)))
        return _preview(request, table, check)
    messages.success(
        request,
        ngettext(
            "%(count)s post imported as a draft.",
            "%(count)s posts imported as drafts.",
            count,
        )
        % {"count": count},
    )
    first = min(row.local_at for row in check.rows).date()
    url = reverse("calendar:calendar", kwargs={"workspace": request.workspace.slug})
    return redirect(f"{url}?{urlencode({'view': 'list', 'date': first.isoformat()})}")
