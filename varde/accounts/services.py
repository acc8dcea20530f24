"""Every change to users, workspaces, memberships and the audit log goes through here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from varde.accounts.models import (
    AuditEvent,
    Invitation,
    LoginFailure,
    Membership,
    ThrottleEvent,
    User,
    Workspace,
)
from varde.accounts.permissions import roles_assignable_by
from varde.accounts.roles import Role


def audit_record(
    *,
    action: str,
    workspace: Workspace | None = None,
    actor: User | None = None,
    target: Any = None,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Record an event. Later features call this for their own events ("post.published", ...)."""
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor,
        actor_label=actor.email if actor else "",
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(getattr(target, "pk", "") or "") if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        detail=detail or {},
        ip_address=ip_address,
    )


def user_create(*, email: str, full_name: str, password: str | None, language: str = "") -> User:
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError(_("A user with this e-mail address already exists."))
    return User.objects.create_user(
        email=email, password=password, full_name=full_name.strip(), language=language
    )


@transaction.atomic
def user_set_name(*, user: User, full_name: str) -> None:
    """The name others see on posts, reviews and replies; recorded, since it signs replies."""
    name = full_name.strip()
    if not name:
        raise ValidationError(_("Write your name."))
    if name == user.full_name:
        return
    before = user.full_name
    user.full_name = name
    user.save(update_fields=["full_name"])
    audit_record(
        action="user.renamed", actor=user, target=user, detail={"from": before, "to": name}
    )


