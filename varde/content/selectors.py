"""Reading posts, their channels and campaigns. Every query starts from a workspace or a post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from varde.channels import selectors as channel_selectors
from varde.content.choices import ApprovalState
from varde.content.models import Campaign, Post, PostMedia, PostVariant
from varde.content.rules import ChannelCheck, MediaFacts, check_channel, rules_for
from varde.content.utm import link_with_utm, utm_parameters

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount


def post_text_for(*, post: Post, channel_id: int) -> str:
    """The text to send to one channel: its variant if there is one, else the post's text."""
    variant = PostVariant.objects.filter(post=post, channel_id=channel_id).first()
    return variant.text if variant is not None else post.text


def post_is_approved(post: Post) -> bool:
    return post.approval_state == ApprovalState.APPROVED


def media_get(*, workspace: Workspace, post_id: int, media_id: int) -> PostMedia:
    return PostMedia.objects.select_related("post").get(
        pk=media_id, post_id=post_id, post__workspace=workspace
    )


def composer_channels(*, workspace: Workspace) -> list[ConnectedAccount]:
    return list(channel_selectors.channels_in(workspace=workspace).order_by("label", "id"))


def channel_link(*, link: str, network: str, campaign: Campaign | None) -> str:
    """The post's link as one channel sends it, with that channel's UTM parameters."""
    if not link:
        return ""
    params = utm_parameters(
        network=network,
        campaign=campaign.utm_campaign if campaign else "",
        medium=campaign.utm_medium if campaign else "",
    )
    return link_with_utm(link, params)


def composer_checks(
    *,
    channels: list[ConnectedAccount],
    text: str,
    variants: dict[int, str],
    link: str,
    title: str,
    thread: list[str],
    first_comment: str,
    media: list[MediaFacts],
    campaign: Campaign | None,
) -> list[ChannelCheck]:
    """Each chosen channel's counts, problems, final link and text, for the live panel."""
    checks = []
    for channel in channels:
        rules = rules_for(channel)
        own = variants.get(channel.pk, "").strip()
        checks.append(
            check_channel(
                rules=rules,
                text=variants[channel.pk] if own else text,
                own_text=bool(own),
                link=channel_link(link=link, network=rules.network, campaign=campaign),
                title=title,
                thread=thread,
                first_comment=first_comment,
                media=media,
            )
        )
    return checks


def media_facts(post: Post | None) -> list[MediaFacts]:
    if post is None:
        return []
    return [
        MediaFacts(m.mime_type, m.size_bytes, m.alt_text, m.width, m.height, m.duration_seconds)
        for m in post.media.all()
    ]


@dataclass(frozen=True)
class ChannelContent:
    """Everything one channel should receive for a post, for the publishing engine."""

    text: str
    title: str
    link: str
    thread: tuple[str, ...]
    first_comment: str
    media: tuple[PostMedia, ...]


def post_content_for(
    *, post: Post, channel: ConnectedAccount, text: str | None = None
) -> ChannelContent:
    """``text``: the channel's text when the caller read it already (the engine's claim does)."""
    rules = rules_for(channel)
    return ChannelContent(
        text=post_text_for(post=post, channel_id=channel.pk) if text is None else text,
        title=post.title,
        link=channel_link(link=post.link_url, network=rules.network, campaign=post.campaign),
        thread=tuple(post.thread) if rules.has_threads else (),
        first_comment=post.first_comment if rules.has_first_comment else "",
        media=tuple(post.media.all()),
    )


# --- Campaigns ------------------------------------------------------------------------------


def campaign_list(*, workspace: Workspace) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(workspace=workspace)
        .select_related("goal")
        .prefetch_related("channels")
        .annotate(post_count=Count("posts", distinct=True))
    )


def campaign_get(*, workspace: Workspace, campaign_id: int) -> Campaign:
    return (
        Campaign.objects.filter(workspace=workspace)
        .select_related("goal")
        .prefetch_related("channels")
        .get(pk=campaign_id)
    )


def campaign_is_running(campaign: Campaign, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    started = campaign.starts_on is None or campaign.starts_on <= today
    not_ended = campaign.ends_on is None or campaign.ends_on >= today
    return started and not_ended
