"""What higher apps do when a channel changes (see ``varde.lib.hooks`` for why hooks).

Channels sits below publishing and the working apps, so it announces; they react. Receivers
register in their ``AppConfig.ready``:

- publishing cancels the deliveries still waiting for a channel that is disconnected, counts them
  for the confirmation page, and wakes the engine when a channel is usable again;
- the newsletter adds its subscriber lists to the channel pages;
- the sandbox creates its channels from the connect page.

(Telling the owner that a channel must be reconnected needs no hook: notifications sit below
channels, so ``channels.notices`` calls them directly.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.lib.hooks import Hook

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.newsletter.selectors import ListSummary

# Called inside the disconnect's transaction; each receiver returns how many waiting posts it
# cancelled for the channel.
channel_disconnecting: Hook[[ConnectedAccount, User | None], int] = Hook("channel_disconnecting")

# How many posts wait to go out on the channel (drafts and scheduled ones): what disconnecting
# it would cancel.
channel_waiting_work: Hook[[ConnectedAccount], int] = Hook("channel_waiting_work")

# The channel can be used again (resumed or reconnected); called before the commit, so a
# receiver that wakes a worker does so with ``transaction.on_commit``.
channel_usable_again: Hook[[ConnectedAccount], None] = Hook("channel_usable_again")

# Creates a channel of a network that lives inside Varde and needs no sign-in (the sandbox).
# The sandbox app holds that network's data and registers the creator; the connect page calls it.
in_house_channel_create: Hook[[Workspace, str, User], ConnectedAccount] = Hook(
    "in_house_channel_create"
)

# The subscriber list of each newsletter channel among these ids, for the channel pages; the
# newsletter app holds the lists and registers the reader.
subscriber_lists_of: Hook[[Workspace, list[int]], dict[int, ListSummary]] = Hook(
    "subscriber_lists_of"
)
