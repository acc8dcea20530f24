"""Settings → Networks: the owner of this Varde enters each network's app id and secret.

Installation-wide (every workspace signs in with the same apps), so only the installation's
owner sees it (``installation_view``). What is saved, and why the environment wins, is in
``network_apps``; every change goes through ``services.network_app_save`` / ``_remove``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, installation_view, request_user
from varde.channels import network_apps, services
from varde.channels.forms import NetworkAppForm
from varde.channels.views import oauth_redirect_uri
from varde.lib.guide_markup import guide_html

if TYPE_CHECKING:
    from varde.channels.network_apps import AppSetup


def _setup_or_404(app: str) -> AppSetup:
    setup = network_apps.app_setup(app)
    if setup is None:
        raise Http404
    return setup


def _form_for(setup: AppSetup, data: Any = None) -> NetworkAppForm:
    form = NetworkAppForm(
        data, prefix=setup.app, initial={"client_id": setup.client_id} if setup.client_id else {}
    )
    words = setup.words
    if words is not None:
        form.fields["client_id"].help_text = str(words.id_name)
        form.fields["client_secret"].help_text = str(words.secret_name)
    form.fields["client_secret"].required = setup.needs_secret and not setup.secret_saved
    return form


def _page(
    request: WorkspaceRequest, *, bound: NetworkAppForm | None = None, status: int = 200
) -> HttpResponse:
    setups = network_apps.app_setups()
    cards = [
        {
            "setup": setup,
            "form": bound if bound is not None and bound.prefix == setup.app else _form_for(setup),
            "variable": f"VARDE_{setup.app.upper()}_CLIENT_ID",
        }
        for setup in setups
    ]
    context = {
        "cards": cards,
        "redirect_uri": oauth_redirect_uri(),
        "nav_active": "settings",
        "settings_tab": "networks",
    }
    return render(request, "channels/network_apps.html", context, status=status)


@installation_view
def network_apps_page(request: WorkspaceRequest) -> HttpResponse:
    return _page(request)


@installation_view
@require_POST
def network_app_save(request: WorkspaceRequest, app: str) -> HttpResponse:
    setup = _setup_or_404(app)
    form = _form_for(setup, request.POST)
    if not form.is_valid():
        return _page(request, bound=form, status=400)
    try:
        services.network_app_save(
            app=app,
            client_id=form.cleaned_data["client_id"],
            client_secret=form.cleaned_data["client_secret"],
            actor=request_user(request),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, bound=form, status=400)
    text = _("Saved. People in every workspace can now connect %(networks)s.")
    messages.success(request, text % {"networks": _joined(setup.network_labels)})
    return redirect(_page_url(request, app))


@installation_view
def network_app_remove(request: WorkspaceRequest, app: str) -> HttpResponse:
    setup = _setup_or_404(app)
    if setup.from_environment or not setup.client_id:
        return redirect(_page_url(request, app))
    if request.method == "POST":
        services.network_app_remove(app=app, actor=request_user(request))
        text = _("Removed. %(networks)s cannot be connected until an app is entered again.")
        messages.success(request, text % {"networks": _joined(setup.network_labels)})
        return redirect(_page_url(request, app))
    context = {
        "setup": setup,
        "channels_using": network_apps.channels_using(setup),
        "nav_active": "settings",
        "settings_tab": "networks",
    }
    return render(request, "channels/network_app_remove.html", context)


@installation_view
def network_guide(request: WorkspaceRequest, network: str) -> HttpResponse:
    app = network_apps.app_of_network(network)
    setup = network_apps.app_setup(app) if app else None
    if setup is None:
        raise Http404
    context = {
        "setup": setup,
        "network": network,
        "network_label": setup.network_labels[setup.networks.index(network)],
        "guide": guide_html(text) if (text := network_apps.guide_text(network)) else "",
        "redirect_uri": oauth_redirect_uri(),
        "nav_active": "settings",
        "settings_tab": "networks",
    }
    return render(request, "channels/network_guide.html", context)


def _page_url(request: WorkspaceRequest, app: str) -> str:
    page = reverse("network_apps:page", kwargs={"workspace": request.workspace.slug})
    return f"{page}#app-{app}"


def _joined(labels: tuple[str, ...]) -> str:
    if len(labels) == 2:
        return _("%(first)s and %(second)s") % {"first": labels[0], "second": labels[1]}
    return ", ".join(labels)
