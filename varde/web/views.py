"""The shell: landing, workspace home, areas not built yet, settings overview, health."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from varde.accounts import selectors as account_selectors
from varde.accounts import services as account_services
from varde.accounts.access import (
    WorkspaceRequest,
    public_view,
    request_user,
    user_view,
    workspace_view,
)
from varde.accounts.permissions import Perm, permissions_of
from varde.lib.database import database_kind
from varde.web.getting_started import checklist
from varde.web.navigation import AREAS, AREAS_BY_KEY, area_url
from varde.worker.selectors import engine_health


@user_view
def home(request: HttpRequest) -> HttpResponse:
    """Send a user to the workspace they last used, or explain that they have none yet."""
    workspace = account_selectors.default_workspace_for(user=request_user(request))
    if workspace is not None:
        return redirect("web:workspace_home", workspace=workspace.slug)
    return render(request, "web/no_workspace.html")


@workspace_view(Perm.WORKSPACE_VIEW)
def workspace_home(request: WorkspaceRequest) -> HttpResponse:
    account_services.user_remember_workspace(user=request.user, workspace=request.workspace)
    perms = permissions_of(request.membership.role)
    areas = [
        {"area": area, "url": area_url(area, request.workspace.slug)}
        for area in AREAS
        if area.perm in perms
    ]
    steps = checklist(request.workspace) if Perm.STRATEGY_EDIT in perms else None
    context = {
        "areas": areas,
        "steps": steps,
        "steps_done": sum(1 for step in steps or [] if step.done),
        "nav_active": "",
    }
    return render(request, "web/workspace_home.html", context)


@workspace_view(Perm.WORKSPACE_VIEW)
def area_not_built(request: WorkspaceRequest, area: str) -> HttpResponse:
    found = AREAS_BY_KEY.get(area)
    if found is None or found.built:
        raise Http404
    if found.perm not in permissions_of(request.membership.role):
        raise PermissionDenied
    return render(request, "web/area_not_built.html", {"area": found, "nav_active": found.key})


@workspace_view(Perm.SETTINGS_VIEW)
def settings_overview(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "web/settings.html", {"nav_active": "settings"})


@workspace_view(Perm.HEALTH_VIEW)
def health(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "web/health.html",
        {"health": engine_health(), "nav_active": "settings", "settings_tab": "health"},
    )


@public_view
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and probes: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": database_kind(connection.settings_dict["ENGINE"])}
    )
