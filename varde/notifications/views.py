"""The notification list behind the bell, and how each person wants to be told."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm
from varde.notifications import selectors, services
from varde.notifications.forms import PreferencesForm


@workspace_view(Perm.WORKSPACE_VIEW)
def notification_list(request: WorkspaceRequest) -> HttpResponse:
    items = list(selectors.notifications_of(user=request.user, workspace=request.workspace)[:100])
    # Seeing the list is reading it; the ones that were new stay marked as new on this page.
    services.notifications_mark_read(user=request.user, workspace=request.workspace)
    return render(request, "notifications/list.html", {"items": items})


@workspace_view(Perm.WORKSPACE_VIEW)
def preferences(request: WorkspaceRequest) -> HttpResponse:
    current = {kind.key: reach for kind, reach in selectors.preferences_of(user=request.user)}
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:preferences", workspace=request.workspace.slug)
    return render(request, "notifications/preferences.html", {"form": form})
