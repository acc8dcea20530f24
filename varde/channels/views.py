"""The channels page, connecting accounts, and the way back from a network's sign-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import (
    WorkspaceRequest,
    is_installation_owner,
    public_view,
    request_user,
    user_view,
    workspace_view,
)
from varde.accounts.permissions import Perm, role_can
from varde.accounts.selectors import membership_for
from varde.channels import (
    atproto_client,
    connecting,
    hooks,
    pickers,
    selectors,
    services,
    views_pick,
    views_plan,
)
from varde.channels.forms import LABEL_FIELD, connect_form, form_values
from varde.channels.models import ConnectedAccount
from varde.channels.network_apps import app_of_network as network_app_of
from varde.channels.presentation import channel_view, network_label, with_subscriber_lists
from varde.lib.middleware import content_security_policy

if TYPE_CHECKING:
    from varde.channels.selectors import NetworkChoice

# Sign-ins in progress, in the session: {state: pending flow}. A few at most per person.
SESSION_KEY = "channels_oauth"
MAX_PENDING = 5


def oauth_redirect_uri() -> str:
    """The one address every network sends people back to; register it with each app."""
    return f"{settings.BASE_URL}{reverse('channels_oauth:callback')}"


def _channel_or_404(request: WorkspaceRequest, channel_id: int) -> ConnectedAccount:
    try:
        return selectors.channel_get(workspace=request.workspace, channel_id=channel_id)
    except ConnectedAccount.DoesNotExist:
        raise Http404 from None


def _choice_or_404(connector_key: str) -> NetworkChoice:
    choice = selectors.network_choice(connector_key)
    if choice is None or not (choice.credentials or choice.oauth or choice.sandbox):
        raise Http404
    return choice


@workspace_view(Perm.CHANNELS_VIEW)
def channel_list(request: WorkspaceRequest) -> HttpResponse:
    now = timezone.now()
    views = [
        channel_view(c, now=now) for c in selectors.channels_listed(workspace=request.workspace)
    ]
    context = {
        "channels": with_subscriber_lists(views, workspace=request.workspace),
        "can_manage": role_can(request.membership.role, Perm.CHANNELS_MANAGE),
        "nav_active": "channels",
    }
    return render(request, "channels/list.html", context)


@workspace_view(Perm.CHANNELS_VIEW)
def channel_detail(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    view = channel_view(channel, now=timezone.now())
    context = {
        "view": with_subscriber_lists([view], workspace=request.workspace)[0],
        "channel": channel,
        "plan_status": views_plan.plan_status(channel),
        "can_edit_plan": role_can(request.membership.role, Perm.STRATEGY_EDIT),
        "can_manage": role_can(request.membership.role, Perm.CHANNELS_MANAGE),
        "nav_active": "channels",
    }
    return render(request, "channels/detail.html", context)


@workspace_view(Perm.CHANNELS_MANAGE)
def connect_choose(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "choices": selectors.network_choices(),
        "is_installation_owner": is_installation_owner(request.user),
        "nav_active": "channels",
    }
    return render(request, "channels/connect_choose.html", context)


@workspace_view(Perm.CHANNELS_MANAGE)
def connect(request: WorkspaceRequest, network: str) -> HttpResponse:
    return _connect_page(request, _choice_or_404(network), channel=None)


@workspace_view(Perm.CHANNELS_MANAGE)
def reconnect(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    return _connect_page(request, _choice_or_404(channel.connector_key), channel=channel)


def _connect_page(
    request: WorkspaceRequest, choice: NetworkChoice, *, channel: ConnectedAccount | None
) -> HttpResponse:
    submitted = request.POST.get("method") if request.method == "POST" else None
    forms = _connect_forms(request, choice, channel, submitted)
    done = _connect_submitted(request, choice, channel, submitted, forms)
    if done is not None:
        return done
    context = {
        "choice": choice,
        "channel": channel,
        **forms,
        **_not_set_up(request, choice),
        "private_urls_allowed": settings.VARDE_ALLOW_PRIVATE_URLS,
        "nav_active": "channels",
    }
    status = 400 if submitted else 200
    response = render(request, "channels/connect.html", context, status=status)
    if choice.oauth_ready:
        _allow_posting_to_the_sign_in(response)
    return response


def _not_set_up(request: WorkspaceRequest, choice: NetworkChoice) -> dict[str, str]:
    """What the connect page says when the network's app is missing, and for the owner of
    this Varde the way to Settings → Networks."""
    if not (choice.oauth and choice.oauth_unconfigured):
        return {"not_configured": "", "setup_url": ""}
    owner = is_installation_owner(request.user)
    app = network_app_of(choice.key)
    setup_url = ""
    if owner and app:
        page = reverse("network_apps:page", kwargs={"workspace": request.workspace.slug})
        setup_url = f"{page}#app-{app}"
    message = connecting.not_configured_message(choice.oauth, owner=owner and bool(app))
    return {"not_configured": message, "setup_url": setup_url}


def _connect_forms(
    request: WorkspaceRequest,
    choice: NetworkChoice,
    channel: ConnectedAccount | None,
    submitted: str | None,
) -> dict[str, Any]:
    """The page's three ways to connect; only the submitted one is bound to the post."""
    initial = dict(channel.config or {}) if channel else {}
    ask_label = channel is None

    def data_for(method: str) -> Any:
        return request.POST if submitted == method else None

    return {
        "credential_form": connect_form(
            choice.credentials.fields if choice.credentials else (),
            data_for("credentials"),
            ask_label=ask_label,
            initial=initial,
            id_prefix="credentials",
        ),
        "oauth_form": connect_form(
            choice.oauth.fields if choice.oauth else (),
            data_for("oauth"),
            ask_label=ask_label,
            initial=initial,
            id_prefix="oauth",
        ),
        "sandbox_form": connect_form((), data_for("sandbox"), id_prefix="sandbox"),
    }


