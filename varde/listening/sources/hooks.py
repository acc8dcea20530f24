"""Readers a higher app registers for the sources that read Varde's own data.

The sources package knows no app (it imports only ``varde.lib`` and ``varde.connectors``), and
listening sits below the inbox in the layers. So the ``channel`` source, which turns the
comments and mentions the inbox read back from the connected channels into listening items,
asks a hook; the inbox registers the reader in its ``AppConfig.ready``
(``varde/inbox/listening_reactions.py``). See ``varde.lib.hooks`` for why hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.lib.hooks import Hook

if TYPE_CHECKING:
    from varde.listening.sources.base import Batch

# (workspace id, cursor or None, at most this many items) → a Batch of the comments and
# mentions (never direct messages) stored after the cursor, oldest first, with the cursor
# after them. The cursor is the reader's own (the inbox uses its row ids).
channel_items_after: Hook[[int, str | None, int], Batch] = Hook("channel_items_after")
