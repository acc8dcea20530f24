"""Analytics' part of building what a channel is sent, registered on ``varde.content.hooks``:
every link goes out as Varde's own short link, so its clicks are counted by Varde."""

from __future__ import annotations

from django.conf import settings

from varde.analytics.links import short_link_for, short_url
from varde.content import hooks


def shorten(link: hooks.LinkToShorten) -> str:
    if not settings.SHORT_LINKS:
        return ""
    made = short_link_for(
        workspace_id=link.workspace_id,
        target_url=link.url,
        post_id=link.post_id,
        channel_id=link.channel_id,
        campaign_id=link.campaign_id,
    )
    return short_url(made)


def register() -> None:
    hooks.link_shortener.register(shorten)
