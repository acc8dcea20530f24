"""Each channel's publishing rules as its connector declares them; a draft checked against them.

The composer shows these live while the author types: the length as the network counts it (X
counts a link as 23 and weighs some characters double, Bluesky counts graphemes), what the
network needs (Instagram and YouTube need an image or a video), and what it cannot do (a thread
on LinkedIn). The numbers come from ``varde.connectors``, never from a table of our own, so a
connector that changes its limits changes the composer with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.channels.public_address import media_address_problem
from varde.connectors import registry
from varde.connectors.capabilities import Capability
from varde.connectors.checks import limit_problems
from varde.connectors.contracts import Limits
from varde.connectors.look import DEFAULT_LOOK, NetworkLook
from varde.connectors.text import measure
from varde.content.preview import PostPreview, post_preview
from varde.content.problem_words import problem_text
from varde.content.video_rules import video_notes

if TYPE_CHECKING:
    from varde.channels.models import ConnectedAccount

# ConnectedAccount.config key where the channels app keeps a Mastodon instance's own limit
# (``configuration.statuses.max_characters`` of /api/v2/instance); the class default is 500.
INSTANCE_TEXT_MAX_KEY = "max_characters"


@dataclass(frozen=True)
class ChannelRules:
    channel_id: int
    label: str
    handle: str
    network: str  # the connector key
    network_label: str
    limits: Limits
    capabilities: Capability
    # Its mark and how its feed shows a post, for the preview.
    look: NetworkLook = DEFAULT_LOOK

    @property
    def has_threads(self) -> bool:
        return Capability.THREADS in self.capabilities

    @property
    def has_first_comment(self) -> bool:
        return Capability.FIRST_COMMENT in self.capabilities

    @property
    def takes_images(self) -> bool:
        return Capability.IMAGES in self.capabilities

    @property
    def takes_video(self) -> bool:
        return Capability.VIDEO in self.capabilities


def rules_for(channel: ConnectedAccount) -> ChannelRules:
    """The rules of one connected channel: its connector's limits, adjusted for the account."""
    try:
        connector = registry.get(channel.connector_key)
    except registry.UnknownConnectorError:
        # A channel whose connector was removed from this installation: nothing is known.
        return ChannelRules(
            channel.pk,
            channel.label,
            channel.handle,
            channel.connector_key,
            channel.connector_key,
            Limits(text_max=None),
            Capability.TEXT,
        )
    limits = connector.limits
    instance_max = (channel.config or {}).get(INSTANCE_TEXT_MAX_KEY)
    if isinstance(instance_max, int | str) and str(instance_max).isdigit():
        limits = replace(limits, text_max=int(instance_max))
    return ChannelRules(
        channel_id=channel.pk,
        label=channel.label,
        handle=channel.handle,
        network=connector.key,
        network_label=_(connector.label),
        limits=limits,
        capabilities=connector.capabilities,
        look=connector.look,
    )


@dataclass(frozen=True)
class MediaFacts:
    """What the rules need to know about one attached file."""

    mime_type: str
    size_bytes: int
    alt_text: str
    # As read from the file at upload (displayed size; a video's length); None when unknown.
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    # The stored file, for the preview's thumbnail; None for a file not saved yet.
    media_id: int | None = None

    @property
    def size(self) -> int:  # as ``connectors.checks.Media`` names it
        return self.size_bytes

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


@dataclass(frozen=True)
class Count:
    label: str
    length: int
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit

    @property
    def left(self) -> int | None:
        return None if self.limit is None else self.limit - self.length

    @property
    def excess(self) -> int:
        return 0 if self.limit is None else max(0, self.length - self.limit)


@dataclass(frozen=True)
class ChannelCheck:
    rules: ChannelRules
    text: str  # what this channel gets: its own text, or the post's
    own_text: bool  # the channel has a text of its own (a variant)
    link: str  # the link with this channel's UTM parameters, "" without a link
    counts: tuple[Count, ...]
    problems: tuple[str, ...]  # the post cannot go out on this channel like this
    notes: tuple[str, ...] = field(default=())  # worth knowing, not blocking
    preview: PostPreview | None = None  # the post as this network's feed shows it

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def main_count(self) -> Count:
        return self.counts[0]


def _text_with_link(text: str, link: str) -> str:
    # As the connectors send it (PublishRequest.full_text): the link after the text unless the
    # text already holds it.
    if link and link not in text:
        return f"{text}\n\n{link}" if text else link
    return text


def check_channel(
    *,
    rules: ChannelRules,
    text: str,
    own_text: bool,
    link: str,
    title: str,
    thread: list[str],
    first_comment: str,
    media: list[MediaFacts],
) -> ChannelCheck:
    limits = rules.limits
    full = _text_with_link(text, link)
    counts = [Count(_("Post"), measure(full, limits), limits.text_max)]
    notes: list[str] = []
    if limits.title_max is not None:
        counts.append(Count(_("Title"), len(title), limits.title_max))
    if thread:
        if rules.has_threads:
            counts += [
                Count(_("Part %(number)s") % {"number": n}, measure(part, limits), limits.text_max)
                for n, part in enumerate(thread, 2)
            ]
        else:
            notes.append(
                _("%(network)s has no threads: only the first part is posted here.")
                % {"network": rules.network_label}
            )
    if first_comment:
        if rules.has_first_comment:
            counts.append(
                Count(_("First comment"), measure(first_comment, limits), limits.text_max)
            )
        else:
            notes.append(
                _("%(network)s has no first comment: it is left out here.")
                % {"network": rules.network_label}
            )
    problems: list[str] = [
        problem_text(problem, network=rules.network_label)
        for problem in limit_problems(
            text=full,
            thread=thread if rules.has_threads else (),
            first_comment=first_comment if rules.has_first_comment else None,
            title=title,
            media=[item for item in media if _taken(rules, item)],
            limits=limits,
        )
    ]
    problems += _composer_problems(rules, media)
    notes += _media_notes(rules, media)
    return ChannelCheck(
        rules=rules,
        text=text,
        own_text=own_text,
        link=link,
        counts=tuple(counts),
        problems=tuple(problems),
        notes=tuple(notes),
        preview=post_preview(
            rules=rules,
            full_text=full,
            link=link,
            title=title,
            taken=[item for item in media if _taken(rules, item)],
        ),
    )


def _taken(rules: ChannelRules, item: MediaFacts) -> bool:
    return (item.is_image and rules.takes_images) or (item.is_video and rules.takes_video)


def _composer_problems(rules: ChannelRules, media: list[MediaFacts]) -> list[str]:
    """What only the composer asks (the engine leaves such files out, and the connector
    itself refuses a post without the media it needs): the limits are ``limit_problems``'s."""
    limits = rules.limits
    network = rules.network_label
    found: list[str] = []
    if limits.media_required and not media:
        found.append(_("%(network)s needs an image or a video.") % {"network": network})
    if media and limits.media_by_url:
        # Said here, before the post is planned, not only when the send fails.
        address_problem = media_address_problem(network=network)
        if address_problem is not None:
            found.append(address_problem)
    found += [
        _("File %(number)s: %(network)s does not take this kind of file.")
        % {"number": number, "network": network}
        for number, item in enumerate(media, 1)
        if not _taken(rules, item)
    ]
    return found


def _media_notes(rules: ChannelRules, media: list[MediaFacts]) -> list[str]:
    if not rules.takes_video:
        return []
    return [
        note
        for number, item in enumerate(media, 1)
        if item.is_video
        for note in video_notes(
            number=number,
            duration=item.duration_seconds,
            limits=rules.limits,
            network=rules.network_label,
        )
    ]