@transaction.atomic
def user_make_superuser(*, user: User) -> None:
    """Give a user the Django admin (``varde createuser --superuser``); recorded."""
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(action="user.made_superuser", target=user)


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """A new password set from the command line (the demo's, from ``VARDE_DEMO_PASSWORD``);
    recorded. People change their own through the password form."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="user.password_set", target=user)


def user_set_language(*, user: User, language: str) -> None:
    if language not in {code for code, _label in settings.LANGUAGES} | {""}:
        raise ValidationError(_("Choose Norwegian Bokmål or English."))
    user.language = language
    user.save(update_fields=["language"])


def user_remember_workspace(*, user: User, workspace: Workspace) -> None:
    if user.last_workspace_id != workspace.pk:
        user.last_workspace = workspace
        user.save(update_fields=["last_workspace"])


@transaction.atomic
def workspace_slug_from(name: str) -> str:
    """A free short name made from the workspace's name: "Bryggen Sykkel" → "bryggen-sykkel",
    then "bryggen-sykkel-2" and on when taken."""
    base = slugify(name.replace("æ", "ae").replace("ø", "o").replace("å", "a"))[:55].strip("-")
    base = base or "workspace"
    candidate, number = base, 1
    while Workspace.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def workspace_create(
    *, name: str, slug: str, owner: User, language: str = "nb", tz: str = "Europe/Oslo"
) -> Workspace:
    _check_timezone(tz)
    slug = slug or workspace_slug_from(name)
    if Workspace.objects.filter(slug=slug).exists():
        raise ValidationError(_("That short name is taken; choose another."))
    workspace = Workspace.objects.create(name=name, slug=slug, language=language, timezone=tz)
    Membership.objects.create(user=owner, workspace=workspace, role=Role.OWNER)
    audit_record(action="workspace.created", workspace=workspace, actor=owner, target=workspace)
    return workspace


@transaction.atomic
def workspace_update_settings(
    *, workspace: Workspace, actor: User, name: str, language: str, tz: str
) -> Workspace:
    _check_timezone(tz)
    changes = {
        field: [getattr(workspace, field), value]
        for field, value in {"name": name, "language": language, "timezone": tz}.items()
        if getattr(workspace, field) != value
    }
    if not changes:
        return workspace
    workspace.name, workspace.language, workspace.timezone = name, language, tz
    workspace.save(update_fields=["name", "language", "timezone"])
    audit_record(
        action="workspace.settings_changed",
        workspace=workspace,
        actor=actor,
        target=workspace,
        detail={"changes": changes},
    )
    return workspace


def _check_timezone(tz: str) -> None:
    if tz not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list, for example Europe/Oslo."))


@transaction.atomic
def membership_add(
    *, workspace: Workspace, user: User, role: Role, actor: User | None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if created:
        audit_record(
            action="member.added",
            workspace=workspace,
            actor=actor,
            target=user,
            detail={"role": role},
        )
    return membership


@transaction.atomic
def membership_set_role(
    *, membership: Membership, role: Role, actor_membership: Membership
) -> None:
    if role not in roles_assignable_by(actor_membership.role) or (
        membership.role == Role.OWNER and actor_membership.role != Role.OWNER
    ):
        raise PermissionDenied(_("You cannot give or take away that role."))
    if membership.role == Role.OWNER and role != Role.OWNER:
        _keep_one_owner(membership.workspace, leaving=membership)
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="member.role_changed",
        workspace=membership.workspace,
        actor=actor_membership.user,
        target=membership.user,
        detail={"from": old_role, "to": role},
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor_membership: Membership) -> None:
    if membership.role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can remove an owner."))
    if membership.role == Role.OWNER:
        _keep_one_owner(membership.workspace, leaving=membership)
    audit_record(
        action="member.removed",
        workspace=membership.workspace,
        actor=actor_membership.user,
        target=membership.user,
        detail={"role": membership.role},
    )
    membership.delete()


def _keep_one_owner(workspace: Workspace, *, leaving: Membership) -> None:
    others = Membership.objects.filter(workspace=workspace, role=Role.OWNER).exclude(pk=leaving.pk)
    if not others.exists():
        raise ValidationError(
            _("A workspace needs at least one owner. Make someone else owner first.")
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: Role, actor_membership: Membership
) -> Invitation:
    """Invite someone by e-mail. The token is mailed once and only its hash is kept."""
    if role not in roles_assignable_by(actor_membership.role):
        raise PermissionDenied(_("You cannot invite someone with that role."))
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email=email).exists():
        raise ValidationError(_("This person is already a member of the workspace."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor_membership.user,
        expires_at=timezone.now() + timedelta(days=settings.VARDE_INVITATION_DAYS),
    )
    audit_record(
        action="invitation.sent",
        workspace=workspace,
        actor=actor_membership.user,
        target=invitation,
        detail={"email": email, "role": role},
    )
    link = settings.BASE_URL + reverse("accounts:invitation_accept", args=[token])
    transaction.on_commit(lambda: _mail_invitation(invitation, link))
    return invitation


def _mail_invitation(invitation: Invitation, link: str) -> None:
    with translation.override(invitation.workspace.language):
        context = {"invitation": invitation, "link": link, "days": settings.VARDE_INVITATION_DAYS}
        send_mail(
            subject=_("You are invited to %(workspace)s in Varde")
            % {"workspace": invitation.workspace.name},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


def invitation_by_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("workspace").filter(token_hash=_token_hash(token)).first()
    )
    return invitation if invitation and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was withdrawn. Ask for a new one."))
    if user.email != invitation.email:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership = membership_add(
        workspace=invitation.workspace, user=user, role=Role(invitation.role), actor=user
    )
    audit_record(
        action="invitation.accepted", workspace=invitation.workspace, actor=user, target=invitation
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action="invitation.revoked", workspace=invitation.workspace, actor=actor, target=invitation
    )


def login_is_throttled(*, email: str, ip_address: str | None, known_device: bool = False) -> bool:
    """Whether a login for ``email`` from ``ip_address`` is refused before the password is
    even checked.

    Counted so that a stranger cannot lock anyone else out (OWASP's "device cookies"):
    failures for one e-mail from one address block that pair only; many failures for one
    e-mail (a guessing campaign from many addresses), or failures for very many e-mails from
    one address (password spraying), block only browsers the account has never logged in
    from. ``known_device`` is true when the request carries the account's device cookie
    (``accounts.devices``), so its owner still gets in while strangers are throttled.
    """
    from varde.accounts.selectors import login_failure_counts

    counts = login_failure_counts(email=email, ip_address=ip_address)
    if counts.pair >= settings.VARDE_LOGIN_MAX_FAILURES:
        return True
    if known_device:
        return False
    return (
        counts.account >= settings.VARDE_LOGIN_MAX_FAILURES_PER_ACCOUNT
        or counts.address_emails >= settings.VARDE_LOGIN_MAX_EMAILS_PER_ADDRESS
    )


def login_failure_record(*, email: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip_address=ip_address)
    # Old rows are useless for throttling; keep the table small.
    horizon = timezone.now() - timedelta(seconds=settings.VARDE_LOGIN_WINDOW_SECONDS * 4)
    LoginFailure.objects.filter(created_at__lt=horizon).delete()


def login_success_record(*, user: User, ip_address: str | None) -> None:
    # Forget only the owner's own typos (this address): a stranger's campaign against the
    # account from elsewhere keeps counting, so one good login does not reset it.
    LoginFailure.objects.filter(email=user.email, ip_address=ip_address).delete()
    for membership in Membership.objects.filter(user=user).select_related("workspace"):
        audit_record(
            action="user.logged_in",
            workspace=membership.workspace,
            actor=user,
            target=user,
            ip_address=ip_address,
        )


def throttle_allow(*, scope: str, key: str, limit: int, window: timedelta) -> bool:
    """Whether one more use of ``scope`` for ``key`` fits in ``limit`` per ``window``; a use
    that fits is recorded.

    For what sends mail to an address anyone can type (password reset, newsletter signup):
    without a cap a stranger can make Varde mail-bomb someone, and spoil the sender's
    reputation. Only allowed uses count, so a flood that is refused does not extend the wait
    of the person who really asked. Old rows are pruned on the way."""
    now = timezone.now()
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()
    ThrottleEvent.objects.filter(scope=scope, created_at__lt=now - window).delete()
    recent = ThrottleEvent.objects.filter(scope=scope, key=digest, created_at__gte=now - window)
    if recent.count() >= limit:
        return False
    ThrottleEvent.objects.create(scope=scope, key=digest, created_at=now)
    return True
