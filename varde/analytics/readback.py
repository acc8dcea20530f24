"""Reading back what happened to published posts: metrics (analytics) and replies and
mentions (inbox), one channel at a time; then the replies of posts whose metrics count more
replies than Varde holds (a notification the network never gave).

Used by the periodic task and by ``varde channels sync``. The typed connector errors decide
what happens to a channel:

- ``AuthExpired``: one token refresh is tried (the token may only be stale); if that does
  not help, the channel goes to "needs reconnecting" and its owner is told once, exactly as
  when publishing meets a refused token.
- ``RateLimited``: nothing more is asked of that channel this round.
- any other connector error: recorded for this step, the next step still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.utils.translation import gettext as _

from varde.analytics.services import account_read_channel, metrics_read_channel
from varde.channels.notices import channel_tell_owner_needs_reconnect
from varde.channels.selectors import connector_for, usable_channels
from varde.channels.services import (
    RefreshOutcome,
    channel_mark_needs_reconnect,
    channel_refresh,
)
from varde.connectors.capabilities import Capability
from varde.connectors.errors import AuthExpired, ConnectorError, RateLimited
from varde.inbox.services import (
    inbox_catch_up_replies,
    inbox_read_channel,
    inbox_record_error,
)

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.analytics.models import DailyMetric, MetricSnapshot
    from varde.channels.models import ConnectedAccount
    from varde.connectors.base import Connector
    from varde.inbox.models import InboxItem

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class ChannelReadback:
    channel: ConnectedAccount
    snapshots: list[MetricSnapshot] = field(default_factory=list)
    accounts: list[DailyMetric] = field(default_factory=list)
    items: list[InboxItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Why the channel was not (fully) read: "auth", "rate_limited", "" when it was.
    stopped: str = ""


class _Stop(Exception):  # noqa: N818  (control flow inside this module only)
    pass


def readback_channel(
    *, channel: ConnectedAccount, now: datetime, force: bool = False
) -> ChannelReadback:
    outcome = ChannelReadback(channel=channel)
    connector = connector_for(channel)
    read_credentials = channel.credentials_encrypted
    try:
        if connector.supports(Capability.METRICS):
            outcome.snapshots = _step(
                outcome,
                lambda: metrics_read_channel(
                    channel=channel, connector=connector, now=now, force=force
                ),
            )
        if connector.supports(Capability.METRICS):
            outcome.accounts = _step(
                outcome,
                lambda: account_read_channel(
                    channel=channel, connector=connector, now=now, force=force
                ),
            )
        if connector.supports(Capability.COMMENTS) or connector.supports(Capability.MENTIONS):
            outcome.items = _step(outcome, lambda: _read_inbox(channel, connector, now))
        if outcome.snapshots and connector.supports(Capability.REPLIES_OF_POST):
            outcome.items += _step(
                outcome,
                lambda: inbox_catch_up_replies(
                    channel=channel,
                    connector=connector,
                    replies_counted={s.delivery_id: s.replies for s in outcome.snapshots},
                    now=now,
                ),
            )
    except _Stop:
        pass
    except AuthExpired as error:
        outcome.stopped = "auth"
        outcome.problems.append(_after_auth_expired(channel, error, read_credentials, now))
    return outcome


def _read_inbox(channel: ConnectedAccount, connector: Connector, now: datetime) -> list[InboxItem]:
    try:
        return inbox_read_channel(channel=channel, connector=connector, now=now)
    except ConnectorError as error:
        inbox_record_error(channel=channel, error=str(error))
        raise


def _step(outcome: ChannelReadback, read: Callable[[], list[T]]) -> list[T]:
    try:
        return read()
    except AuthExpired:
        raise
    except RateLimited as error:
        outcome.stopped = "rate_limited"
        outcome.problems.append(
            _("The network asks Varde to slow down; this channel is read again next round.")
            + f" ({error})"
        )
        raise _Stop from error
    except ConnectorError as error:
        log.warning("Reading back channel %s failed: %s", outcome.channel.pk, error)
        outcome.problems.append(str(error))
        return []


def _after_auth_expired(
    channel: ConnectedAccount, error: AuthExpired, read_credentials: str, now: datetime
) -> str:
    refreshed = channel_refresh(channel_id=channel.pk, now=now)
    if refreshed == RefreshOutcome.REFRESHED:
        return _("The network refused the token; it was refreshed and is used next round.")
    if refreshed == RefreshOutcome.TRANSIENT:
        return _("The network refused the token and renewing it failed for now; next round.")
    if refreshed != RefreshOutcome.REVOKED and channel_mark_needs_reconnect(
        channel_id=channel.pk, error=error.message, refused_credentials=read_credentials
    ):
        channel.refresh_from_db()
        channel_tell_owner_needs_reconnect(channel=channel, error=error.message)
    return _("The network refused the token: the channel needs reconnecting.")


def readback_run(
    *,
    now: datetime,
    workspace: Workspace | None = None,
    channel: ConnectedAccount | None = None,
    force: bool = False,
) -> list[ChannelReadback]:
    """Read back every connected channel (of one workspace, or one channel)."""
    channels = usable_channels()
    if workspace is not None:
        channels = channels.filter(workspace=workspace)
    if channel is not None:
        channels = channels.filter(pk=channel.pk)
    results = []
    for each in channels.order_by("pk"):
        try:
            results.append(readback_channel(channel=each, now=now, force=force))
        except Exception:  # one broken channel must not stop the others being read
            log.exception("Reading back channel %s crashed", each.pk)
            results.append(ChannelReadback(channel=each, problems=[_("Reading it failed.")]))
    return results
