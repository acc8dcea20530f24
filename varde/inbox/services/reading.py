"""Reading comments, replies and mentions from a channel since its cursor, and catching up
on replies the network counts but its notification feed did not give.

Idempotent: an item already stored for the channel is skipped (and the unique constraint
holds when two readers race), so reading the same page twice stores nothing twice. What is
new is judged (language, class, sentiment), joins its conversation (a reply from the person
re-opens it) and then meets the workspace's moderation rules, whose network calls (hiding)
run after the storing transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from varde.channels import selectors as channel_selectors
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Mention, MentionKind, Page
from varde.connectors.errors import ConnectorError
from varde.inbox.models import InboxCursor, InboxItem
from varde.inbox.services.conversations import conversations_attach
from varde.inbox.services.moderation import moderation_apply_rules
from varde.inbox.triage import judge
from varde.publishing import selectors as publishing_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount
    from varde.connectors.base import Connector

# At most this many posts per channel and round have their replies read one by one.
REPLY_CATCH_UP_MAX = 10


def inbox_cursor_of(channel: ConnectedAccount) -> str | None:
    row = InboxCursor.objects.filter(channel=channel).first()
    return row.cursor or None if row else None


@transaction.atomic
def inbox_store_page(
    *, channel: ConnectedAccount, page: Page[Mention], now: datetime
) -> list[InboxItem]:
    """Keep the page's new items and move the channel's cursor; returns what was new."""
    new = _store_new(channel=channel, mentions=page.items, now=now)
    InboxCursor.objects.update_or_create(
        channel=channel,
        defaults={"cursor": page.cursor or "", "read_at": now, "last_error": ""},
    )
    return new


def _store_new(
    *, channel: ConnectedAccount, mentions: tuple[Mention, ...], now: datetime
) -> list[InboxItem]:
    ids = [mention.id for mention in mentions]
    known = set(
        InboxItem.objects.filter(channel=channel, network_id__in=ids).values_list(
            "network_id", flat=True
        )
    )
    answered = {m.in_reply_to for m in mentions if m.in_reply_to}
    ours = {
        delivery.network_post_id: delivery
        for delivery in publishing_selectors.deliveries_on_channel(channel=channel).filter(
            network_post_id__in=answered
        )
    }
    fresh = [m for m in mentions if m.id not in known]
    judged = judge([m.text for m in fresh], language=_workspace_language(channel))
    new: list[InboxItem] = []
    for mention, verdict in zip(fresh, judged, strict=True):
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
                language=verdict.language,
                triage_class=verdict.triage_class,
                triage_reason=verdict.reason,
                sentiment=verdict.sentiment,
            )
        )
    InboxItem.objects.bulk_create(new, ignore_conflicts=True)
    # Read back with their ids (a bulk insert that ignores conflicts does not return them);
    # a row another reader stored first already has its conversation.
    stored = list(
        InboxItem.objects.filter(
            channel=channel,
            network_id__in=[item.network_id for item in new],
            conversation__isnull=True,
        ).order_by("created_at", "id")
    )
    conversations_attach(items=stored, now=now)
    return stored


def _workspace_language(channel: ConnectedAccount) -> str:
    """The language the triage reasons are written in: the workspace's."""
    return str(channel.workspace.language) if channel.workspace_id else ""


def inbox_read_channel(
    *, channel: ConnectedAccount, connector: Connector, now: datetime | None = None
) -> list[InboxItem]:
    """Ask the network for what is new since the cursor and keep it. Connector errors pass
    through to the caller."""
    page = connector.fetch_mentions(cursor=inbox_cursor_of(channel))
    new = inbox_store_page(channel=channel, page=page, now=now or timezone.now())
    moderation_apply_rules(items=new, connector=connector)
    return new


def inbox_catch_up_replies(
    *,
    channel: ConnectedAccount,
    connector: Connector,
    replies_counted: dict[int, int],
    now: datetime,
) -> list[InboxItem]:
    """Read the replies of posts whose newest reading counts more replies than Varde holds.

    A notification feed can miss a reply: Bluesky's AppView, for one, notifies only when it
    indexed the parent before the reply. The count in the metrics is the network's own, so a
    gap shows here. The account's own replies (thread parts) are in the count but never held,
    so a thread's post is read again at each metrics reading: bounded by that cadence and by
    ``REPLY_CATCH_UP_MAX``. ``replies_counted`` is the network's reply count by delivery id, from
    the newest metrics reading. Connector errors pass through to the caller."""
    counted = replies_counted
    held = dict(
        InboxItem.objects.filter(
            channel=channel, delivery_id__in=list(counted), kind=MentionKind.COMMENT
        )
        .values("delivery_id")
        .annotate(n=Count("id"))
        .values_list("delivery_id", "n")
    )
    short = [pk for pk, replies in counted.items() if replies > held.get(pk, 0)]
    deliveries = (
        publishing_selectors.deliveries_on_channel(channel=channel)
        .filter(pk__in=short)
        .order_by("-published_at")[:REPLY_CATCH_UP_MAX]
    )
    new: list[InboxItem] = []
    for delivery in deliveries:
        replies = connector.fetch_replies(delivery.network_post_id)
        with transaction.atomic():
            stored = _store_new(channel=channel, mentions=replies, now=now)
        moderation_apply_rules(items=stored, connector=connector)
        new += stored
    return new


def inbox_record_error(*, channel: ConnectedAccount, error: str) -> None:
    InboxCursor.objects.update_or_create(channel=channel, defaults={"last_error": error[:1000]})


def inbox_read_workspace(*, workspace: Workspace, now: datetime | None = None) -> int:
    """Read every usable channel of the workspace that offers replies or mentions, now (the
    inbox's "Check now" button). Errors are noted per channel; returns how many items were new."""
    now = now or timezone.now()
    new = 0
    for channel in channel_selectors.channels_in(workspace=workspace).usable().order_by("pk"):
        try:
            connector = channel_selectors.connector_for(channel)
        except registry.UnknownConnectorError:
            continue
        if not (connector.supports(Capability.COMMENTS) or connector.supports(Capability.MENTIONS)):
            continue
        try:
            new += len(inbox_read_channel(channel=channel, connector=connector, now=now))
        except ConnectorError as error:
            inbox_record_error(channel=channel, error=str(error))
    return new
