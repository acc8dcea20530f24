"""factory_boy factories for users, workspaces and memberships; other apps' tests use them."""

from __future__ import annotations

import factory

from varde.accounts.models import Membership, User, Workspace
from varde.accounts.roles import Role

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"ws-{n}")
    language = "en"
    timezone = "Europe/Oslo"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    workspace = factory.SubFactory(WorkspaceFactory)
    role = Role.EDITOR


def member(workspace: Workspace, role: Role = Role.EDITOR, **user_fields) -> User:
    """A new user who holds ``role`` in ``workspace``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, workspace=workspace, role=role)
    return user
