from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from varde.accounts import selectors, services
from varde.accounts.models import AuditEvent, Membership
from varde.accounts.roles import Role
from varde.accounts.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_workspace_create_makes_the_creator_owner_and_audits(workspace):
    user = UserFactory()
    created = services.workspace_create(name="Fjord", slug="fjord", owner=user)
    assert Membership.objects.get(workspace=created, user=user).role == Role.OWNER
    assert AuditEvent.objects.filter(workspace=created, action="workspace.created").exists()


def test_workspace_create_refuses_a_taken_slug(workspace):
    with pytest.raises(ValidationError):
        services.workspace_create(name="Again", slug=workspace.slug, owner=UserFactory())


def test_workspace_settings_reject_unknown_timezone(workspace, owner):
    with pytest.raises(ValidationError):
        services.workspace_update_settings(
            workspace=workspace, actor=owner, name="X", language="nb", tz="Mars/Olympus"
        )


def test_workspace_settings_record_what_changed(workspace, owner):
    services.workspace_update_settings(
        workspace=workspace, actor=owner, name="Acme Norge", language="nb", tz="Europe/Oslo"
    )
    event = AuditEvent.objects.get(action="workspace.settings_changed")
    assert event.detail["changes"]["name"] == ["Acme", "Acme Norge"]
    assert event.actor == owner


def test_invitation_mails_a_link_and_stores_only_a_hash(
    workspace, owner, django_capture_on_commit_callbacks
):
    actor = Membership.objects.get(user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            workspace=workspace, email="New@Example.test", role=Role.EDITOR, actor_membership=actor
        )
    assert invitation.email == "new@example.test"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    token = body.split("/accounts/invitation/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert services.invitation_by_token(token) == invitation
    assert services.invitation_by_token(token + "x") is None


def test_accepting_an_invitation_adds_the_member_once(workspace, owner):
    actor = Membership.objects.get(user=owner)
    invitation = services.invitation_create(
        workspace=workspace, email="ny@example.test", role=Role.ANALYST, actor_membership=actor
    )
    newcomer = UserFactory(email="ny@example.test")
    services.invitation_accept(invitation=invitation, user=newcomer)
    assert Membership.objects.get(user=newcomer).role == Role.ANALYST
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=newcomer)


def test_an_invitation_is_only_for_its_address(workspace, owner):
    actor = Membership.objects.get(user=owner)
    invitation = services.invitation_create(
        workspace=workspace, email="a@example.test", role=Role.EDITOR, actor_membership=actor
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="b@example.test"))


def test_an_admin_cannot_make_owners(workspace):
    admin = member(workspace, Role.ADMIN)
    actor = Membership.objects.get(user=admin)
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            workspace=workspace, email="x@example.test", role=Role.OWNER, actor_membership=actor
        )
    target = Membership.objects.get(user=member(workspace, Role.EDITOR))
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=target, role=Role.OWNER, actor_membership=actor)


def test_the_last_owner_cannot_leave(workspace, owner):
    own = Membership.objects.get(user=owner)
    with pytest.raises(ValidationError):
        services.membership_set_role(membership=own, role=Role.EDITOR, actor_membership=own)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=own, actor_membership=own)


def test_role_change_is_audited(workspace, owner):
    own = Membership.objects.get(user=owner)
    target = Membership.objects.get(user=member(workspace, Role.CONTRIBUTOR))
    services.membership_set_role(membership=target, role=Role.EDITOR, actor_membership=own)
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.detail == {"from": "contributor", "to": "editor"}


def test_login_throttle_counts_failures_per_email_and_address_pair(settings):
    settings.VARDE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        services.login_failure_record(email="x@example.test", ip_address="10.0.0.1")
    assert services.login_is_throttled(email="x@example.test", ip_address="10.0.0.1")
    # The same e-mail from elsewhere, and another e-mail from the same address, still try.
    assert not services.login_is_throttled(email="x@example.test", ip_address="10.0.0.2")
    assert not services.login_is_throttled(email="other@example.test", ip_address="10.0.0.1")


def test_login_throttle_per_account_spares_a_known_device(settings):
    settings.VARDE_LOGIN_MAX_FAILURES_PER_ACCOUNT = 4
    for n in range(4):
        services.login_failure_record(email="x@example.test", ip_address=f"10.0.1.{n}")
    assert services.login_is_throttled(email="x@example.test", ip_address="10.0.2.1")
    assert not services.login_is_throttled(
        email="x@example.test", ip_address="10.0.2.1", known_device=True
    )


def test_login_throttle_per_address_needs_many_distinct_emails(settings):
    settings.VARDE_LOGIN_MAX_EMAILS_PER_ADDRESS = 3
    for n in range(2):
        services.login_failure_record(email=f"guess{n}@example.test", ip_address="10.0.0.9")
    assert not services.login_is_throttled(email="x@example.test", ip_address="10.0.0.9")
    services.login_failure_record(email="guess2@example.test", ip_address="10.0.0.9")
    assert services.login_is_throttled(email="x@example.test", ip_address="10.0.0.9")
    assert not services.login_is_throttled(
        email="x@example.test", ip_address="10.0.0.9", known_device=True
    )


def test_audit_events_are_scoped_to_their_workspace(workspace, other_workspace, owner):
    services.audit_record(action="post.published", workspace=other_workspace)
    services.audit_record(action="post.published", workspace=workspace)
    assert selectors.audit_events(workspace=workspace).count() == 1


def test_default_workspace_prefers_the_last_used(workspace, other_workspace, owner):
    services.membership_add(workspace=other_workspace, user=owner, role=Role.EDITOR, actor=None)
    services.user_remember_workspace(user=owner, workspace=other_workspace)
    assert selectors.default_workspace_for(user=owner) == other_workspace


def test_a_new_name_goes_through_the_service_and_is_recorded(owner):
    services.user_set_name(user=owner, full_name="  Ingrid Berg ")
    owner.refresh_from_db()
    assert owner.full_name == "Ingrid Berg"
    event = AuditEvent.objects.get(action="user.renamed")
    assert event.detail["to"] == "Ingrid Berg"
    services.user_set_name(user=owner, full_name="Ingrid Berg")
    assert AuditEvent.objects.filter(action="user.renamed").count() == 1


def test_making_a_superuser_is_recorded(owner):
    services.user_make_superuser(user=owner)
    owner.refresh_from_db()
    assert owner.is_superuser
    assert owner.is_staff
    assert AuditEvent.objects.filter(action="user.made_superuser", target_id=str(owner.pk)).exists()
