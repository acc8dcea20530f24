"""A post as one network's feed shows it, for the composer's preview: the text up to where that
network folds it ("… more"), the files it shows, and the card it makes of the first link.

The network's look (shape, fold, link cards) is its connector's ``look``
(``connectors/look.py``); this module only applies it to a draft. Nothing here is marked safe:
the template escapes every string, which is all text people or networks wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from varde.connectors.text import feed_excerpt, find_urls

if TYPE_CHECKING:
    from varde.connectors.look import PreviewShape
    from varde.content.rules import ChannelRules, MediaFacts

# A feed's grid shows at most four tiles; the fourth says how many more there are.
GRID_TILES = 4


@dataclass(frozen=True)
class PreviewFile:
    media_id: int | None
    is_video: bool
    alt_text: str


@dataclass(frozen=True)
class PostPreview:
    shape: PreviewShape
    media_first: bool
    title: str  # a blog post's, video's or e-mail's title (subject)
    text: str  # what shows before the fold
    more: str  # the network's "more" words when it folds the text here, else ""
    files: tuple[PreviewFile, ...]  # the tiles of the grid, at most four
    files_not_shown: int  # files the network takes beyond the grid's tiles ("+2")
    carousel_of: int  # a carousel's number of files (shown one at a time), 0 for a grid
    card_url: str  # the link the network makes a card of, "" for none
    card_domain: str

    @property
    def grid_size(self) -> int:
        return len(self.files)


def first_link(text: str, link: str) -> str:
    """The post's link field wins; otherwise the first address in the text."""
    if link:
        return link
    found = find_urls(text)
    return found[0][2] if found else ""


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def post_preview(
    *, rules: ChannelRules, full_text: str, link: str, title: str, taken: list[MediaFacts]
) -> PostPreview:
    """``full_text``: the text as the network receives it (with the link added); ``taken``: the
    files this network takes, in order."""
    look = rules.look
    cut = look.feed_cut
    shown, was_cut = feed_excerpt(
        full_text,
        graphemes_max=cut.graphemes if cut else None,
        words_max=cut.words if cut else None,
    )
    posted = taken[: rules.limits.max_media] if rules.limits.max_media else []
    tiles = 1 if look.carousel else GRID_TILES
    files = tuple(PreviewFile(m.media_id, m.is_video, m.alt_text) for m in posted[:tiles])
    card = first_link(full_text, link) if look.link_card and not posted else ""
    return PostPreview(
        shape=look.shape,
        media_first=look.media_first,
        title=title,
        text=shown,
        more=str(cut.more) if cut and was_cut else "",
        files=files,
        files_not_shown=0 if look.carousel else max(0, len(posted) - GRID_TILES),
        carousel_of=len(posted) if look.carousel and len(posted) > 1 else 0,
        card_url=card,
        card_domain=_domain(card) if card else "",
    )
