"""Reading posts, their channels and campaigns. Every query starts from a workspace or a post."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from varde.channels import selectors as channel_selectors
from varde.content import hooks
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
        MediaFacts(
            m.mime_type,
            m.size_bytes,
            m.alt_text,
            m.width,
            m.height,
            m.duration_seconds,
            media_id=m.pk,
        )
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
    link = channel_link(link=post.link_url, network=rules.network, campaign=post.campaign)
    body = post_text_for(post=post, channel_id=channel.pk) if text is None else text
    return ChannelContent(
        text=_shorten_text_links(post=post, channel=channel, network=rules.network, text=body),
        title=post.title,
        link=_shortened(post=post, channel=channel, url=link),
        thread=tuple(post.thread) if rules.has_threads else (),
        first_comment=post.first_comment if rules.has_first_comment else "",
        media=tuple(post.media.all()),
    )


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def _shortened(*, post: Post, channel: ConnectedAccount, url: str) -> str:
    """The link as sent: a higher app's short link when one is registered (analytics)."""
    if not url:
        return url
    answers = hooks.link_shortener.call(
        hooks.LinkToShorten(
            url=url,
            workspace_id=post.workspace_id,
            post_id=post.pk,
            channel_id=channel.pk,
            campaign_id=post.campaign_id,
        )
    )
    return next((answer for answer in reversed(answers) if answer), url)


def _shorten_text_links(*, post: Post, channel: ConnectedAccount, network: str, text: str) -> str:
    """Links written in the text, with UTM parameters and shortened, where the short form is
    no longer than the link as written (the text was checked against the channel's limits)."""

    def replace(match: re.Match[str]) -> str:
        written = match.group(0)
        short = _shortened(
            post=post,
            channel=channel,
            url=channel_link(link=written, network=network, campaign=post.campaign),
        )
        return short if short != written and len(short) <= len(written) else written

    if not hooks.link_shortener.has_receivers():
        return text
    return _URL_IN_TEXT.sub(replace, text)


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


# --- For other apps: workspace-scoped querysets they may filter further -------------------------


def posts_in(*, workspace: Workspace) -> QuerySet[Post]:
    """The workspace's posts, for other apps to narrow down (by state, by id, by their own
    relations such as deliveries); every other app's post query starts here."""
    return Post.objects.filter(workspace=workspace)


def posts_in_workspace_id(*, workspace_id: int) -> QuerySet[Post]:
    """The same, for background work that holds only the workspace's id."""
    return Post.objects.filter(workspace_id=workspace_id)


def posts_of_campaign(*, campaign: Campaign) -> QuerySet[Post]:
    return Post.objects.filter(campaign=campaign, workspace_id=campaign.workspace_id)


def no_posts() -> QuerySet[Post]:
    """An empty queryset of posts (a form field's starting point before it knows the workspace)."""
    return Post.objects.none()


def variants_of_posts(posts: QuerySet[Post]) -> QuerySet[PostVariant]:
    return PostVariant.objects.filter(post__in=posts)


def media_in(*, workspace: Workspace) -> QuerySet[PostMedia]:
    return PostMedia.objects.filter(post__workspace=workspace)


def media_among_posts(*, media_id: int, post_ids: list[int]) -> PostMedia | None:
    """One attached file, only when it belongs to one of these posts (a client link's)."""
    return PostMedia.objects.filter(pk=media_id, post_id__in=post_ids).first()


def campaigns_of(*, workspace: Workspace) -> QuerySet[Campaign]:
    return Campaign.objects.filter(workspace=workspace).order_by("name", "id")


# --- For the publishing engine's claim (fast path: change only with bench/publish.py) ----------


def variant_text_subquery(*, post: OuterRef, channel: OuterRef) -> Subquery:
    """The text of the post's variant for a channel, NULL when it has none, as a subquery the
    claim reads in the same statement as the delivery."""
    return Subquery(PostVariant.objects.filter(post=post, channel=channel).values("text")[:1])


def media_exists_subquery(*, post: OuterRef) -> Exists:
    return Exists(PostMedia.objects.filter(post=post))


def post_media_known_empty(post: Post) -> None:
    """Tell the post it has no media without asking the database: ``post.media.all()`` is then
    an empty list, with no query. What ``prefetch_related_objects`` leaves when there is nothing
    to fetch, without its cost (more than the whole policy guard's)."""
    none: Any = PostMedia.objects.none()
    none._result_cache, none._prefetch_done = [], True
    post._prefetched_objects_cache = {  # type: ignore[attr-defined]
        **getattr(post, "_prefetched_objects_cache", {}),
        PostMedia.post.field.remote_field.cache_name: none,
    }
