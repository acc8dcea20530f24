"""What to tell a person who just approved a post: exactly what is now scheduled, and nothing more.

An approved post goes out only on the channels where it has a planned time; one without a time
or without a channel is approved but scheduled nowhere, and the message says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.content.models import Post


def approved_message(post: Post) -> str:
    deliveries = [
        d
        for d in publishing_selectors.deliveries_of_post(post=post)
        if d.state in (DeliveryState.DRAFT, DeliveryState.SCHEDULED)
    ]
    scheduled = [d for d in deliveries if d.state == DeliveryState.SCHEDULED]
    if not deliveries:
        return _("Approved. It is on no channel yet, so nothing is scheduled: choose a channel.")
    if not scheduled:
        return _(
            "Approved, but not scheduled: it has no time yet. "
            "Give it a time (or move it in the calendar) and it goes out then."
        )
    waiting = len(deliveries) - len(scheduled)
    text = ngettext(
        "Approved and scheduled on %(count)d channel.",
        "Approved and scheduled on %(count)d channels.",
        len(scheduled),
    ) % {"count": len(scheduled)}
    if waiting:
        text += " " + ngettext(
            "%(count)d channel has no time yet and is not scheduled.",
            "%(count)d channels have no time yet and are not scheduled.",
            waiting,
        ) % {"count": waiting}
    return text
