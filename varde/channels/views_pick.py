"""The picker page: after signing in on Facebook, Instagram or LinkedIn, the person chooses
which Page or account to connect (logic in ``pickers.py``).

The OAuth callback (``views.oauth_callback``) hands over to ``continue_to_picker`` once the
sign-in's state has been checked; the picker lives under the workspace, so
``workspace_view`` checks membership and the role again, and the pending choice must belong
to this user and this workspace and be younger than the sign-in deadline.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from varde.accounts.access import WorkspaceRequest, request_user, workspace_view
from varde.accounts.permissions import Perm
from varde.channels import connecting, pickers, services, views_plan
from varde.channels.models import ConnectedAccount
from varde.connectors import registry
from varde.connectors.managed import managed_config_key

# Choices waiting in the session: {pick id: pending choice}. A few at most per person.
PICK_SESSION_KEY = "channels_oauth_pick"
MAX_PENDING_PICKS = 5


def continue_to_picker(
    request: HttpRequest, *, pending: dict[str, Any], code: str, redirect_uri: str, back: str
) -> HttpResponse:
    """Swap the code, list what the person manages, and send them to choose."""
    try:
        pick = pickers.pick_begin(pending=pending, code=code, redirect_uri=redirect_uri)
    except connecting.ConnectError as error:
        messages.error(request, error.message)
        return redirect(back)
    picks = dict(request.session.get(PICK_SESSION_KEY) or {})
    picks[pick["id"]] = pick
    newest = sorted(picks.values(), key=lambda p: p["started_at"])[-MAX_PENDING_PICKS:]
    request.session[PICK_SESSION_KEY] = {p["id"]: p for p in newest}
    return redirect("channels:pick", workspace=pick["workspace"], pick_id=pick["id"])


def _forget(request: HttpRequest, pick_id: str) -> None:
    picks = dict(request.session.get(PICK_SESSION_KEY) or {})
    picks.pop(pick_id, None)
    request.session[PICK_SESSION_KEY] = picks


def _refused(request: HttpRequest) -> HttpResponse:
    message = _(
        "This choice does not match a sign-in started here, or it took too long. Nothing was "
        "connected. Start again from the channels page, in this browser."
    )
    return render(request, "channels/oauth_failed.html", {"message": message}, status=400)


@workspace_view(Perm.CHANNELS_MANAGE)
def pick(request: WorkspaceRequest, pick_id: str) -> HttpResponse:
    pending = _pending_pick(request, pick_id)
    if pending is None:
        return _refused(request)
    key = str(pending["connector_key"])
    channel = _channel_to_reconnect(request, pending)
    error = ""
    chosen = ""
    if request.method == "POST":
        chosen = request.POST.get("account", "")
        try:
            stored = _connect_chosen(request, pending, chosen, channel)
        except connecting.ConnectError as refused:
            error = refused.message
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            _forget(request, pick_id)
            return _connected(request, stored, reconnected=channel is not None)
    accounts = list(pending.get("accounts") or ())
    usable = [a["id"] for a in accounts if a.get("can_post")]
    context = {
        "words": pickers.words(key),
        "network_key": key,
        "accounts": accounts,
        "any_usable": bool(usable),
        "chosen": chosen or _preselected(key, channel, usable),
        "error": error,
        "channel": channel,
        "back": _back_url(request, key, channel),
        "nav_active": "channels",
    }
    return render(request, "channels/pick.html", context, status=400 if error else 200)


def _pending_pick(request: WorkspaceRequest, pick_id: str) -> dict[str, Any] | None:
    """The choice waiting for this person in this workspace, if it is still young enough."""
    pending: dict[str, Any] | None = dict(request.session.get(PICK_SESSION_KEY) or {}).get(pick_id)
    # Another person's, another workspace's, or none at all: refused alike, and left alone
    # (the other workspace's tab may still use it).
    if (
        pending is None
        or pending.get("user_id") != request.user.pk
        or pending.get("workspace") != request.workspace.slug
    ):
        return None
    if connecting.oauth_expired(pending):
        _forget(request, pick_id)
        return None
    return pending


def _channel_to_reconnect(
    request: WorkspaceRequest, pending: dict[str, Any]
) -> ConnectedAccount | None:
    if not pending.get("channel_id"):
        return None
    return (
        ConnectedAccount.objects.in_workspace(request.workspace)
        .filter(pk=pending["channel_id"])
        .first()
    )


def _connect_chosen(
    request: WorkspaceRequest,
    pending: dict[str, Any],
    chosen: str,
    channel: ConnectedAccount | None,
) -> ConnectedAccount:
    verified = pickers.pick_complete(pick=pending, account_id=chosen)
    return services.channel_connect_verified(
        workspace=request.workspace,
        verified=verified,
        actor=request_user(request),
        label=str(pending.get("label") or ""),
        channel=channel,
    )


def _connected(
    request: WorkspaceRequest, stored: ConnectedAccount, *, reconnected: bool
) -> HttpResponse:
    text = (
        _("%(channel)s is reconnected as %(handle)s. Waiting posts will go out.")
        if reconnected
        else _("%(channel)s is connected as %(handle)s.")
    )
    messages.success(request, text % {"channel": stored.label, "handle": stored.handle})
    if not reconnected:
        return views_plan.after_connect(stored)
    return redirect("channels:detail", workspace=request.workspace.slug, channel_id=stored.pk)


def _preselected(key: str, channel: ConnectedAccount | None, usable: list[str]) -> str:
    """A reconnect starts on its own account; a single usable account is shown already chosen."""
    current = (
        str((channel.config or {}).get(managed_config_key(registry.get(key)), ""))
        if channel
        else ""
    )
    return current if current in usable else (usable[0] if len(usable) == 1 else "")


def _back_url(request: WorkspaceRequest, key: str, channel: ConnectedAccount | None) -> str:
    workspace = request.workspace.slug
    if channel:
        return reverse(
            "channels:reconnect", kwargs={"workspace": workspace, "channel_id": channel.pk}
        )
    return reverse("channels:connect", kwargs={"workspace": workspace, "network": key})
