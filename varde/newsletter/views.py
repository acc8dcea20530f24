"""Workspace pages: lists and subscribers. CHANNELS_VIEW to look, CHANNELS_MANAGE to change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.lib import tables
from varde.newsletter import selectors, services
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.forms import AddSubscriberForm, ImportForm, ListCreateForm
from varde.newsletter.models import ConsentSource, Subscriber, SubscriberList


def _list_or_404(request: WorkspaceRequest, list_id: int) -> SubscriberList:
    try:
        return selectors.list_get(workspace=request.workspace, list_id=list_id)
    except SubscriberList.DoesNotExist:
        raise Http404 from None


def _create_form(request: WorkspaceRequest, data: object = None) -> ListCreateForm:
    form = ListCreateForm(data)  # type: ignore[arg-type]
    form.fields["channel"].choices = [  # type: ignore[attr-defined]
        (c.pk, c.label) for c in selectors.channels_without_list(workspace=request.workspace)
    ]
    return form


@workspace_view(Perm.CHANNELS_VIEW)
def index(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "lists": list(selectors.lists_of(workspace=request.workspace)),
        "create_form": _create_form(request),
        "can_manage": role_can(request.membership.role, Perm.CHANNELS_MANAGE),
        "insecure_base": not settings.BASE_URL.startswith("https://"),
        "nav_active": "channels",
    }
    return render(request, "newsletter/index.html", context)


@workspace_view(Perm.CHANNELS_MANAGE)
@require_POST
def list_new(request: WorkspaceRequest) -> HttpResponse:
    form = _create_form(request, request.POST)
    if form.is_valid():
        channel = next(
            c
            for c in selectors.channels_without_list(workspace=request.workspace)
            if c.pk == form.cleaned_data["channel"]
        )
        created = services.list_create(
            workspace=request.workspace,
            channel=channel,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            actor=request.user,
        )
        return redirect("newsletter:list", workspace=request.workspace.slug, list_id=created.pk)
    messages.error(request, _("Choose a newsletter channel and give the list a name."))
    return redirect("newsletter:index", workspace=request.workspace.slug)


@workspace_view(Perm.CHANNELS_VIEW)
def list_detail(request: WorkspaceRequest, list_id: int) -> HttpResponse:
    subscriber_list = _list_or_404(request, list_id)
    status = request.GET.get("status", "")
    if status not in SubscriberStatus.values:
        status = ""
    signup_path = reverse(
        "newsletter_public:subscribe", kwargs={"token": subscriber_list.signup_token}
    )
    context = {
        "list": subscriber_list,
        "subscribers": selectors.subscribers_of(subscriber_list=subscriber_list, status=status)[
            :500
        ],
        "status": status,
        "statuses": SubscriberStatus.choices,
        "signup_url": selectors.public_url(signup_path),
        "can_manage": role_can(request.membership.role, Perm.CHANNELS_MANAGE),
        "add_form": AddSubscriberForm(),
        "import_form": ImportForm(),
        "nav_active": "channels",
    }
    return render(request, "newsletter/list.html", context)


@workspace_view(Perm.CHANNELS_MANAGE)
@require_POST
def subscriber_add(request: WorkspaceRequest, list_id: int) -> HttpResponse:
    subscriber_list = _list_or_404(request, list_id)
    form = AddSubscriberForm(request.POST)
    if form.is_valid():
        try:
            services.subscriber_signup(
                subscriber_list=subscriber_list,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                source=ConsentSource.by(ConsentSource.ADDED, request.user.email),
            )
        except ValidationError:
            form.add_error("email", _("Enter a valid e-mail address."))
        else:
            messages.success(request, _("A confirmation e-mail is on its way to that address."))
    if form.errors:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("newsletter:list", workspace=request.workspace.slug, list_id=list_id)


@workspace_view(Perm.CHANNELS_MANAGE)
@require_POST
def subscribers_import(request: WorkspaceRequest, list_id: int) -> HttpResponse:
    subscriber_list = _list_or_404(request, list_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("newsletter:list", workspace=request.workspace.slug, list_id=list_id)
    upload = form.cleaned_data["file"]
    try:
        # The calendar's reader: CSV (UTF-8 or Windows-1252; ";", "," or tab) or XLSX.
        rows = tables.read_rows(
            name=upload.name or "",
            data=upload.read(services.IMPORT_MAX_BYTES + 1),
            max_rows=services.IMPORT_MAX_ROWS,
            max_bytes=services.IMPORT_MAX_BYTES,
        )
    except tables.TableError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("newsletter:list", workspace=request.workspace.slug, list_id=list_id)
    result = services.subscribers_import(
        subscriber_list=subscriber_list,
        rows=rows,
        consent_confirmed=form.cleaned_data["consent_confirmed"],
        actor=request.user,
    )
    messages.success(
        request,
        _("%(added)s added, %(already)s were already on the list.")
        % {"added": result.added, "already": result.already},
    )
    for problem in result.errors[:10]:
        messages.warning(request, problem)
    return redirect("newsletter:list", workspace=request.workspace.slug, list_id=list_id)


@workspace_view(Perm.CHANNELS_MANAGE)
@require_POST
def subscriber_remove(request: WorkspaceRequest, list_id: int, subscriber_id: int) -> HttpResponse:
    subscriber_list = _list_or_404(request, list_id)
    subscriber = Subscriber.objects.filter(
        workspace=request.workspace, subscriber_list=subscriber_list, pk=subscriber_id
    ).first()
    if subscriber is None:
        raise Http404
    services.subscriber_remove(subscriber=subscriber, actor=request.user)
    messages.success(request, _("The subscriber was removed."))
    return redirect("newsletter:list", workspace=request.workspace.slug, list_id=list_id)
