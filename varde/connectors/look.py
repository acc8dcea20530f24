"""How a network looks to the people who use it: its mark, a one-line description, and how its
feed shows a post (where it cuts the text and offers "… more", whether a link becomes a card).

Declared by each connector as ``look: ClassVar[NetworkLook]``, next to its limits, so a new
network brings its own preview with it and the composer keeps no table of networks.

The cut points are not published by the networks (none documents where its feed folds a post);
the numbers are the folds commonly measured on the desktop feed, with their source next to
each, and they are shown as an approximation ("about here"), never as a rule the post must meet.
WordPress's is exact: its excerpt is the first 55 words (``wp_trim_excerpt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PreviewShape(StrEnum):
    """What a published post looks like on the network, for the composer's preview."""

    POST = "post"  # a post in a feed: name, handle, text, media, link card
    ARTICLE = "article"  # a blog post: title, excerpt
    VIDEO = "video"  # a video page: the video, title, description
    EMAIL = "email"  # an e-mail: sender, subject, body
    MESSAGE = "message"  # a message to another system: the text as sent


@dataclass(frozen=True)
class FeedCut:
    """Where the feed stops showing a post's text: after ``graphemes`` characters as people see
    them, or after ``words`` words, followed by the network's own ``more`` words."""

    more: str | Promise
    graphemes: int | None = None
    words: int | None = None


@dataclass(frozen=True)
class NetworkLook:
    """``mark``: the network's slug in the simple-icons package (vendored under
    ``channels/static/channels/marks/`` by ``tools/vendor_network_marks.py``), None where the
    package has no mark for it (LinkedIn asked to be removed; the newsletter, the webhook and
    the sandbox are not brands): those show their initial instead, never a hand-drawn logo.
    ``link_card``: the network turns the first link of a post without media into a card."""

    description: str | Promise = ""
    mark: str | None = None
    shape: PreviewShape = PreviewShape.POST
    feed_cut: FeedCut | None = None
    link_card: bool = False
    # The files come before the text (Instagram's photo, then its caption).
    media_first: bool = False
    # Several files are a carousel, one at a time ("1/3"), not a grid.
    carousel: bool = False


# The network's own words for its "more" link, as it shows them in the reader's language.
MORE = _("… more")
SEE_MORE = _("… See more")

DEFAULT_LOOK = NetworkLook()
