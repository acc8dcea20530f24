"""The webhook of one kind of notification, per workspace: the address, the secret (shown
once, when it is made), a test message, and the delivery log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.notifications import kinds, selectors, webhooks
from varde.notifications.forms import WebhookForm


def _declared(key: str) -> kinds.Kind:
    try:
        kind = kinds.get(key)
    except kinds.UnknownKindError:
        raise Http404 from None
    if not kind.webhook:
        raise Http404
    return kind


def _page(
    request: WorkspaceRequest, kind: kinds.Kind, form: WebhookForm, *, secret: str = ""
) -> HttpResponse:
    workspace = request.workspace
    context: dict[str, Any] = {
        "kind": kind,
        "form": form,
        "endpoint": selectors.webhook_endpoint(workspace=workspace, kind=kind.key),
        "deliveries": selectors.webhook_deliveries(workspace=workspace, kind=kind.key),
        "secret": secret,
        "can_edit": role_can(request.membership.role, Perm.SETTINGS_EDIT),
    }
    return render(request, "notifications/webhook.html", context)


@workspace_view(Perm.SETTINGS_VIEW)
def webhook(request: WorkspaceRequest, notification_kind: str) -> HttpResponse:
    kind = _declared(notification_kind)
    endpoint = selectors.webhook_endpoint(workspace=request.workspace, kind=kind.key)
    initial = {"url": endpoint.url, "enabled": endpoint.enabled} if endpoint else {}
    return _page(request, kind, WebhookForm(initial=initial))


@workspace_view(Perm.SETTINGS_EDIT)
@require_POST
def webhook_save(request: WorkspaceRequest, notification_kind: str) -> HttpResponse:
    kind = _declared(notification_kind)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            _endpoint, secret = webhooks.webhook_endpoint_set(
                workspace=request.workspace,
                kind=kind.key,
                url=form.cleaned_data["url"],
                enabled=form.cleaned_data["enabled"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("url", error)
        else:
            if secret:  # made now: shown on this answer only, never again
                return _page(request, kind, form, secret=secret)
            messages.success(request, _("Saved."))
            return redirect(
                "notifications:webhook",
                workspace=request.workspace.slug,
                notification_kind=kind.key,
            )
    return _page(request, kind, form)


@workspace_view(Perm.SETTINGS_EDIT)
@require_POST
def webhook_rotate(request: WorkspaceRequest, notification_kind: str) -> HttpResponse:
    kind = _declared(notification_kind)
    endpoint = selectors.webhook_endpoint(workspace=request.workspace, kind=kind.key)
    if endpoint is None:
        raise Http404
    secret = webhooks.webhook_secret_rotate(
        workspace=request.workspace, kind=kind.key, actor=request.user
    )
    form = WebhookForm(initial={"url": endpoint.url, "enabled": endpoint.enabled})
    return _page(request, kind, form, secret=secret)


@workspace_view(Perm.SETTINGS_EDIT)
@require_POST
def webhook_test(request: WorkspaceRequest, notification_kind: str) -> HttpResponse:
    kind = _declared(notification_kind)
    try:
        webhooks.webhook_send_test(workspace=request.workspace, kind=kind.key, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A test message is on its way. Its outcome shows in the log below.")
        )
    return redirect(
        "notifications:webhook", workspace=request.workspace.slug, notification_kind=kind.key
    )


@workspace_view(Perm.SETTINGS_EDIT)
@require_POST
def webhook_remove(request: WorkspaceRequest, notification_kind: str) -> HttpResponse:
    kind = _declared(notification_kind)
    if webhooks.webhook_endpoint_remove(
        workspace=request.workspace, kind=kind.key, actor=request.user
    ):
        messages.success(request, _("The webhook is removed."))
    return redirect(
        "notifications:webhook", workspace=request.workspace.slug, notification_kind=kind.key
    )
