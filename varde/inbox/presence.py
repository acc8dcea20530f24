"""Presence: who else has a conversation open, and who is writing in it ("Kari is viewing",
"Kari is writing").

The conversation page pings ``inbox:presence`` every 15 seconds with "viewing" or "writing";
each ping is one cache key per person and conversation with a short life (``TTL``), so a
closed tab drops out by itself within a minute, and two people never write the same key. Read
back with one ``get_many`` over the workspace's members: no database row, no query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

TTL = 40  # seconds: two pings missed and the person is gone
STATES = ("viewing", "writing")


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    state: str

    @property
    def words(self) -> str:
        if self.state == "writing":
            return _("%(name)s is writing") % {"name": self.name}
        return _("%(name)s is viewing") % {"name": self.name}


def _key(conversation_id: int, user_id: int) -> str:
    return f"inbox-presence:{conversation_id}:{user_id}"


def presence_ping(*, conversation_id: int, user_id: int, name: str, state: str) -> None:
    """This person has the conversation open (``viewing``) or types a reply (``writing``)."""
    if state not in STATES:
        state = "viewing"
    cache.set(_key(conversation_id, user_id), {"name": name[:100], "state": state}, TTL)


def presence_leave(*, conversation_id: int, user_id: int) -> None:
    cache.delete(_key(conversation_id, user_id))


def presence_of(
    *, conversation_id: int, member_ids: Iterable[int], except_user_id: int
) -> list[Present]:
    """The other members present on the conversation now, writers first."""
    keys = {_key(conversation_id, pk): pk for pk in member_ids if pk != except_user_id}
    found = cache.get_many(list(keys))
    present = [
        Present(user_id=keys[key], name=str(value["name"]), state=str(value["state"]))
        for key, value in found.items()
    ]
    return sorted(present, key=lambda p: (p.state != "writing", p.name, p.user_id))
