"""How publishing reacts when a channel changes; registered on ``varde.channels.hooks`` at start-up.

Channels sits below publishing, so it cannot cancel deliveries or wake the engine itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.channels import hooks
from varde.publishing import wakeup
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_cancel

if TYPE_CHECKING:
    from varde.accounts.models import User
    from varde.channels.models import ConnectedAccount

# Drafts and scheduled deliveries wait for the channel; failed ones stay failed, for the author.
WAITING = (DeliveryState.DRAFT, DeliveryState.SCHEDULED)


def _waiting(channel: ConnectedAccount) -> list[Delivery]:
    return list(
        Delivery.objects.filter(
            channel=channel, workspace_id=channel.workspace_id, state__in=WAITING
        ).select_related("post")
    )


def cancel_waiting(channel: ConnectedAccount, actor: User | None) -> int:
    """Cancel what waited for a channel being disconnected; nothing sits in the queue for an
    account Varde can no longer reach."""
    waiting = _waiting(channel)
    for delivery in waiting:
        delivery_cancel(delivery=delivery, actor=actor)
    return len(waiting)


def count_waiting(channel: ConnectedAccount) -> int:
    return len(_waiting(channel))


def wake_engine(channel: ConnectedAccount) -> None:
    """Deliveries that waited for this channel may be due now; tell the engine after commit."""
    del channel
    wakeup.announce_after_commit()


def register() -> None:
    hooks.channel_disconnecting.register(cancel_waiting)
    hooks.channel_waiting_work.register(count_waiting)
    hooks.channel_usable_again.register(wake_engine)
