"""The preview: each network's fold ("… more"), its media grid and its link card."""

from __future__ import annotations

import pytest
from django.utils import translation

from varde.connectors import registry
from varde.connectors.text import feed_excerpt
from varde.content.rules import MediaFacts, check_channel, rules_for
from varde.content.tests.conftest import make_channel

pytestmark = pytest.mark.django_db

# One row per network Varde offers: where its feed folds the text, in characters as people see
# them (WordPress: in words), and the "more" words it shows there. None: no fold.
FOLDS: dict[str, tuple[int | None, str, str]] = {
    "facebook": (480, "graphemes", "… See more"),
    "instagram": (125, "graphemes", "… more"),
    "linkedin": (210, "graphemes", "…see more"),
    "youtube": (150, "graphemes", "… more"),
    "wordpress": (55, "words", "[…]"),
    "x": (None, "", ""),
    "bluesky": (None, "", ""),
    "mastodon": (None, "", ""),
    "threads": (None, "", ""),
    "newsletter": (None, "", ""),
    "webhook": (None, "", ""),
    "sandbox": (None, "", ""),
}
LINK_CARDS = {"x", "bluesky", "mastodon", "threads", "facebook", "linkedin"}


def image(number: int) -> MediaFacts:
    return MediaFacts("image/jpeg", 1000, f"Photo {number}", media_id=number)


def preview(channel, text="", *, link="", title="", media=()):
    with translation.override("en"):
        result = check_channel(
            rules=rules_for(channel),
            text=text,
            own_text=False,
            link=link,
            title=title,
            thread=[],
            first_comment="",
            media=list(media),
        )
    assert result.preview is not None
    return result.preview


def test_every_offered_network_has_a_row():
    assert set(FOLDS) == {*registry.BUILTIN, "sandbox"}


@pytest.mark.parametrize("key", sorted(FOLDS))
def test_each_network_folds_where_its_feed_does(workspace, key):
    fold, unit, more = FOLDS[key]
    channel = make_channel(workspace, key)
    if fold is None:
        long_text = "word " * 400
        shown = preview(channel, long_text)
        assert (shown.text, shown.more) == (long_text, "")
        return
    if unit == "words":
        words = [f"w{n}" for n in range(fold + 5)]
        shown = preview(channel, "  ".join(words))
        assert shown.text == " ".join(words[:fold])
        assert shown.more == more
        assert preview(channel, " ".join(words[:fold])).more == ""
        return
    exact = "a" * fold
    assert (preview(channel, exact).text, preview(channel, exact).more) == (exact, "")
    shown = preview(channel, exact + "b")
    assert (shown.text, shown.more) == (exact, more)


def test_the_fold_counts_what_people_see_and_does_not_split_a_word():
    flags = "🇳🇴" * 10  # ten flags: ten characters as people see them, twenty code points
    assert feed_excerpt(flags + "x", graphemes_max=10, words_max=None) == (flags, True)
    text = "Sykkelservice " * 20
    shown, cut = feed_excerpt(text, graphemes_max=125, words_max=None)
    assert cut
    assert shown.endswith("Sykkelservice")
    assert len(shown) <= 125
    # No space near the fold: cut where the network does.
    assert feed_excerpt("a" * 300, graphemes_max=125, words_max=None) == ("a" * 125, True)


def test_instagram_folds_the_caption_at_about_125(workspace):
    instagram = make_channel(workspace, "instagram")
    shown = preview(instagram, "x" * 110 + " " + "y" * 100)
    assert shown.text == "x" * 110  # back to the space before the fold
    assert shown.more == "… more"
    far = preview(instagram, "x" * 50 + " " + "y" * 100)  # no space near the fold
    assert far.text == "x" * 50 + " " + "y" * 74


def test_the_link_is_counted_in_the_text_the_network_folds(workspace):
    linkedin = make_channel(workspace, "linkedin")
    shown = preview(linkedin, "a" * 200, link="https://bryggen.example/service")
    assert shown.more  # 200 + two line breaks + the link passes LinkedIn's 210
    assert shown.card_url == "https://bryggen.example/service"
    assert shown.card_domain == "bryggen.example"


@pytest.mark.parametrize("key", sorted(FOLDS))
def test_the_first_link_becomes_a_card_where_the_network_makes_one(workspace, key):
    channel = make_channel(workspace, key)
    text = "Read https://www.bryggen.example/a and https://other.example/b"
    shown = preview(channel, text)
    if key in LINK_CARDS:
        assert (shown.card_url, shown.card_domain) == (
            "https://www.bryggen.example/a",
            "bryggen.example",
        )
    else:
        assert shown.card_url == ""


def test_no_card_when_the_post_has_images(workspace):
    shown = preview(make_channel(workspace, "x"), "https://bryggen.example/a", media=[image(1)])
    assert shown.card_url == ""
    assert [f.media_id for f in shown.files] == [1]


def test_the_grid_shows_up_to_four_and_counts_the_rest(workspace):
    bluesky = make_channel(workspace, "bluesky")  # takes 4 images
    shown = preview(bluesky, "Hi", media=[image(n) for n in range(1, 4)])
    assert shown.grid_size == 3
    assert shown.files_not_shown == 0
    facebook = make_channel(workspace, "facebook")  # takes more than four
    many = preview(facebook, "Hi", media=[image(n) for n in range(1, 8)])
    assert many.grid_size == 4
    assert many.files_not_shown == 3


def test_files_the_network_does_not_take_are_not_shown(workspace):
    youtube = make_channel(workspace, "youtube")  # videos only
    video = MediaFacts("video/mp4", 5_000_000, "", media_id=9)
    shown = preview(youtube, "Hi", title="Service week", media=[image(1), video])
    assert [(f.media_id, f.is_video) for f in shown.files] == [(9, True)]
    assert shown.title == "Service week"
    assert shown.shape == "video"


def test_instagram_shows_several_files_as_a_carousel(workspace):
    instagram = make_channel(workspace, "instagram")
    shown = preview(instagram, "Hi", media=[image(n) for n in range(1, 4)])
    assert [f.media_id for f in shown.files] == [1]
    assert shown.carousel_of == 3
    assert shown.files_not_shown == 0
    assert preview(instagram, "Hi", media=[image(1)]).carousel_of == 0
