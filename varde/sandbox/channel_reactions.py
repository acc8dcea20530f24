"""The sandbox's answer to the connect page: a sandbox channel needs no sign-in.

Channels calls ``varde.channels.hooks.in_house_channel_create``; it cannot import this app,
which sits above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.channels import hooks
from varde.sandbox.services import sandbox_channel_create

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount


def create_from_connect_page(workspace: Workspace, label: str, actor: User) -> ConnectedAccount:
    return sandbox_channel_create(
        workspace=workspace, label=label, actor=actor, simulated_people=True
    )


def register() -> None:
    hooks.in_house_channel_create.register(create_from_connect_page)
