from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from varde.composer.services import post_save_draft
from varde.content.models import Campaign, Post
from varde.content.services import Draft, media_add
from varde.content.tests.conftest import make_channel, png_upload
from varde.publishing.models import Delivery
from varde.strategy.models import PlanChannel

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def form_data(*channels, text="Hello", **extra):
    data = {"text": text, "channels": [c.pk for c in channels], "post_id": ""}
    data.update(extra)
    return data


def test_compose_page_with_a_bounded_number_of_queries(
    client_as, contributor, workspace, django_assert_max_num_queries
):
    for n in range(12):
        make_channel(workspace, ["x", "bluesky", "mastodon", "linkedin"][n % 4], f"Channel {n}")
    client = client_as(contributor)
    with django_assert_max_num_queries(14):
        response = client.get(url("content:compose", workspace))
    assert response.status_code == 200
    assert b'id="composer"' in response.content


def test_edit_page_with_a_bounded_number_of_queries(
    client_as, editor, workspace, x_channel, django_assert_max_num_queries
):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Hi", channels=[x_channel])
    ).post
    media_add(post=post, actor=editor, upload=png_upload())
    for n in range(10):
        make_channel(workspace, "bluesky", f"Channel {n}")
    client = client_as(editor)
    with django_assert_max_num_queries(16):
        response = client.get(url("content:post_edit", workspace, post_id=post.pk))
    assert response.status_code == 200


def test_prefill_from_the_calendar(client_as, contributor, workspace, x_channel):
    response = client_as(contributor).get(
        url("content:compose", workspace), {"channel": x_channel.pk, "at": "2030-03-05T09:00"}
    )
    html = response.content.decode()
    assert f'value="{x_channel.pk}" checked' in html
    assert 'value="2030-03-05T09:00"' in html


def test_autosave_creates_once_then_updates(client_as, contributor, workspace, x_channel):
    client = client_as(contributor)
    first = client.post(url("content:autosave", workspace), form_data(x_channel), **HX)
    assert first.status_code == 200
    post = Post.objects.get()
    assert "Saved at" in first.content.decode()
    assert f'id="post-id" value="{post.pk}" hx-swap-oob="true"' in first.content.decode()
    assert first["HX-Replace-Url"] == url("content:post_edit", workspace, post_id=post.pk)
    second = client.post(
        url("content:autosave", workspace),
        form_data(x_channel, text="Hello again", post_id=post.pk),
        **HX,
    )
    assert "Saved at" in second.content.decode()
    assert Post.objects.get().text == "Hello again"
    assert post.author == contributor


def test_autosave_says_why_it_did_not_save(client_as, contributor, workspace, x_channel):
    client = client_as(contributor)
    nothing = client.post(url("content:autosave", workspace), form_data(x_channel, text=""), **HX)
    assert "Not saved yet" in nothing.content.decode()
    bad = client.post(
        url("content:autosave", workspace),
        form_data(x_channel, link_url="not a link at all", planned_at="soon"),
        **HX,
    )
    assert "Not saved:" in bad.content.decode()
    assert not Post.objects.exists()


def test_the_save_draft_button_keeps_the_text_on_error(
    client_as, contributor, workspace, x_channel
):
    client = client_as(contributor)
    response = client.post(
        url("content:compose", workspace), form_data(x_channel, text="Keep me", planned_at="soon")
    )
    assert response.status_code == 422
    assert "Keep me" in response.content.decode()
    ok = client.post(url("content:compose", workspace), form_data(x_channel, text="Keep me"))
    post = Post.objects.get()
    assert ok["Location"] == url("content:post_edit", workspace, post_id=post.pk)