def _connect_submitted(
    request: WorkspaceRequest,
    choice: NetworkChoice,
    channel: ConnectedAccount | None,
    submitted: str | None,
    forms: dict[str, Any],
) -> HttpResponse | None:
    """The answer to a valid submission (connected, or on to the network); None: show the page."""
    if submitted == "credentials" and choice.credentials and forms["credential_form"].is_valid():
        return _connect_with_credentials(request, choice, forms["credential_form"], channel)
    if submitted == "oauth" and choice.oauth and forms["oauth_form"].is_valid():
        return _start_oauth(request, choice, forms["oauth_form"], channel)
    sandbox_form = forms["sandbox_form"]
    if submitted == "sandbox" and choice.sandbox and channel is None and sandbox_form.is_valid():
        return _connect_sandbox(request, sandbox_form)
    return None


def _connect_sandbox(request: WorkspaceRequest, form: Any) -> HttpResponse:
    label = form.cleaned_data.get(LABEL_FIELD) or _("Sandbox")
    (created,) = hooks.in_house_channel_create.call(request.workspace, label, request.user)
    messages.success(request, _("The sandbox channel is connected."))
    return views_plan.after_connect(created)


def _allow_posting_to_the_sign_in(response: HttpResponse) -> None:
    # "Continue to <network>" posts here and is answered with a redirect to the network's
    # sign-in page, which browsers check against this page's form-action. The address is
    # only known after the post (a Mastodon server, a Bluesky PDS): any https origin, and
    # http where private addresses are allowed (a test network on this machine).
    targets = ("'self'", "https:", *(("http:",) if settings.VARDE_ALLOW_PRIVATE_URLS else ()))
    response.headers["Content-Security-Policy"] = content_security_policy(form_action=targets)


def _finish(
    request: WorkspaceRequest,
    verified: connecting.Verified,
    label: str,
    channel: ConnectedAccount | None,
) -> HttpResponse:
    stored = services.channel_connect_verified(
        workspace=request.workspace,
        verified=verified,
        actor=request_user(request),
        label=label,
        channel=channel,
    )
    if channel is None:
        text = _("%(channel)s is connected as %(handle)s.")
    else:
        text = _("%(channel)s is reconnected as %(handle)s. Waiting posts will go out.")
    messages.success(request, text % {"channel": stored.label, "handle": stored.handle})
    if channel is None:
        return views_plan.after_connect(stored)
    return redirect("channels:detail", workspace=request.workspace.slug, channel_id=stored.pk)


def _connect_with_credentials(
    request: WorkspaceRequest,
    choice: NetworkChoice,
    form: Any,
    channel: ConnectedAccount | None,
) -> HttpResponse | None:
    assert choice.credentials is not None  # noqa: S101  (checked by the caller)
    values = form_values(form)
    try:
        verified = connecting.verify_credentials(method=choice.credentials, values=values)
        return _finish(request, verified, values.get(LABEL_FIELD, ""), channel)
    except connecting.ConnectError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    return None


def _start_oauth(
    request: WorkspaceRequest,
    choice: NetworkChoice,
    form: Any,
    channel: ConnectedAccount | None,
) -> HttpResponse | None:
    assert choice.oauth is not None  # noqa: S101
    values = form_values(form)
    try:
        url, pending = connecting.oauth_begin(
            method=choice.oauth, values=values, redirect_uri=oauth_redirect_uri()
        )
    except connecting.ConnectError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None
    # Bound to this person, this session and this workspace: the callback checks all three.
    pending |= {
        "workspace": request.workspace.slug,
        "user_id": request.user.pk,
        "channel_id": channel.pk if channel else None,
        "label": values.get(LABEL_FIELD, ""),
    }
    flows = dict(request.session.get(SESSION_KEY) or {})
    flows[pending["state"]] = pending
    newest = sorted(flows.values(), key=lambda p: p["started_at"])[-MAX_PENDING:]
    request.session[SESSION_KEY] = {p["state"]: p for p in newest}
    return redirect(url)


