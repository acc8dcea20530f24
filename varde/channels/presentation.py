"""What a channel's connector can do and may send, in words for the channel page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varde.channels import hooks
from varde.channels.choices import ChannelStatus
from varde.channels.public_address import media_address_problem
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Limits, TextCounting

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount
    from varde.newsletter.selectors import ListSummary

CAPABILITY_WORDS: dict[Capability, str | Promise] = {
    Capability.TEXT: _("Text posts"),
    Capability.IMAGES: _("Images"),
    Capability.VIDEO: _("Video"),
    Capability.ALT_TEXT: _("Image descriptions (alt text)"),
    Capability.THREADS: _("Threads of several posts"),
    Capability.FIRST_COMMENT: _("A first comment under the post"),
    Capability.DELETE: _("Deleting a published post"),
    Capability.FIND_PUBLISHED: _("Checking whether a post arrived (no double posts)"),
    Capability.IDEMPOTENCY_KEY: _("Duplicate protection by the network itself"),
    Capability.METRICS: _("Likes, shares and replies per post"),
    Capability.COMMENTS: _("Reading comments"),
    Capability.MENTIONS: _("Reading mentions"),
    Capability.REPLY: _("Replying from Varde"),
    Capability.HIDE: _("Hiding comments"),
    Capability.DMS: _("Direct messages"),
}

# The newsletter network's key (varde.connectors.newsletter); its channels have subscriber lists.
NEWSLETTER_KEY = "newsletter"

COUNTING_WORDS: dict[TextCounting, str | Promise] = {
    TextCounting.GRAPHEMES: _("characters as people see them"),
    TextCounting.CODEPOINTS: _("characters"),
    TextCounting.WEIGHTED: _("X's weighting: emoji and Chinese, Japanese or Korean count double"),
    TextCounting.EMOJI_BYTES: _("characters; an emoji counts several"),
}

STATUS_WORDS: dict[str, str | Promise] = {
    ChannelStatus.CONNECTED: _("Varde can publish here."),
    ChannelStatus.NEEDS_RECONNECT: _(
        "The network no longer accepts Varde's access. Posts for this channel wait until "
        "someone reconnects it."
    ),
    ChannelStatus.PAUSED: _(
        "Paused by a person: nothing is sent. Scheduled posts wait; when the channel is "
        "resumed, those past their late cut-off are marked as missed instead of sent late."
    ),
    ChannelStatus.DISCONNECTED: _(
        "Disconnected: Varde has deleted its access. The channel is kept so its history stays."
    ),
}


@dataclass(frozen=True)
class LimitRow:
    label: str | Promise
    value: str


def limit_rows(limits: Limits) -> list[LimitRow]:
    rows = []
    if limits.text_max is None:
        rows.append(LimitRow(_("Text length"), str(_("no practical limit"))))
    else:
        rows.append(
            LimitRow(_("Text length"), f"{limits.text_max} ({COUNTING_WORDS[limits.counting]})")
        )
    if limits.link_length:
        rows.append(LimitRow(_("A link counts as"), str(limits.link_length)))
    rows.append(LimitRow(_("Images or videos per post"), str(limits.max_media)))
    if limits.media_types:
        rows.append(LimitRow(_("File types"), ", ".join(sorted(limits.media_types))))
    if limits.max_image_bytes:
        rows.append(LimitRow(_("Largest image"), _megabytes(limits.max_image_bytes)))
    if limits.max_video_bytes:
        rows.append(LimitRow(_("Largest video"), _megabytes(limits.max_video_bytes)))
    if limits.max_alt_text:
        rows.append(LimitRow(_("Image description length"), str(limits.max_alt_text)))
    if limits.media_by_url:
        rows.append(
            LimitRow(
                _("How images and videos get there"),
                str(_("the network downloads them from Varde's public address")),
            )
        )
    return rows


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


@dataclass(frozen=True)
class ChannelView:
    channel: ConnectedAccount
    network: str
    can_do: list[str | Promise]
    limits: list[LimitRow]
    status_words: str | Promise
    # The access could not be renewed: the last try failed, or the token has run out.
    renewal_trouble: bool
    known_network: bool
    # A newsletter channel's subscriber list (name and counts), when it has one.
    subscriber_list: ListSummary | None = None
    is_newsletter: bool = False
    # The network downloads media from Varde, and Varde's address cannot be reached from
    # outside: said on the channel page, before anyone plans an image post here.
    media_address_problem: str | None = None


def _number(config: dict[str, object], key: str) -> int | None:
    value = config.get(key)
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def channel_limits(channel: ConnectedAccount, limits: Limits) -> Limits:
    """The connector's limits with what the account's own server announced when it was
    connected (a Mastodon instance's ``max_characters`` and ``max_media_attachments``)."""
    config = channel.config or {}
    text_max = _number(config, "max_characters")
    max_media = _number(config, "max_media_attachments")
    if text_max:
        limits = replace(limits, text_max=text_max)
    if max_media is not None:
        limits = replace(limits, max_media=max_media)
    return limits


def channel_view(channel: ConnectedAccount, *, now: datetime) -> ChannelView:
    try:
        connector_class = registry.get(channel.connector_key)
    except registry.UnknownConnectorError:
        return ChannelView(
            channel=channel,
            network=channel.connector_key,
            can_do=[],
            limits=[],
            status_words=STATUS_WORDS.get(channel.status, ""),
            renewal_trouble=False,
            known_network=False,
        )
    capabilities = connector_class.capabilities
    expires = channel.token_expires_at
    return ChannelView(
        channel=channel,
        network=gettext(connector_class.label),
        can_do=[words for cap, words in CAPABILITY_WORDS.items() if cap in capabilities],
        limits=limit_rows(channel_limits(channel, connector_class.limits)),
        status_words=STATUS_WORDS.get(channel.status, ""),
        renewal_trouble=bool(channel.refresh_error) or (expires is not None and expires <= now),
        known_network=True,
        is_newsletter=channel.connector_key == NEWSLETTER_KEY,
        media_address_problem=media_address_problem(network=gettext(connector_class.label))
        if connector_class.limits.media_by_url
        else None,
    )


def with_subscriber_lists(views: list[ChannelView], *, workspace: Workspace) -> list[ChannelView]:
    """Add each newsletter channel's list and subscriber counts (one query for all)."""
    ids = [view.channel.pk for view in views if view.is_newsletter]
    if not ids:
        return views
    summaries: dict[int, ListSummary] = {}
    for found in hooks.subscriber_lists_of.call(workspace, ids):
        summaries.update(found)
    return [replace(view, subscriber_list=summaries.get(view.channel.pk)) for view in views]


def network_label(connector_key: str) -> str:
    try:
        return gettext(registry.get(connector_key).label)
    except registry.UnknownConnectorError:
        return connector_key
