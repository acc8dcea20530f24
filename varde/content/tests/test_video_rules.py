"""Each network's documented video length and shape, checked in the composer as the author
works, in words they can act on, in both languages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from varde.content.models import Post
from varde.content.rules import MediaFacts, check_channel, rules_for
from varde.content.tests import videofiles
from varde.content.tests.conftest import make_channel
from varde.content.video_rules import aspect_words, duration_words

pytestmark = pytest.mark.django_db


def public_address(settings):
    # Instagram and Threads download files from Varde, so they need its public address.
    settings.BASE_URL = "https://varde.example.no"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no"]


def video(seconds: float | None, width: int = 1920, height: int = 1080) -> MediaFacts:
    return MediaFacts("video/mp4", 5_000_000, "A boat", width, height, seconds)


def check(channel, *media: MediaFacts):
    return check_channel(
        rules=rules_for(channel),
        text="Look",
        own_text=False,
        link="",
        title="A title",
        thread=[],
        first_comment="",
        media=list(media),
    )


def test_lengths_read_as_people_say_them():
    assert [duration_words(s) for s in (0.5, 45, 140, 190.04, 140.4, 3600, 3725)] == [
        "0.5 s",
        "45 s",
        "2 min 20 s",
        "3 min 10 s",
        "2 min 20.4 s",
        "1 h",
        "1 h 2 min 5 s",
    ]
    assert (aspect_words(1 / 3), aspect_words(3), aspect_words(1 / 2.4)) == ("1:3", "3:1", "1:2.4")
    with translation.override("nb"):
        assert duration_words(7_205.5) == "2 t 5,5 s"
        assert aspect_words(2.4) == "2,4:1"


def test_threads_takes_at_most_five_minutes(workspace, settings):
    public_address(settings)
    threads = make_channel(workspace, "threads")
    assert check(threads, video(300)).ok
    result = check(threads, video(310))
    assert "File 1: this video is 5 min 10 s; Threads takes at most 5 min." in result.problems
    with translation.override("nb"):
        problems = check(threads, video(310)).problems
    assert "Fil 1: denne videoen er 5 min 10 s; Threads tar imot høyst 5 min." in problems


def test_x_needs_half_a_second_and_a_shape_between_1_3_and_3_1(workspace):
    x = make_channel(workspace, "x")
    assert check(x, video(0.5)).ok
    assert "File 1: this video is 0.3 s; X needs at least 0.5 s." in check(x, video(0.3)).problems
    tall = check(x, video(10, width=1080, height=3840))
    assert tall.problems == (
        "File 1: the video is 1080×3840 pixels; X takes a width-to-height ratio from 1:3 to 3:1.",
    )
    assert check(x, video(10, width=1080, height=1920)).ok  # a phone's 9:16 is fine


def test_a_cap_that_depends_on_the_account_is_a_note_not_a_refusal(workspace):
    x = make_channel(workspace, "x")
    long = check(x, video(25 * 60))
    assert long.ok
    assert long.notes == (
        "File 1: this video is 25 min; X takes videos longer than 20 min only from some accounts "
        "(verified or paid). Check that this account can post it.",
    )
    assert "X takes at most 2 h 5 min." in check(x, video(130 * 60)).problems[0]
    youtube = make_channel(workspace, "youtube")
    assert check(youtube, video(14 * 60)).notes == ()
    assert "15 min" in check(youtube, video(20 * 60)).notes[0]
    assert not check(youtube, video(13 * 3600)).ok


def test_instagram_reels_are_3_seconds_to_15_minutes(workspace, settings):
    public_address(settings)
    instagram = make_channel(workspace, "instagram")
    assert check(instagram, video(3)).ok
    assert "Instagram needs at least 3 s." in check(instagram, video(2)).problems[0]
    assert "Instagram takes at most 15 min." in check(instagram, video(16 * 60)).problems[0]


def test_bluesky_takes_up_to_3_minutes_in_the_composer(workspace):
    bluesky = make_channel(workspace, "bluesky")
    assert check(bluesky, video(180)).ok
    assert "Bluesky takes at most 3 min." in check(bluesky, video(181)).problems[0]


def test_mastodon_documents_no_length(workspace):
    mastodon = make_channel(workspace, "mastodon")
    result = check(mastodon, video(3 * 3600, width=100, height=2000))
    assert result.ok
    assert result.notes == ()


def test_an_unknown_length_is_said_not_guessed(workspace):
    x = make_channel(workspace, "x")
    result = check(x, video(None))
    assert result.ok
    assert result.notes == (
        "File 1: the video file does not say how long it is, so Varde cannot check it against "
        "X's length limits.",
    )
    assert check(make_channel(workspace, "mastodon"), video(None)).notes == ()


def test_a_network_without_video_says_only_that(workspace):
    # A webhook sends no video: a far too short, narrow one gets only that reason.
    webhook = make_channel(workspace, "webhook")
    assert check(webhook, video(0.1, width=10, height=1000)).problems == (
        f"File 1: {rules_for(webhook).network_label} does not take this kind of file.",
    )


def test_an_uploaded_video_keeps_its_length_and_size_and_the_composer_checks_it(
    client_as, contributor, workspace, settings
):
    public_address(settings)
    threads = make_channel(workspace, "threads")
    client = client_as(contributor)
    data = videofiles.mp4(seconds=190, matrix=videofiles.ROTATE_90, moov_first=False)
    upload = SimpleUploadedFile("phone.mp4", data, content_type="video/mp4")
    address = reverse("content:media_add", kwargs={"workspace": workspace.slug})
    form = {"text": "Hello", "channels": [threads.pk], "post_id": ""}
    response = client.post(address, {**form, "upload": upload}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    item = Post.objects.get().media.get()
    assert (item.kind, item.width, item.height, item.duration_seconds) == ("video", 1080, 1920, 190)
    assert "1080×1920 · 3 min 10 s" in response.content.decode()

    long = videofiles.mp4(seconds=310)
    client.post(
        address,
        {**form, "post_id": item.post_id, "upload": SimpleUploadedFile("long.mp4", long)},
        HTTP_HX_REQUEST="true",
    )
    checks = client.post(
        reverse("content:checks", kwargs={"workspace": workspace.slug}),
        {**form, "post_id": item.post_id},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "File 2: this video is 5 min 10 s; Threads takes at most 5 min." in checks
    assert "File 1:" not in checks


def test_a_video_goes_alone_where_the_network_says_so(workspace):
    photo = MediaFacts("image/jpeg", 200_000, "A bike", 1200, 800, None)
    x = make_channel(workspace, "x")
    assert check(x, video(30), photo).problems == (
        "On X a video goes alone: remove the other files, or the video.",
    )
    assert check(x, video(30)).ok
    assert check(x, photo, photo).ok
    with translation.override("nb"):
        assert check(x, video(30), photo).problems == (
            "På X må en video stå alene: fjern de andre filene, eller videoen.",
        )