def test_live_checks_partial_counts_per_network(client_as, contributor, workspace, x_channel):
    bluesky = make_channel(workspace, "bluesky")
    response = client_as(contributor).post(
        url("content:checks", workspace),
        form_data(
            x_channel,
            bluesky,
            text="a" * 290,
            **{f"variant_{bluesky.pk}": "Short for Bluesky"},
            link_url="https://shop.example/x",
        ),
        **HX,
    )
    html = response.content.decode()
    assert "<strong>315</strong> / 280" in html  # 290 + 2 newlines + 23 for the link
    assert "<strong>78</strong> / 300" in html  # 17 + 2 + the whole link with its UTM (59)
    assert "utm_source=x&amp;utm_medium=social" in html
    assert "is-bad" in html
    assert "own text" in html


def test_contributor_edits_own_posts_only(client_as, contributor, editor, workspace, x_channel):
    theirs = post_save_draft(workspace=workspace, actor=editor, draft=Draft(text="Editor's")).post
    client = client_as(contributor)
    response = client.get(url("content:post_edit", workspace, post_id=theirs.pk))
    assert response["Location"] == url("content:post", workspace, post_id=theirs.pk)
    sneaky = client.post(
        url("content:autosave", workspace), form_data(x_channel, text="Mine now", post_id=theirs.pk)
    )
    assert sneaky.status_code == 403
    theirs.refresh_from_db()
    assert theirs.text == "Editor's"
    mine = post_save_draft(workspace=workspace, actor=contributor, draft=Draft(text="Mine")).post
    assert client.get(url("content:post_edit", workspace, post_id=mine.pk)).status_code == 200
    # An editor edits anyone's post.
    assert (
        client_as(editor).get(url("content:post_edit", workspace, post_id=mine.pk)).status_code
        == 200
    )


def test_analyst_reads_but_does_not_write(client_as, analyst, editor, workspace, x_channel):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Read me", channels=[x_channel])
    ).post
    client = client_as(analyst)
    assert client.get(url("content:compose", workspace)).status_code == 403
    assert client.post(url("content:autosave", workspace), form_data(x_channel)).status_code == 403
    assert client.get(url("content:post_edit", workspace, post_id=post.pk)).status_code == 403
    page = client.get(url("content:post", workspace, post_id=post.pk))
    assert page.status_code == 200
    assert "Read me" in page.content.decode()
    assert url("content:post_edit", workspace, post_id=post.pk) not in page.content.decode()


def test_posts_of_another_workspace_are_not_found(client_as, other_workspace, workspace, editor):
    from varde.accounts.tests.factories import member

    stranger = member(other_workspace)
    post = post_save_draft(workspace=other_workspace, actor=stranger, draft=Draft(text="x")).post
    client = client_as(editor)
    assert client.get(url("content:post_edit", workspace, post_id=post.pk)).status_code == 404
    assert client.get(url("content:post", workspace, post_id=post.pk)).status_code == 404