def _failed(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "channels/oauth_failed.html", {"message": message}, status=status)


@user_view
def oauth_callback(request: HttpRequest) -> HttpResponse:
    """Where a network sends the person back after signing in (the registered redirect URI)."""
    user = request_user(request)
    state = request.GET.get("state", "")
    flows = dict(request.session.get(SESSION_KEY) or {})
    pending = flows.pop(state, None) if state else None
    request.session[SESSION_KEY] = flows  # a state is used once, whatever happens next
    if pending is None or pending.get("user_id") != user.pk or connecting.oauth_expired(pending):
        return _failed(
            request,
            _(
                "This sign-in does not match one started here, or it took too long. Nothing "
                "was connected. Start again from the channels page, in this browser."
            ),
        )
    membership = membership_for(user=user, workspace_slug=str(pending["workspace"]))
    if membership is None:
        raise Http404
    if not role_can(membership.role, Perm.CHANNELS_MANAGE):
        raise PermissionDenied
    workspace = membership.workspace
    channel = None
    if pending.get("channel_id"):
        channel = (
            ConnectedAccount.objects.in_workspace(workspace)
            .filter(pk=pending["channel_id"])
            .first()
        )
    back = (
        reverse(
            "channels:reconnect", kwargs={"workspace": workspace.slug, "channel_id": channel.pk}
        )
        if channel
        else reverse(
            "channels:connect",
            kwargs={"workspace": workspace.slug, "network": pending["connector_key"]},
        )
    )
    network = network_label(str(pending["connector_key"]))
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        messages.error(
            request,
            _("%(network)s did not give Varde access, so nothing was connected. %(detail)s")
            % {
                "network": network,
                "detail": request.GET.get("error_description") or request.GET.get("error", ""),
            },
        )
        return redirect(back)
    if pickers.picks_account(str(pending["connector_key"])):
        # Facebook, Instagram, LinkedIn: the person chooses the Page next (views_pick.py).
        return views_pick.continue_to_picker(
            request, pending=pending, code=code, redirect_uri=oauth_redirect_uri(), back=back
        )
    try:
        verified = connecting.oauth_complete(
            pending=pending,
            code=code,
            redirect_uri=oauth_redirect_uri(),
            issuer=request.GET.get("iss"),
        )
        stored = services.channel_connect_verified(
            workspace=workspace,
            verified=verified,
            actor=user,
            label=str(pending.get("label") or ""),
            channel=channel,
        )
    except connecting.ConnectError as error:
        messages.error(request, error.message)
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("%(channel)s is connected as %(handle)s.")
        % {"channel": stored.label, "handle": stored.handle},
    )
    return (
        views_plan.after_connect(stored)
        if channel is None
        else redirect("channels:detail", workspace=workspace.slug, channel_id=stored.pk)
    )


@public_view
def atproto_client_metadata(request: HttpRequest) -> HttpResponse:
    """Varde's AT Protocol OAuth client metadata: its ``client_id`` is this document's address,
    and Bluesky sign-in servers fetch it (public, no sign-in; nothing secret in it)."""
    document = atproto_client.metadata()
    if document is None:
        raise Http404
    return JsonResponse(document)


@workspace_view(Perm.CHANNELS_MANAGE)
@require_POST
def pause(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    paused = request.POST.get("action") != "resume"
    try:
        services.channel_set_paused(channel=channel, paused=paused, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(channel)s is paused.") if paused else _("%(channel)s is publishing again."),
        )
    return redirect("channels:detail", workspace=request.workspace.slug, channel_id=channel.pk)


@workspace_view(Perm.CHANNELS_MANAGE)
def disconnect(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    if request.method == "POST":
        cancelled = services.channel_disconnect(channel=channel, actor=request_user(request))
        messages.success(
            request,
            _(
                "%(channel)s is disconnected and Varde's access is deleted. %(count)s waiting "
                "posts were cancelled for it."
            )
            % {"channel": channel.label, "count": cancelled},
        )
        return redirect("channels:detail", workspace=request.workspace.slug, channel_id=channel.pk)
    context = {
        "channel": channel,
        "waiting": selectors.channel_waiting_count(channel=channel),
        "nav_active": "channels",
    }
    return render(request, "channels/disconnect.html", context)
