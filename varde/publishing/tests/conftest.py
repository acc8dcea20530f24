from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.sandbox.services import sandbox_channel_create


@pytest.fixture
def channel(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandbox A", actor=owner)


@pytest.fixture
def second_channel(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandbox B", actor=owner)


@pytest.fixture
def post(workspace, editor):
    return post_create(
        workspace=workspace,
        author=editor,
        text="Hello from Varde",
        approval_state=ApprovalState.APPROVED,
    )


NOON = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
