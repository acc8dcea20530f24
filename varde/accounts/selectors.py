"""Reading accounts data. Every workspace-owned query starts from a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from varde.accounts.models import (
    AuditEvent,
    Invitation,
    LoginFailure,
    Membership,
    User,
    Workspace,
)


def membership_for(
    *, user: AbstractBaseUser | AnonymousUser, workspace_slug: str
) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("workspace")
        .filter(user_id=user.pk, workspace__slug=workspace_slug)
        .first()
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("workspace", "workspace__agency")
        .order_by("workspace__agency__name", "workspace__name")
    )


def default_workspace_for(*, user: User) -> Workspace | None:
    """The workspace a user lands in: the last one they used, else the first they belong to."""
    memberships = memberships_of(user=user)
    if user.last_workspace_id is not None:
        last = memberships.filter(workspace_id=user.last_workspace_id).first()
        if last is not None:
            return last.workspace
    first = memberships.first()
    return first.workspace if first else None


def workspace_by_slug(*, slug: str) -> Workspace | None:
    """The workspace with this short name, for the command line (which has no member)."""
    return Workspace.objects.filter(slug=slug).first()


def members_of(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def open_invitations(*, workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        workspace=workspace,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def audit_events(*, workspace: Workspace) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(workspace=workspace).select_related("actor")


@dataclass(frozen=True)
class LoginFailureCounts:
    """Recent failed logins, counted the three ways the throttle needs."""

    pair: int  # for this e-mail from this address
    account: int  # for this e-mail from any address
    address_emails: int  # distinct e-mails that failed from this address


def login_failure_counts(*, email: str, ip_address: str | None) -> LoginFailureCounts:
    since = timezone.now() - timedelta(seconds=settings.VARDE_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    account = recent.filter(email=email.strip().lower())
    if not ip_address:
        return LoginFailureCounts(pair=0, account=account.count(), address_emails=0)
    from_address = recent.filter(ip_address=ip_address)
    return LoginFailureCounts(
        pair=account.filter(ip_address=ip_address).count(),
        account=account.count(),
        address_emails=from_address.values("email").distinct().count(),
    )
