"""Where higher apps take part in content (see ``varde.lib.hooks`` for why hooks).

Content sits below analytics in the layers, so when content builds the link a channel sends,
it asks and analytics answers: analytics registers a shortener in its ``AppConfig.ready`` that
returns Varde's own short link for the URL (or the URL unchanged).
"""

from __future__ import annotations

from dataclasses import dataclass

from varde.lib.hooks import Hook


@dataclass(frozen=True)
class LinkToShorten:
    """One link of one post as one channel sends it (UTM parameters already added)."""

    url: str
    workspace_id: int
    post_id: int
    channel_id: int
    campaign_id: int | None


# The address to send instead of ``url``; the last receiver's answer is used.
link_shortener: Hook[[LinkToShorten], str] = Hook("link_shortener")
