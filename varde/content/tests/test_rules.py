"""The live counter: each network's rule, as its connector declares it."""

from __future__ import annotations

import pytest

from varde.content.rules import MediaFacts, check_channel, rules_for
from varde.content.tests.conftest import make_channel

pytestmark = pytest.mark.django_db

IMAGE = MediaFacts("image/jpeg", 200_000, "A red bike")
VIDEO = MediaFacts("video/mp4", 5_000_000, "")


def check(channel, text="", *, link="", title="", thread=(), first_comment="", media=()):
    return check_channel(
        rules=rules_for(channel),
        text=text,
        own_text=False,
        link=link,
        title=title,
        thread=list(thread),
        first_comment=first_comment,
        media=list(media),
    )


def test_x_counts_280_with_every_link_as_23(workspace):
    channel = make_channel(workspace, "x")
    link = "https://example.com/" + "a" * 80
    result = check(channel, "x" * 257 + " " + link)  # 257 + 1 + 23 = 281
    assert result.main_count.length == 281
    assert result.main_count.limit == 280
    assert not result.ok
    assert "281" in result.problems[0]
    assert "280" in result.problems[0]
    assert check(channel, "x" * 256 + " " + link).ok


def test_x_weighs_emoji_and_cjk_double(workspace):
    channel = make_channel(workspace, "x")
    assert check(channel, "🚲").main_count.length == 2
    assert check(channel, "日本").main_count.length == 4


def test_bluesky_counts_300_graphemes(workspace):
    channel = make_channel(workspace, "bluesky")
    family = "👨‍👩‍👧"  # one grapheme, five code points
    result = check(channel, family * 300)
    assert result.main_count.length == 300
    assert result.ok
    assert not check(channel, family * 301).ok


def test_mastodon_default_500_and_the_instance_limit(workspace):
    default = make_channel(workspace, "mastodon")
    assert check(default, "a").main_count.limit == 500
    roomy = make_channel(workspace, "mastodon", "Big instance", config={"max_characters": 5000})
    assert check(roomy, "a" * 1000).ok
    assert check(roomy, "a").main_count.limit == 5000


def test_mastodon_counts_links_as_23(workspace):
    channel = make_channel(workspace, "mastodon")
    assert check(channel, "https://example.com/" + "b" * 200).main_count.length == 23


def test_linkedin_3000(workspace):
    channel = make_channel(workspace, "linkedin")
    assert check(channel, "a" * 3000).ok
    assert not check(channel, "a" * 3001).ok


def test_instagram_2200_and_needs_an_image_or_video(workspace, settings):
    settings.BASE_URL = "https://varde.example.no"  # Instagram downloads the image from here
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no"]
    channel = make_channel(workspace, "instagram")
    text_only = check(channel, "Hello")
    assert not text_only.ok
    assert any("image or a video" in p for p in text_only.problems)
    assert check(channel, "a" * 2200, media=[IMAGE]).ok
    assert not check(channel, "a" * 2201, media=[IMAGE]).ok


@pytest.mark.parametrize("network", ["instagram", "threads"])
def test_media_for_a_network_that_downloads_it_needs_a_public_address(workspace, settings, network):
    channel = make_channel(workspace, network)
    settings.BASE_URL = "https://127.0.0.1:8443"
    result = check(channel, "Hello", media=[IMAGE])
    assert not result.ok
    [problem] = result.problems
    assert "downloads images and videos from Varde itself" in problem
    assert "VARDE_BASE_URL" in problem
    assert "https://127.0.0.1:8443" in problem
    # Without media, or with a public address, there is nothing to say.
    if network == "threads":
        assert check(channel, "Hello").ok
    settings.BASE_URL = "https://varde.example.no"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no"]
    assert check(channel, "Hello", media=[IMAGE]).ok


def test_networks_that_take_uploads_do_not_need_a_public_address(workspace, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    assert check(make_channel(workspace, "bluesky"), "Hello", media=[IMAGE]).ok


def test_facebook_63206(workspace):
    channel = make_channel(workspace, "facebook")
    assert check(channel, "a" * 63206).ok
    assert not check(channel, "a" * 63207).ok


def test_youtube_title_100_description_5000_and_a_video(workspace):
    channel = make_channel(workspace, "youtube")
    result = check(channel, "a" * 5000, title="t" * 100, media=[VIDEO])
    assert result.ok
    assert [c.limit for c in result.counts] == [5000, 100]
    assert not check(channel, "a" * 5001, title="t", media=[VIDEO]).ok
    too_long_title = check(channel, "a", title="t" * 101, media=[VIDEO])
    assert any("Title" in p for p in too_long_title.problems)
    assert any("image or a video" in p for p in check(channel, "a").problems)
    assert any("kind of file" in p for p in check(channel, "a", media=[IMAGE]).problems)


def test_thread_parts_are_counted_where_the_network_has_threads(workspace):
    bluesky = make_channel(workspace, "bluesky")
    result = check(bluesky, "first", thread=["second", "x" * 301])
    assert [c.length for c in result.counts] == [5, 6, 301]
    assert not result.ok
    linkedin = make_channel(workspace, "linkedin")
    result = check(linkedin, "first", thread=["second"])
    assert result.ok
    assert any("no threads" in n for n in result.notes)


def test_the_link_is_counted_as_it_is_sent(workspace):
    channel = make_channel(workspace, "linkedin")
    result = check(channel, "Look", link="https://example.com/a")
    assert result.main_count.length == len("Look\n\nhttps://example.com/a")


def test_media_limits_per_network(workspace):
    bluesky = make_channel(workspace, "bluesky")
    big = MediaFacts("image/jpeg", 2_000_000, "alt")
    assert any("MB" in p for p in check(bluesky, "a", media=[big]).problems)
    assert any("at most 4" in p for p in check(bluesky, "a", media=[IMAGE] * 5).problems)
    assert any(
        "image/bmp" in p
        for p in check(bluesky, "a", media=[MediaFacts("image/bmp", 10, "")]).problems
    )


def test_an_unknown_connector_has_no_limits(workspace):
    channel = make_channel(workspace, "gone-network")
    assert check(channel, "a" * 100_000).ok
