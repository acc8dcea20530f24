"""Reading comments, replies and mentions from a channel since its cursor.

Idempotent: an item already stored for the channel is skipped (and the unique constraint
holds when two readers race), so reading the same page twice stores nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from varde.channels.models import ConnectedAccount
from varde.connectors.base import Connector
from varde.connectors.contracts import Mention, Page
from varde.inbox.models import InboxCursor, InboxItem
from varde.publishing.models import Delivery


def inbox_cursor_of(channel: ConnectedAccount) -> str | None:
    row = InboxCursor.objects.filter(channel=channel).first()
    return row.cursor or None if row else None


@transaction.atomic
def inbox_store_page(
    *, channel: ConnectedAccount, page: Page[Mention], now: datetime
) -> list[InboxItem]:
    """Keep the page's new items and move the channel's cursor; returns what was new."""
    ids = [mention.id for mention in page.items]
    known = set(
        InboxItem.objects.filter(channel=channel, network_id__in=ids).values_list(
            "network_id", flat=True
        )
    )
    answered = {m.in_reply_to for m in page.items if m.in_reply_to}
    ours = {
        delivery.network_post_id: delivery
        for delivery in Delivery.objects.filter(
            workspace_id=channel.workspace_id, channel=channel, network_post_id__in=answered
        )
    }
    new: list[InboxItem] = []
    for mention in page.items:
        if mention.id in known:
            continue
        known.add(mention.id)
        new.append(
            InboxItem(
                workspace_id=channel.workspace_id,
                channel=channel,
                network_id=mention.id[:500],
                kind=str(mention.kind),
                author_handle=mention.author_handle[:300],
                author_name=mention.author_name[:300],
                text=mention.text,
                url=mention.url[:1000],
                created_at=mention.created_at,
                in_reply_to=(mention.in_reply_to or "")[:500],
                delivery=ours.get(mention.in_reply_to or ""),
                received_at=now,
            )
        )
    InboxItem.objects.bulk_create(new, ignore_conflicts=True)
    InboxCursor.objects.update_or_create(
        channel=channel,
        defaults={"cursor": page.cursor or "", "read_at": now, "last_error": ""},
    )
    return new


def inbox_read_channel(
    *, channel: ConnectedAccount, connector: Connector, now: datetime | None = None
) -> list[InboxItem]:
    """Ask the network for what is new since the cursor and keep it. Connector errors pass
    through to the caller."""
    page = connector.fetch_mentions(cursor=inbox_cursor_of(channel))
    return inbox_store_page(channel=channel, page=page, now=now or timezone.now())


def inbox_record_error(*, channel: ConnectedAccount, error: str) -> None:
    InboxCursor.objects.update_or_create(channel=channel, defaults={"last_error": error[:1000]})
