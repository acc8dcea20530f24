from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.content.services import post_create
from varde.sandbox.services import sandbox_channel_create

NOON = datetime(2031, 6, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def contributor(workspace):
    return member(workspace, Role.CONTRIBUTOR, full_name="Cora Contributor")


@pytest.fixture
def admin(workspace):
    return member(workspace, Role.ADMIN, full_name="Ada Admin")


@pytest.fixture
def second_editor(workspace):
    return member(workspace, Role.EDITOR, full_name="Erik Editor")


@pytest.fixture
def client_reviewer(workspace):
    return member(workspace, Role.CLIENT_REVIEWER, full_name="Kari Klient")


@pytest.fixture
def analyst(workspace):
    return member(workspace, Role.ANALYST)


@pytest.fixture
def channel(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandbox A", actor=owner)


@pytest.fixture
def draft(workspace, contributor):
    return post_create(workspace=workspace, author=contributor, text="Summer sale on bikes")
