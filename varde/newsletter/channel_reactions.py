"""The newsletter's part of the channel pages, registered on ``varde.channels.hooks``: channels
sits below this app and cannot read its lists itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.channels import hooks
from varde.newsletter.selectors import ListSummary, list_summaries_by_channel

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def subscriber_lists(workspace: Workspace, channel_ids: list[int]) -> dict[int, ListSummary]:
    return list_summaries_by_channel(workspace=workspace, channel_ids=channel_ids)


def register() -> None:
    hooks.subscriber_lists_of.register(subscriber_lists)