def test_media_upload_saves_a_new_draft_first_and_is_served_privately(
    client_as, contributor, workspace, x_channel, analyst
):
    client = client_as(contributor)
    response = client.post(
        url("content:media_add", workspace), {**form_data(x_channel), "upload": png_upload()}, **HX
    )
    html = response.content.decode()
    post = Post.objects.get()
    item = post.media.get()
    assert (item.width, item.height) == (64, 48)
    assert 'hx-swap-oob="true"' in html
    assert "alt_text" in html
    file_url = url("content:media_file", workspace, post_id=post.pk, media_id=item.pk)
    served = client_as(analyst).get(file_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    client.logout()
    assert client.get(file_url).status_code == 302


def test_upload_to_an_existing_post_lists_every_file(client_as, contributor, workspace):
    post = post_save_draft(workspace=workspace, actor=contributor, draft=Draft(text="x")).post
    media_add(post=post, actor=contributor, upload=png_upload())
    response = client_as(contributor).post(
        url("content:media_add", workspace),
        {"text": "x", "post_id": post.pk, "upload": png_upload(100, 100)},
        **HX,
    )
    assert response.content.decode().count('class="media-item"') == 2


def test_a_bad_upload_is_refused_with_a_reason(client_as, contributor, workspace):
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = post_save_draft(workspace=workspace, actor=contributor, draft=Draft(text="x")).post
    response = client_as(contributor).post(
        url("content:media_add", workspace),
        {"text": "x", "post_id": post.pk, "upload": SimpleUploadedFile("a.jpg", b"<html>" * 50)},
        **HX,
    )
    assert "not an image or video" in response.content.decode()
    assert not post.media.exists()


def test_media_remove(client_as, contributor, workspace):
    post = post_save_draft(workspace=workspace, actor=contributor, draft=Draft(text="x")).post
    item = media_add(post=post, actor=contributor, upload=png_upload())
    response = client_as(contributor).post(
        url("content:media_remove", workspace, post_id=post.pk, media_id=item.pk), **HX
    )
    assert response.status_code == 200
    assert not post.media.exists()


def test_next_free_slot_fills_the_planned_time(client_as, contributor, workspace, x_channel):
    PlanChannel.objects.create(
        workspace=workspace,
        network="x",
        name="@acme",
        days=[0, 1, 2, 3, 4, 5, 6],
        times=["09:00"],
        posts_per_week=Decimal(7),
    )
    response = client_as(contributor).post(
        url("content:next_slot", workspace), form_data(x_channel), **HX
    )
    html = response.content.decode()
    assert "Next free slot in the plan" in html
    assert "T09:00" in html
    assert response["HX-Trigger-After-Settle"] == "composer-changed"
    no_plan = make_channel(workspace, "linkedin")
    response = client_as(contributor).post(
        url("content:next_slot", workspace), form_data(no_plan), **HX
    )
    assert "no days and times" in response.content.decode()


def test_duplicate(client_as, contributor, editor, workspace, x_channel):
    post = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Copy me", channels=[x_channel])
    ).post
    response = client_as(contributor).post(
        url("content:post_duplicate", workspace, post_id=post.pk)
    )
    copy = Post.objects.exclude(pk=post.pk).get()
    assert response["Location"] == url("content:post_edit", workspace, post_id=copy.pk)
    assert copy.author == contributor
    assert copy.text == "Copy me"


def test_thread_part_numbers_follow_the_parts_on_the_page(client_as, contributor, workspace):
    response = client_as(contributor).get(
        url("content:thread_part", workspace), {"thread": ["a", "b"]}, **HX
    )
    assert 'id="thread-4"' in response.content.decode()


def test_campaign_pages(client_as, editor, contributor, analyst, workspace, x_channel):  # noqa: PLR0917
    blog = make_channel(workspace, "wordpress", "Blog")
    client = client_as(editor)
    response = client.post(
        url("campaigns:create", workspace),
        {
            "name": "Spring sale",
            "channels": [x_channel.pk, blog.pk],
            "starts_on": "2030-03-01",
            "ends_on": "2030-03-31",
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == url("campaigns:detail", workspace, campaign_id=campaign.pk)
    assert campaign.utm_campaign == "spring-sale"
    bad = client.post(
        url("campaigns:edit", workspace, campaign_id=campaign.pk),
        {"name": "Spring sale", "starts_on": "2030-03-31", "ends_on": "2030-03-01"},
    )
    assert "cannot end before it starts" in bad.content.decode()
    post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="On the blog",
            channels=[blog],
            campaign=campaign,
            planned_at=dt.datetime(2030, 3, 2, 8, tzinfo=dt.UTC),
        ),
    )
    detail = client_as(analyst).get(url("campaigns:detail", workspace, campaign_id=campaign.pk))
    html = detail.content.decode()
    assert "On the blog" in html
    assert "Blog" in html
    assert "Sat 2 Mar 2030 09:00" in html  # Oslo time
    assert client_as(analyst).get(url("campaigns:list", workspace)).status_code == 200
    assert client_as(contributor).get(url("campaigns:create", workspace)).status_code == 403
    assert Delivery.objects.count() == 1


