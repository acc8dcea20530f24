"""Reading posts, their channels and campaigns. Every query starts from a workspace or a post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from varde.accounts.models import Workspace
from varde.channels.models import ConnectedAccount
from varde.content.models import ApprovalState, Campaign, Post, PostMedia, PostVariant
from varde.content.rules import ChannelCheck, MediaFacts, check_channel, rules_for
from varde.content.utm import link_with_utm, utm_parameters
from varde.publishing.models import Delivery, DeliveryState


def post_text_for(*, post: Post, channel_id: int) -> str:
    """The text to send to one channel: its variant if there is one, else the post's text."""
    variant = PostVariant.objects.filter(post=post, channel_id=channel_id).first()
    return variant.text if variant is not None else post.text


def post_is_approved(post: Post) -> bool:
    return post.approval_state == ApprovalState.APPROVED


def post_get(*, workspace: Workspace, post_id: int) -> Post:
    """One post of the workspace with what the composer shows; DoesNotExist otherwise."""
    return (
        Post.objects.filter(workspace=workspace)
        .select_related("author", "campaign")
        .prefetch_related(
            "variants",
            "media",
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("channel").order_by("channel__label"),
            ),
        )
        .get(pk=post_id)
    )


def media_get(*, workspace: Workspace, post_id: int, media_id: int) -> PostMedia:
    return PostMedia.objects.select_related("post").get(
        pk=media_id, post_id=post_id, post__workspace=workspace
    )


def composer_channels(*, workspace: Workspace) -> list[ConnectedAccount]:
    return list(ConnectedAccount.objects.in_workspace(workspace).order_by("label", "id"))


def post_open_deliveries(post: Post) -> list[Delivery]:
    """The post's deliveries that are not cancelled (uses the prefetch of ``post_get``)."""
    return [d for d in post.deliveries.all() if d.state != DeliveryState.CANCELLED]


def post_planned_at(post: Post) -> dt.datetime | None:
    """The planned time of the post: the earliest planned time of its deliveries."""
    times = [
        d.published_at or d.scheduled_at
        for d in post_open_deliveries(post)
        if (d.published_at or d.scheduled_at) is not None
    ]
    return min(t for t in times if t is not None) if times else None


def planned_times_by_channel(
    *, workspace: Workspace, channels: list[ConnectedAccount], exclude_post: Post | None = None
) -> dict[int, list[dt.datetime]]:
    """When each channel already has a post planned or out (for finding a free slot)."""
    taken: dict[int, list[dt.datetime]] = {c.pk: [] for c in channels}
    rows = (
        Delivery.objects.in_workspace(workspace)
        .filter(channel__in=channels, scheduled_at__isnull=False)
        .exclude(state=DeliveryState.CANCELLED)
    )
    if exclude_post is not None:
        rows = rows.exclude(post=exclude_post)
    for channel_id, at in rows.values_list("channel_id", "scheduled_at"):
        if at is not None:
            taken[channel_id].append(at)
    return taken


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


@dataclass(frozen=True)
class TimelineEntry:
    """One post on one channel in a campaign's timeline, or a post not on any channel yet."""

    post: Post
    delivery: Delivery | None
    when: dt.datetime | None  # published, else planned; None when not planned yet

    @property
    def status(self) -> str:
        return (
            self.delivery.get_state_display()
            if self.delivery
            else str(self.post.get_approval_state_display())
        )


def campaign_timeline(*, campaign: Campaign) -> list[TimelineEntry]:
    """Every post of the campaign on every channel (social, blog, newsletter) in time order.

    Posts with a time come first, oldest first; posts not planned yet come last.
    """
    deliveries = (
        Delivery.objects.filter(post__campaign=campaign, workspace_id=campaign.workspace_id)
        .exclude(state=DeliveryState.CANCELLED)
        .select_related("post", "post__author", "channel")
    )
    entries = [
        TimelineEntry(post=d.post, delivery=d, when=d.published_at or d.scheduled_at)
        for d in deliveries
    ]
    planned_posts = {d.post_id for d in deliveries}
    unplaced = (
        Post.objects.filter(campaign=campaign, workspace_id=campaign.workspace_id)
        .exclude(pk__in=planned_posts)
        .select_related("author")
    )
    entries += [TimelineEntry(post=p, delivery=None, when=None) for p in unplaced]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        entries, key=lambda e: (e.when or far, e.post.pk, e.delivery.pk if e.delivery else 0)
    )


def campaign_channel_summary(*, campaign: Campaign) -> list[dict[str, object]]:
    """Per channel of the campaign: how many posts are out, planned, and still drafts."""
    rows = (
        Delivery.objects.filter(post__campaign=campaign, workspace_id=campaign.workspace_id)
        .values("channel_id", "channel__label", "channel__connector_key")
        .annotate(
            published=Count("id", filter=Q(state=DeliveryState.PUBLISHED)),
            scheduled=Count("id", filter=Q(state=DeliveryState.SCHEDULED)),
            drafts=Count("id", filter=Q(state=DeliveryState.DRAFT)),
            failed=Count("id", filter=Q(state__in=[DeliveryState.FAILED, DeliveryState.UNKNOWN])),
        )
        .order_by("channel__label")
    )
    return list(rows)


def campaign_is_running(campaign: Campaign, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    started = campaign.starts_on is None or campaign.starts_on <= today
    not_ended = campaign.ends_on is None or campaign.ends_on >= today
    return started and not_ended
