"""Taking a published post down from the network, when a person asks and the network allows it.

The network call runs outside any transaction (it may take seconds); the row is changed after
it, conditionally, so two people pressing the button at once record one removal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.channels.selectors import connector_for
from varde.connectors.capabilities import Capability
from varde.connectors.errors import ConnectorError
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery

if TYPE_CHECKING:
    from varde.accounts.models import User


@dataclass(frozen=True)
class Removal:
    """What happened when Varde asked the network to take the post down."""

    delivery: Delivery
    removed: bool
    message: str  # in the user's language, for the page


def delivery_can_remove(delivery: Delivery) -> bool:
    """Whether Varde can take this published post down on its network."""
    if delivery.state != DeliveryState.PUBLISHED or not delivery.network_post_id:
        return False
    try:
        return connector_for(delivery.channel).supports(Capability.DELETE)
    except Exception:
        return False


def delivery_remove_from_network(*, delivery: Delivery, actor: User) -> Removal:
    """Ask the network to delete the published post; record the outcome either way."""
    channel = delivery.channel
    if delivery.state != DeliveryState.PUBLISHED or not delivery.network_post_id:
        return Removal(delivery, False, _("Only a published post can be removed from a network."))
    if not delivery_can_remove(delivery):
        return Removal(
            delivery,
            False,
            _("%(channel)s does not let Varde remove posts. Remove it on the network yourself.")
            % {"channel": channel.label},
        )
    try:
        connector_for(channel).delete(delivery.network_post_id)
    except ConnectorError as error:
        audit_record(
            action="delivery.remove_failed",
            workspace=delivery.workspace,
            actor=actor,
            target=delivery,
            detail={"post": delivery.post_id, "channel": channel.pk, "error": str(error)[:500]},
        )
        return Removal(
            delivery,
            False,
            _("%(channel)s did not remove it: %(error)s")
            % {"channel": channel.label, "error": error},
        )
    now = timezone.now()
    changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PUBLISHED).update(
        state=DeliveryState.REMOVED,
        reconcile_note=_("Removed from the network by %(name)s.") % {"name": actor},
        updated_at=now,
    )
    if changed:
        audit_record(
            action="delivery.removed_from_network",
            workspace=delivery.workspace,
            actor=actor,
            target=delivery,
            detail={"post": delivery.post_id, "channel": channel.pk},
        )
    delivery.refresh_from_db()
    return Removal(delivery, True, _("Removed from %(channel)s.") % {"channel": channel.label})