def test_contributor_submits_for_review_and_an_editor_approves_and_schedules(
    client_as, contributor, editor, workspace, x_channel
):
    from varde.content.choices import ApprovalState
    from varde.publishing.choices import DeliveryState

    client = client_as(contributor)
    page = client.get(url("content:compose", workspace)).content.decode()
    assert "Submit for review" in page
    assert "Approve and schedule" not in page
    client.post(
        url("content:compose", workspace),
        form_data(x_channel, text="For review", planned_at="2030-03-05T09:00", action="submit"),
    )
    post = Post.objects.get()
    assert post.approval_state == ApprovalState.IN_REVIEW
    editor_page = client_as(editor).get(url("content:post_edit", workspace, post_id=post.pk))
    assert "Approve and schedule" in editor_page.content.decode()
    client_as(editor).post(
        url("content:post_edit", workspace, post_id=post.pk),
        form_data(
            x_channel,
            text="For review",
            planned_at="2030-03-05T09:00",
            post_id=post.pk,
            action="approve",
        ),
    )
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.APPROVED
    delivery = Delivery.objects.get(post=post)
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.scheduled_at == dt.datetime(2030, 3, 5, 8, 0, tzinfo=dt.UTC)


def test_editing_an_approved_post_in_the_composer_sends_it_back(
    client_as, editor, workspace, x_channel
):
    from varde.content.choices import ApprovalState
    from varde.publishing.choices import DeliveryState

    client = client_as(editor)
    client.post(
        url("content:compose", workspace),
        form_data(x_channel, text="Approved", planned_at="2030-03-05T09:00", action="approve"),
    )
    post = Post.objects.get()
    assert post.approval_state == ApprovalState.APPROVED
    response = client.post(
        url("content:autosave", workspace),
        form_data(
            x_channel, text="Approved, changed", planned_at="2030-03-05T09:00", post_id=post.pk
        ),
        **HX,
    )
    assert "needs approval again" in response.content.decode()
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.IN_REVIEW
    assert Delivery.objects.get(post=post).state == DeliveryState.DRAFT


def test_an_opened_post_does_not_say_it_is_unsaved(client_as, contributor, workspace, x_channel):
    """The composer opened on a saved post says so, rather than "Not saved yet"."""
    client = client_as(contributor)
    client.post(url("content:autosave", workspace), form_data(x_channel, text="Hello"), **HX)
    post = Post.objects.get()
    page = client.get(url("content:post_edit", workspace, post_id=post.pk)).content.decode()
    assert "Everything is saved" in page
    assert "Not saved yet" not in page


def test_plan_week_follows_the_planned_time(client_as, contributor, workspace):
    response = client_as(contributor).get(
        url("content:plan_week", workspace), {"planned_at": "2030-03-07T09:00"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "week=2030-03-04" in html  # the Monday of that week
    assert "Week 10, 4 Mar – 10 Mar: the week of the planned time" in html  # not "this week"


def test_a_post_opened_from_a_calendar_slot_shows_the_slots_week(client_as, contributor, workspace):
    response = client_as(contributor).get(
        url("content:compose", workspace), {"at": "2030-03-07T09:00"}
    )
    assert "week=2030-03-04" in response.content.decode()  # the Monday of the slot's week


def test_a_campaign_without_dates_says_so(client_as, editor, workspace):
    client = client_as(editor)
    client.post(url("campaigns:create", workspace), {"name": "Always on"})
    campaign = Campaign.objects.get()
    html = client.get(url("campaigns:detail", workspace, campaign_id=campaign.pk)).content.decode()
    assert "No dates set" in html
    assert "… – …" not in html
    campaign.starts_on = dt.date(2030, 3, 1)
    campaign.save()
    html = client.get(url("campaigns:detail", workspace, campaign_id=campaign.pk)).content.decode()
    assert "From 1 March 2030, no end date" in html
