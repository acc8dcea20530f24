"""Telling a channel's owner that Varde lost access to it: an audit event and a notification.

Whoever finds out (a token refresh, a publish, a metrics read) calls this; the notification
goes through the one path (``varde.notifications``), in the owner's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from varde.accounts.services import audit_record
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.channels.models import ConnectedAccount

NEEDS_RECONNECT = "channel.needs_reconnect"


def channel_tell_owner_needs_reconnect(*, channel: ConnectedAccount, error: str) -> None:
    audit_record(
        action="channel.needs_reconnect",
        workspace=channel.workspace,
        target=channel,
        detail={"error": error},
    )
    values = {"channel": channel.label, "error": error}
    notify(
        users=[channel.owner],
        workspace=channel.workspace,
        kind=NEEDS_RECONNECT,
        subject=Message(_("Reconnect %(channel)s in Varde"), values),
        text=Message(
            _(
                "%(channel)s refused Varde's access: %(error)s\n\n"
                "Posts for this channel are on hold. Reconnect the account in Varde's channel "
                "settings and they will go out; posts past their late cut-off are marked missed."
            ),
            values,
        ),
        url=reverse(
            "channels:detail",
            kwargs={"workspace": channel.workspace.slug, "channel_id": channel.pk},
        ),
    )
