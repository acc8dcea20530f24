"""The calendar says "no gaps" only when it looked for gaps on a connected channel of the plan."""

from __future__ import annotations

import pytest

from varde.sandbox.services import sandbox_channel_create
from varde.strategy.services import strategy_apply_template

pytestmark = pytest.mark.django_db


def test_no_green_no_gaps_when_no_channel_of_the_plan_is_connected(client_as, workspace, owner):
    strategy_apply_template(
        workspace=workspace, actor=owner, template="small_business", language="en"
    )
    sandbox_channel_create(workspace=workspace, label="Sandbox", actor=owner)  # tied to nothing
    page = client_as(owner).get(f"/w/{workspace.slug}/calendar/").content.decode()
    assert "No gaps" not in page
    assert "Varde cannot look for gaps yet" in page


def test_gaps_are_listed_when_a_plan_channel_is_connected_and_empty(client_as, workspace, owner):
    strategy_apply_template(
        workspace=workspace, actor=owner, template="small_business", language="en"
    )
    sandbox_channel_create(
        workspace=workspace, label="Sandbox", actor=owner, stands_in_for="facebook"
    )
    page = client_as(owner).get(f"/w/{workspace.slug}/calendar/").content.decode()
    assert "No gaps" not in page
    assert 'class="gap-list"' in page
