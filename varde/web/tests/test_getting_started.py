"""A new workspace: made from the switcher, its short name from its name, and a checklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from varde.accounts.models import Workspace
from varde.accounts.roles import Role
from varde.accounts.services import invitation_create
from varde.accounts.tests.factories import member
from varde.composer.services import post_save_draft
from varde.content.services import Draft
from varde.publishing.services import deliveries_release_planned
from varde.sandbox.services import sandbox_channel_create
from varde.strategy.services import strategy_apply_template

pytestmark = pytest.mark.django_db


def test_the_switcher_offers_a_new_workspace(client_as, owner, workspace):
    page = client_as(owner).get(f"/w/{workspace.slug}/").content.decode()
    assert 'href="/accounts/workspaces/new/" data-new-workspace' in page


def test_the_short_name_is_made_from_the_name_when_left_empty(client_as, owner, workspace):
    client = client_as(owner)
    response = client.post(
        "/accounts/workspaces/new/",
        {"name": "Bryggen Sykkel & Søn", "slug": "", "language": "nb", "timezone": "Europe/Oslo"},
    )
    assert response.status_code == 302
    assert Workspace.objects.filter(slug="bryggen-sykkel-son").exists()
    client.post(
        "/accounts/workspaces/new/",
        {"name": "Bryggen Sykkel & Søn", "slug": "", "language": "nb", "timezone": "Europe/Oslo"},
    )
    assert Workspace.objects.filter(slug="bryggen-sykkel-son-2").exists()


def _steps(page: str) -> dict[str, bool]:
    found = {}
    for key in ("plan", "channel", "post", "team"):
        marker = f'data-step="{key}" data-done="'
        if marker in page:
            found[key] = page[page.index(marker) + len(marker) :].startswith("true")
    return found


def test_the_checklist_ticks_from_real_data_and_goes_away(client_as, owner, workspace):
    client = client_as(owner)
    home = f"/w/{workspace.slug}/"
    assert _steps(client.get(home).content.decode()) == {
        "plan": False,
        "channel": False,
        "post": False,
        "team": False,
    }
    strategy_apply_template(
        workspace=workspace, actor=owner, template="small_business", language="en"
    )
    channel = sandbox_channel_create(workspace=workspace, label="Sandbox", actor=owner)
    steps = _steps(client.get(home).content.decode())
    assert steps["plan"]
    assert steps["channel"]
    assert not steps["post"]
    post = post_save_draft(
        workspace=workspace,
        actor=owner,
        draft=Draft(
            text="First", channels=[channel], planned_at=timezone.now() + dt.timedelta(days=1)
        ),
    ).post
    assert not _steps(client.get(home).content.decode())["post"]  # a draft is not scheduled
    deliveries_release_planned(post=post, actor=owner)
    assert _steps(client.get(home).content.decode())["post"]
    member(workspace, Role.EDITOR)
    mail.outbox.clear()
    assert "data-checklist" not in client.get(home).content.decode()


def test_an_open_invitation_ticks_the_team_step(client_as, owner, workspace):
    invitation_create(
        workspace=workspace,
        email="new@example.com",
        role=Role.EDITOR,
        actor_membership=owner.memberships.get(workspace=workspace),
    )
    assert _steps(client_as(owner).get(f"/w/{workspace.slug}/").content.decode())["team"]
