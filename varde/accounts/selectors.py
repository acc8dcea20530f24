"""Reading accounts data. Every workspace-owned query starts from a workspace."""

from __future__ import annotations

from collections.abc import Iterable
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


def workspace_by_slug(slug: str) -> Workspace | None:
    """The workspace with this address name, for commands that name one; None when unknown."""
    return Workspace.objects.filter(slug=slug).first()


def workspace_exists(slug: str) -> bool:
    return Workspace.objects.filter(slug=slug).exists()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()


def any_user_exists() -> bool:
    """Whether anyone can log in yet (``varde run`` creates the demo when nobody can)."""
    return User.objects.exists()


def installation_has_owner() -> bool:
    """Whether anyone owns this installation (a superuser: Settings → Networks is theirs)."""
    return User.objects.filter(is_superuser=True, is_active=True).exists()


def is_member(*, user: User, workspace: Workspace) -> bool:
    return Membership.objects.filter(user=user, workspace=workspace).exists()


def member_user_ids(*, workspace: Workspace, among: Iterable[int]) -> set[int]:
    """Which of these users are still members of the workspace."""
    return set(
        Membership.objects.filter(workspace=workspace, user_id__in=list(among)).values_list(
            "user_id", flat=True
        )
    )


def member_users(*, workspace: Workspace) -> QuerySet[User]:
    """The users who are members of the workspace, for choosing a person in a form."""
    return User.objects.filter(memberships__workspace=workspace)


def member_names(*, workspace: Workspace) -> list[str]:
    """The full names of the members who have one."""
    names = Membership.objects.filter(workspace=workspace).values_list("user__full_name", flat=True)
    return [name for name in names if name]


def member_roles(*, workspace: Workspace) -> dict[int, str]:
    """Each member's role, by user id."""
    return dict(Membership.objects.filter(workspace=workspace).values_list("user_id", "role"))


def member_rows(*, workspace_id: int) -> QuerySet[Membership]:
    """The workspace's memberships, for checks that fingerprint them (the policy guard's cache)."""
    return Membership.objects.filter(workspace_id=workspace_id)


def user_for_password_check(*, email: str, full_name: str) -> User:
    """An unsaved user with these details, so the password validators can compare against them."""
    return User(email=email.strip().lower(), full_name=full_name)
