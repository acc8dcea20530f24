"""The composer's previews look like each network's post, and escape everything in them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from varde.composer.services import post_save_draft
from varde.content.services import Draft, media_add
from varde.content.tests.conftest import make_channel, png_upload

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def checks_html(client, workspace, *channels, **data) -> str:
    body = {"text": "Hello", "channels": [c.pk for c in channels], "post_id": "", **data}
    url = reverse("content:checks", kwargs={"workspace": workspace.slug})
    response = client.post(url, body, **HX)
    assert response.status_code == 200
    return response.content.decode()


def preview_of(html: str, network: str) -> str:
    found = re.search(rf'<div class="np [^"]*np-network-{network}".*?\n</div>', html, re.S)
    assert found, network
    return found.group(0)


def test_instagram_preview_has_name_avatar_mark_and_folds_with_more(
    client_as, contributor, workspace
):
    instagram = make_channel(workspace, "instagram", "Bryggen <b>", handle="@bryggen<i>")
    html = checks_html(
        client_as(contributor), workspace, instagram, text="<script>x</script> " + "sykkel " * 40
    )
    card = preview_of(html, "instagram")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in card
    assert 'class="np-name">Bryggen &lt;b&gt;</span>' in card
    assert 'class="np-handle">@bryggen&lt;i&gt;</span>' in card
    assert 'class="np-avatar' in card
    assert 'aria-hidden="true">B</span>' in card
    assert 'aria-label="Instagram"' in card  # the network's mark, named
    assert '<span class="np-more">… more</span>' in card
    assert "sykkel " * 40 not in card  # folded


def test_x_makes_a_card_of_the_first_link_and_never_folds(client_as, contributor, workspace):
    x = make_channel(workspace, "x", "Bryggen on X", handle="@bryggen")
    text = "Service week! https://bryggen.example/service?a=<b> and https://other.example"
    card = preview_of(checks_html(client_as(contributor), workspace, x, text=text), "x")
    assert '<span class="np-card-domain">bryggen.example</span>' in card
    assert "https://bryggen.example/service?a=&lt;b&gt;" in card
    assert "np-more" not in card


def test_the_media_grid_shows_the_posts_images(client_as, contributor, workspace, media_root):
    bluesky = make_channel(workspace, "bluesky", "Bryggen")
    post = post_save_draft(
        workspace=workspace, actor=contributor, draft=Draft(text="Hi", channels=[bluesky])
    ).post
    for _ in range(2):
        media_add(post=post, actor=contributor, upload=png_upload())
    html = checks_html(
        client_as(contributor), workspace, bluesky, post_id=post.pk, base_version=post.version
    )
    card = preview_of(html, "bluesky")
    assert 'class="np-media np-media-2"' in card
    assert card.count("<img ") == 2
    assert "np-card" not in card  # no link card next to images


def test_wordpress_shows_an_article_with_title_and_excerpt(client_as, contributor, workspace):
    blog = make_channel(workspace, "wordpress", "Bryggen blog")
    words = " ".join(f"ord{n}" for n in range(60))
    html = checks_html(client_as(contributor), workspace, blog, text=words, title="Service <week>")
    card = preview_of(html, "wordpress")
    assert "np-shape-article" in card
    assert '<p class="np-title">Service &lt;week&gt;</p>' in card
    assert "ord54 <span" in card
    assert "ord55" not in card
    assert '<span class="np-more">[…]</span>' in card


def test_newsletter_shows_an_email_with_its_subject(client_as, contributor, workspace):
    letter = make_channel(workspace, "newsletter", "Bryggen news", handle="news@bryggen.example")
    html = checks_html(client_as(contributor), workspace, letter, text="Hei!", title="Mai")
    card = preview_of(html, "newsletter")
    assert "np-shape-email" in card
    assert "&lt;news@bryggen.example&gt;" in card
    assert "<dd>Mai</dd>" in card
    assert "mark-initial" in card  # no brand: its initial


def test_compose_page_shows_the_mark_in_the_channel_choice(client_as, contributor, workspace):
    make_channel(workspace, "mastodon", "Bryggen on Mastodon")
    url = reverse("content:compose", kwargs={"workspace": workspace.slug})
    html = client_as(contributor).get(url).content.decode()
    label = re.search(r'<label class="channel-choice">.*?</label>', html, re.S)
    assert label
    assert "network-mark mark-mastodon" in label.group(0)


def test_youtube_shows_a_video_page_with_title_and_folded_description(
    client_as, contributor, workspace
):
    channel = make_channel(workspace, "youtube", "Bryggen TV", handle="@bryggentv")
    html = checks_html(
        client_as(contributor), workspace, channel, text="beskrivelse " * 20, title="Vår <3"
    )
    card = preview_of(html, "youtube")
    assert "np-shape-video" in card
    assert "The video goes here" in card  # no video attached yet
    assert '<p class="np-title">Vår &lt;3</p>' in card
    assert '<span class="np-more">… more</span>' in card
    assert 'aria-label="YouTube"' in card
