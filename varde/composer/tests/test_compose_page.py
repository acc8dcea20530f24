"""What the composer page starts with: the only channel ticked, the cursor in the text, and the
thread and the first comment shown only where a chosen network takes them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from varde.composer.services import post_save_draft
from varde.content.services import Draft
from varde.content.tests.conftest import make_channel, png_upload

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def compose_page(client, workspace, query: str = "") -> str:
    response = client.get(reverse("content:compose", kwargs={"workspace": workspace.slug}) + query)
    assert response.status_code == 200
    return response.content.decode()


def is_ticked(html: str, channel) -> bool:
    box = re.search(rf'<input type="checkbox" name="channels" value="{channel.pk}"[^>]*>', html)
    assert box is not None
    return "checked" in box.group(0)


def is_hidden(html: str, feature: str) -> bool:
    tag = re.search(rf'<[a-z]+ [^>]*data-only-for="{feature}"[^>]*>', html)
    assert tag is not None
    return " hidden" in tag.group(0)


def test_the_only_channel_is_ticked_and_the_text_is_focused(client_as, contributor, workspace):
    only = make_channel(workspace, "linkedin", "Bryggen on LinkedIn")
    html = compose_page(client_as(contributor), workspace)
    assert is_ticked(html, only)
    assert re.search(r'<textarea name="text"[^>]* autofocus', html)
    # LinkedIn has no threads but takes a first comment.
    assert is_hidden(html, "threads")
    assert not is_hidden(html, "comments")


def test_with_two_channels_nothing_is_chosen_for_the_person(client_as, contributor, workspace):
    linkedin = make_channel(workspace, "linkedin", "Bryggen on LinkedIn")
    bluesky = make_channel(workspace, "bluesky", "Bryggen on Bluesky")
    html = compose_page(client_as(contributor), workspace)
    assert not is_ticked(html, linkedin)
    assert not is_ticked(html, bluesky)
    assert is_hidden(html, "threads")
    assert is_hidden(html, "comments")
    # The lists composer.js follows when the ticks change.
    assert f'"threads": [{bluesky.pk}]' in html


def test_a_channel_with_threads_shows_the_thread(client_as, contributor, workspace):
    make_channel(workspace, "linkedin", "Bryggen on LinkedIn")
    bluesky = make_channel(workspace, "bluesky", "Bryggen on Bluesky")
    html = compose_page(client_as(contributor), workspace, f"?channel={bluesky.pk}")
    assert not is_hidden(html, "threads")


def test_a_written_thread_stays_in_view_without_a_network_for_it(client_as, editor, workspace):
    linkedin = make_channel(workspace, "linkedin", "Bryggen on LinkedIn")
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Winter service", channels=[linkedin], thread=["And coffee."]),
    ).post
    response = client_as(editor).get(
        reverse("content:post_edit", kwargs={"workspace": workspace.slug, "post_id": post.pk})
    )
    html = response.content.decode()
    assert not is_hidden(html, "threads")
    assert "And coffee." in html


def test_after_an_upload_the_page_saves_and_checks_again(client_as, contributor, workspace):
    post = post_save_draft(workspace=workspace, actor=contributor, draft=Draft(text="x")).post
    client = client_as(contributor)
    add = reverse("content:media_add", kwargs={"workspace": workspace.slug})
    response = client.post(add, {"text": "x", "post_id": post.pk, "upload": png_upload()}, **HX)
    assert response["HX-Trigger-After-Settle"] == "composer-changed"
    refused = client.post(add, {"text": "x", "post_id": post.pk}, **HX)
    assert "HX-Trigger-After-Settle" not in refused
