"""The inbox's part of a post's status page, registered on ``varde.publishing.hooks``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varde.inbox.selectors import replies_to_deliveries
from varde.publishing import hooks

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def replies_of_deliveries(
    workspace: Workspace, delivery_ids: list[int]
) -> tuple[str, dict[int, Any]]:
    return "replies", dict(replies_to_deliveries(workspace=workspace, delivery_ids=delivery_ids))


def register() -> None:
    hooks.read_back_of_deliveries.register(replies_of_deliveries)
