"""The demo's user owns a fresh installation (someone must, to set up the networks), and never
takes that from an owner who was made first."""

from __future__ import annotations

import pytest

from varde.accounts.models import User
from varde.accounts.tests.factories import UserFactory
from varde.demo import DEMO_EMAIL, demo_create

pytestmark = pytest.mark.django_db


def test_the_demo_user_owns_a_fresh_installation():
    demo_create()
    assert User.objects.get(email=DEMO_EMAIL).is_superuser


def test_the_demo_user_does_not_own_an_installation_that_has_an_owner():
    host = UserFactory(email="host@example.test")
    host.is_superuser = True
    host.save(update_fields=["is_superuser"])
    demo_create()
    assert not User.objects.get(email=DEMO_EMAIL).is_superuser
