"""The inbox, as far as it is built: what was read from each channel, newest first."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm
from varde.channels.selectors import channels_listed
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.inbox import selectors

PER_CHANNEL = 50


@workspace_view(Perm.INBOX_VIEW)
def inbox_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    cursors = selectors.inbox_cursors(workspace=workspace)
    sections = [
        {
            "channel": channel,
            "cursor": cursors.get(channel.pk),
            "readable": _readable(channel.connector_key),
            "items": list(
                selectors.inbox_items(workspace=workspace, channel=channel)[:PER_CHANNEL]
            ),
        }
        for channel in channels_listed(workspace=workspace)
    ]
    context = {"sections": sections, "per_channel": PER_CHANNEL, "nav_active": "inbox"}
    return render(request, "inbox/list.html", context)


def _readable(connector_key: str) -> bool:
    """Whether Varde can read replies or mentions from this network at all."""
    try:
        capabilities = registry.get(connector_key).capabilities
    except registry.UnknownConnectorError:  # a network no longer installed
        return False
    return bool(capabilities & (Capability.COMMENTS | Capability.MENTIONS))
