"""Shared pytest fixtures for the whole project."""

from __future__ import annotations

import pytest

from varde.accounts.models import Workspace
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member


@pytest.fixture
def workspace(db) -> Workspace:
    return WorkspaceFactory(slug="acme", name="Acme")


@pytest.fixture
def other_workspace(db) -> Workspace:
    return WorkspaceFactory(slug="rival", name="Rival")


@pytest.fixture
def owner(workspace):
    return member(workspace, Role.OWNER)


@pytest.fixture
def editor(workspace):
    return member(workspace, Role.EDITOR)


@pytest.fixture
def client_as(client):
    """Log the test client in as a user: ``client_as(user)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
