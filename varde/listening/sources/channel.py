"""The connected channels' own comments and mentions, as listening items.

The inbox already reads them back from every connected channel (``Connector.fetch_mentions``);
this source hands what it stored to the listening pipeline, through the reader the inbox
registers on ``hooks.channel_items_after``. Direct messages are private and never listened to.
The app passes the workspace's id at read time (``workspace_id``); nothing is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from varde.listening.sources import hooks
from varde.listening.sources.base import Batch, SourceError, required
from varde.listening.sources.registry import register

KIND = "channel"
PAGE = 1000


@register
class ChannelSource:
    kind: ClassVar[str] = KIND
    label: ClassVar[Any] = _("Comments and mentions on the connected channels")
    config_keys: ClassVar[tuple[str, ...]] = ()
    # Filled in by the app at every read, never stored or asked for.
    runtime_keys: ClassVar[frozenset[str]] = frozenset({"workspace_id"})

    def read(self, config: Mapping[str, str], cursor: str | None, *, deadline: float) -> Batch:
        workspace = required(config, "workspace_id")
        if not workspace.isdigit():
            raise SourceError("bad_config", "workspace_id is not a number")
        answers = hooks.channel_items_after.call(int(workspace), cursor, PAGE)
        if not answers:
            raise SourceError("bad_config", "no reader of the connected channels is installed")
        return answers[0]
