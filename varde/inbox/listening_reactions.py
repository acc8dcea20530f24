"""The inbox's comments and mentions as listening items, registered on
``varde.listening.sources.hooks`` (listening sits below the inbox, so it asks and we answer);
and the inbox's answer to a "more negative mentions" alert (``varde.listening.hooks``): open
conversations with negative items are escalated to the playbook's people.

The cursor is the id of the last inbox row handed over: rows only ever get higher ids, so a
read after a restart neither loses nor repeats. Direct messages are private and never handed
over. Each row becomes a ``FoundItem`` of kind ``channel`` whose ``external_id`` is the
network's own id of the post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.inbox.selectors import items_for_listening
from varde.inbox.services.escalation import escalate_negative
from varde.listening import hooks as listening_hooks
from varde.listening.sources import hooks
from varde.listening.sources.base import Batch, FoundItem
from varde.listening.sources.channel import KIND
from varde.listening.sources.text import host_of

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def channel_items_after(workspace_id: int, cursor: str | None, limit: int) -> Batch:
    after = int(cursor) if cursor and cursor.isdigit() else 0
    rows = items_for_listening(workspace_id=workspace_id, after_id=after, limit=limit)
    items = [
        FoundItem(
            source_kind=KIND,
            external_id=row.network_id,
            url=row.url,
            author_name=row.author_name,
            author_handle=row.author_handle,
            text=row.text,
            lang=None,
            published_at=row.created_at,
            site=host_of(row.url),
            extra={"kind": row.kind, "channel": str(row.channel_id)},
        )
        for row in rows
    ]
    health = {"more": "yes"} if len(rows) == limit else {}
    return Batch(items=items, cursor=str(rows[-1].pk) if rows else None, health=health)


def escalate_on_negative_alert(workspace: Workspace, alert_id: int) -> int:
    return escalate_negative(workspace=workspace, alert_id=alert_id)


def register() -> None:
    hooks.channel_items_after.register(channel_items_after)
    listening_hooks.negative_alert_raised.register(escalate_on_negative_alert)
