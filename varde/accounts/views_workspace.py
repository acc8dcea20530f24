"""Workspace settings: name, language, time zone; members and invitations; the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts import audit_sentences, selectors, services
from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.forms import InvitationForm, RoleForm, WorkspaceSettingsForm
from varde.accounts.models import Invitation, Membership
from varde.accounts.permissions import Perm, role_can, roles_assignable_by
from varde.accounts.roles import ROLE_DESCRIPTIONS, Role


@workspace_view(Perm.SETTINGS_EDIT)
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceSettingsForm(
        request.POST or None,
        initial={
            "name": workspace.name,
            "language": workspace.language,
            "timezone": workspace.timezone,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.workspace_update_settings(
            workspace=workspace,
            actor=request.user,
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
            tz=form.cleaned_data["timezone"],
        )
        messages.success(request, _("The workspace settings are saved."))
        return redirect("workspace_settings:workspace", workspace=workspace.slug)
    return render(
        request,
        "accounts/workspace_settings.html",
        {"form": form, "nav_active": "settings", "settings_tab": "workspace"},
    )


def _members_page(request: WorkspaceRequest, invite_form: InvitationForm) -> HttpResponse:
    can_manage = role_can(request.membership.role, Perm.MEMBERS_MANAGE)
    assignable = roles_assignable_by(request.membership.role) if can_manage else frozenset()
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.members_of(workspace=request.workspace),
            "invitations": selectors.open_invitations(workspace=request.workspace),
            "invite_form": invite_form,
            "can_manage": can_manage,
            "assignable_roles": [role for role in Role if role in assignable],
            "role_descriptions": [(role.label, ROLE_DESCRIPTIONS[role]) for role in Role],
            "nav_active": "settings",
            "settings_tab": "members",
        },
    )


@workspace_view(Perm.MEMBERS_VIEW)
def members(request: WorkspaceRequest) -> HttpResponse:
    allowed = roles_assignable_by(request.membership.role)
    return _members_page(request, InvitationForm(allowed_roles=allowed))


@workspace_view(Perm.MEMBERS_MANAGE)
@require_POST
def invite(request: WorkspaceRequest) -> HttpResponse:
    allowed = roles_assignable_by(request.membership.role)
    form = InvitationForm(request.POST, allowed_roles=allowed)
    if form.is_valid():
        try:
            services.invitation_create(
                workspace=request.workspace,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                actor_membership=request.membership,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error("email", str(error.args[0]) if error.args else "")
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("workspace_settings:members", workspace=request.workspace.slug)
    return _members_page(request, form)


def _membership(request: WorkspaceRequest, membership_id: int) -> Membership:
    # Scoped to the workspace in the URL: an id from another workspace is simply not found.
    return get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        pk=membership_id,
        workspace=request.workspace,
    )


@workspace_view(Perm.MEMBERS_MANAGE)
@require_POST
def member_role(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                membership=membership,
                role=Role(form.cleaned_data["role"]),
                actor_membership=request.membership,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, str(error.args[0]) if error.args else _("Not allowed."))
        else:
            messages.success(request, _("The role is changed."))
    return redirect("workspace_settings:members", workspace=request.workspace.slug)


@workspace_view(Perm.MEMBERS_MANAGE)
@require_POST
def member_remove(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    try:
        services.membership_remove(membership=membership, actor_membership=request.membership)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, str(error.args[0]) if error.args else _("Not allowed."))
    else:
        messages.success(request, _("The member is removed from the workspace."))
    return redirect("workspace_settings:members", workspace=request.workspace.slug)


@workspace_view(Perm.MEMBERS_MANAGE)
@require_POST
def invitation_revoke(request: WorkspaceRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, workspace=request.workspace)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("workspace_settings:members", workspace=request.workspace.slug)


@workspace_view(Perm.AUDIT_VIEW)
def audit_log(request: WorkspaceRequest) -> HttpResponse:
    """Who did what, as sentences in the reader's language at the workspace's local time."""
    events = selectors.audit_events(workspace=request.workspace)
    area = request.GET.get("area", "").strip()
    if area:
        events = events.filter(action__in=audit_sentences.kinds_in_area(area))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit.html",
        {
            "page": page,
            "events": audit_sentences.describe_all(
                page.object_list, zone=request.workspace.timezone
            ),
            "area": area,
            "areas": audit_sentences.areas(),
            "nav_active": "settings",
            "settings_tab": "audit",
        },
    )
