"""Reading what the inbox holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from varde.inbox.choices import ItemKind
from varde.inbox.models import InboxCursor, InboxItem

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount


def inbox_items(
    *, workspace: Workspace, channel: ConnectedAccount | None = None
) -> QuerySet[InboxItem]:
    """The workspace's items, newest first."""
    items = InboxItem.objects.filter(workspace=workspace).select_related("channel", "delivery")
    if channel is not None:
        items = items.filter(channel=channel)
    return items.order_by("-created_at", "-id")


def replies_to_deliveries(
    *, workspace: Workspace, delivery_ids: Iterable[int]
) -> dict[int, list[InboxItem]]:
    """Replies read for each of these deliveries, oldest first, by delivery id."""
    found: dict[int, list[InboxItem]] = {}
    items = InboxItem.objects.filter(
        workspace=workspace, delivery_id__in=list(delivery_ids)
    ).order_by("created_at", "id")
    for item in items:
        assert item.delivery_id is not None  # noqa: S101  (filtered above)
        found.setdefault(item.delivery_id, []).append(item)
    return found


def inbox_cursors(*, workspace: Workspace) -> dict[int, InboxCursor]:
    """Each channel's reading state (when it was last read, the last problem), by channel id."""
    return {
        cursor.channel_id: cursor
        for cursor in InboxCursor.objects.filter(channel__workspace=workspace)
    }


def items_for_listening(*, workspace_id: int, after_id: int, limit: int) -> list[InboxItem]:
    """Comments and mentions (never direct messages) stored after ``after_id``, oldest first:
    what the listening ``channel`` source reads."""
    return list(
        InboxItem.objects.filter(workspace_id=workspace_id, id__gt=after_id)
        .exclude(kind=ItemKind.DM)
        .order_by("id")[:limit]
    )
