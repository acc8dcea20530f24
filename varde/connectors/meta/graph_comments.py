"""The listening window of the Meta connectors' ``fetch_mentions``.

Facebook, Instagram and Threads give Varde no notifications feed, so each connector reads
the comments under the account's latest posts and keeps those newer than the cursor. The
cursor is the Unix time of the newest comment kept so far; the next call starts after it.
How the comments are read differs per network (edges, fields, who counts as "us"); the
window is the same, so it lives here once.
"""

from datetime import datetime
from typing import TypeGuard

from varde.connectors.contracts import Mention, Page


class NewComments:
    """Collects the comments newer than ``cursor`` and gives them as one page, oldest first,
    with the cursor moved to the newest one (unchanged when nothing new came)."""

    def __init__(self, cursor: str | None) -> None:
        self.cursor = cursor
        self.since = int(cursor) if cursor and cursor.isdigit() else 0
        self.newest = self.since
        self.found: list[Mention] = []

    def is_new(self, created: datetime | None) -> TypeGuard[datetime]:
        """Whether a comment written at ``created`` is after the cursor (a comment without
        a readable time is left out: it could not move the cursor)."""
        return created is not None and created.timestamp() > self.since

    def add(self, mention: Mention) -> None:
        self.newest = max(self.newest, int(mention.created_at.timestamp()))
        self.found.append(mention)

    def page(self) -> Page[Mention]:
        found = sorted(self.found, key=lambda mention: mention.created_at)
        return Page(items=tuple(found), cursor=str(self.newest) if self.newest else self.cursor)
