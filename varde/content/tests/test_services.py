from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from varde.accounts.models import AuditEvent
from varde.composer import selectors as composer_selectors
from varde.composer.services import post_duplicate, post_save_draft
from varde.content import selectors
from varde.content.choices import ApprovalState
from varde.content.models import Campaign, PostMedia
from varde.content.selectors import post_is_approved, post_text_for
from varde.content.services import (
    CampaignData,
    Draft,
    campaign_create,
    campaign_update,
    media_add,
    media_remove,
    post_create,
    post_set_approval,
)
from varde.content.tests.conftest import make_channel, png_upload
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_schedule
from varde.sandbox.services import sandbox_channel_create

pytestmark = pytest.mark.django_db
AT = dt.datetime(2030, 3, 5, 8, 0, tzinfo=dt.UTC)


def test_channel_variant_overrides_text(workspace, editor):
    channel = sandbox_channel_create(workspace=workspace)
    other = sandbox_channel_create(workspace=workspace)
    post = post_create(
        workspace=workspace, author=editor, text="Main", channel_texts={channel: "Short"}
    )
    assert post_text_for(post=post, channel_id=channel.pk) == "Short"
    assert post_text_for(post=post, channel_id=other.pk) == "Main"


def test_variant_for_another_workspace_is_refused(workspace, other_workspace, editor):
    foreign = sandbox_channel_create(workspace=other_workspace)
    with pytest.raises(ValidationError):
        post_create(workspace=workspace, author=editor, text="x", channel_texts={foreign: "y"})


def test_approval(workspace, editor):
    post = post_create(workspace=workspace, author=editor, text="x")
    assert not post_is_approved(post)
    post_set_approval(post=post, state=ApprovalState.APPROVED, actor=editor)
    assert post_is_approved(post)
    with pytest.raises(ValidationError):
        post_set_approval(post=post, state="published", actor=editor)


def deliveries(post):
    return {
        d.channel_id: d
        for d in Delivery.objects.filter(post=post).exclude(state=DeliveryState.CANCELLED)
    }


def test_save_draft_creates_the_post_with_tags_variants_and_planned_deliveries(
    workspace, editor, x_channel, bluesky_channel
):
    campaign = Campaign.objects.create(workspace=workspace, name="Spring", utm_campaign="spring")
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="New bikes",
            channels=[x_channel, bluesky_channel],
            variants={x_channel.pk: "Short for X"},
            campaign=campaign,
            mix_category="promotional",
            link_url="https://shop.example/bikes",
            thread=["Part two"],
            planned_at=AT,
        ),
    )
    post = saved.post
    assert saved.created
    assert saved.changed
    assert post.author == editor
    assert post.approval_state == ApprovalState.DRAFT
    assert post_text_for(post=post, channel_id=x_channel.pk) == "Short for X"
    assert post_text_for(post=post, channel_id=bluesky_channel.pk) == "New bikes"
    planned = deliveries(post)
    assert set(planned) == {x_channel.pk, bluesky_channel.pk}
    assert {d.state for d in planned.values()} == {DeliveryState.DRAFT}
    assert {d.scheduled_at for d in planned.values()} == {AT}
    assert AuditEvent.objects.filter(action="post.created").count() == 1


def test_an_emptied_variant_is_removed(workspace, editor, x_channel):
    draft = Draft(text="Main", channels=[x_channel], variants={x_channel.pk: "Own"})
    post = post_save_draft(workspace=workspace, actor=editor, draft=draft).post
    draft.variants = {x_channel.pk: "  "}
    assert post_save_draft(workspace=workspace, actor=editor, draft=draft, post=post).changed
    assert not post.variants.exists()


def test_saving_the_same_draft_again_changes_nothing(workspace, editor, x_channel):
    draft = Draft(text="Same", channels=[x_channel], planned_at=AT)
    post = post_save_draft(workspace=workspace, actor=editor, draft=draft).post
    again = post_save_draft(workspace=workspace, actor=editor, draft=draft, post=post)
    assert not again.created
    assert not again.changed


def test_a_second_first_save_from_the_same_page_finds_the_post_instead_of_making_another(
    workspace, editor, contributor, x_channel
):
    # "Save draft" clicked while the first autosave was on its way: neither knew the post id.
    first = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="One", draft_key="page-1")
    )
    second = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="One, edited", channels=[x_channel], draft_key="page-1"),
    )
    assert first.created
    assert not second.created
    assert second.post.pk == first.post.pk
    assert second.post.text == "One, edited"
    # Another person's key never reaches someone else's post.
    theirs = post_save_draft(
        workspace=workspace, actor=contributor, draft=Draft(text="Mine", draft_key="page-1")
    )
    assert theirs.post.pk != first.post.pk


def test_update_moves_time_and_changes_channels(workspace, editor, x_channel, bluesky_channel):
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="One", channels=[x_channel], variants={x_channel.pk: "X text"}, planned_at=AT
        ),
    ).post
    later = AT + dt.timedelta(days=1)
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Two", channels=[bluesky_channel], planned_at=later),
        post=post,
    )
    assert saved.changed
    post.refresh_from_db()
    assert post.text == "Two"
    # The X text stays, unused, in case X is chosen again.
    assert post.variants.get().channel == x_channel
    assert set(deliveries(post)) == {bluesky_channel.pk}
    assert deliveries(post)[bluesky_channel.pk].scheduled_at == later
    x_delivery = Delivery.objects.get(post=post, channel=x_channel)
    assert x_delivery.state == DeliveryState.CANCELLED


def test_empty_text_and_foreign_tags_are_refused(workspace, other_workspace, editor):
    with pytest.raises(ValidationError):
        post_save_draft(workspace=workspace, actor=editor, draft=Draft(text="   "))
    foreign = Campaign.objects.create(workspace=other_workspace, name="Theirs", utm_campaign="t")
    with pytest.raises(ValidationError):
        post_save_draft(workspace=workspace, actor=editor, draft=Draft(text="x", campaign=foreign))
    foreign_channel = make_channel(other_workspace, "x")
    with pytest.raises(ValidationError):
        post_save_draft(
            workspace=workspace, actor=editor, draft=Draft(text="x", channels=[foreign_channel])
        )


def approved_and_scheduled(workspace, editor, channel):
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[channel], planned_at=AT),
    ).post
    post_set_approval(post=post, state=ApprovalState.APPROVED, actor=editor)
    delivery_schedule(post=post, channel=channel, at=AT, actor=editor)
    return post


def test_editing_an_approved_post_sends_it_back_to_review(workspace, editor, x_channel):
    post = approved_and_scheduled(workspace, editor, x_channel)
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved, then changed", channels=[x_channel], planned_at=AT),
        post=post,
    )
    assert saved.needs_review_again
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.IN_REVIEW
    delivery = Delivery.objects.get(post=post)
    assert delivery.state == DeliveryState.DRAFT  # nothing goes out before a new approval
    assert delivery.scheduled_at == AT


def test_autosave_of_an_unchanged_approved_post_keeps_the_approval(workspace, editor, x_channel):
    post = approved_and_scheduled(workspace, editor, x_channel)
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[x_channel], planned_at=AT),
        post=post,
    )
    assert not saved.changed
    assert not saved.needs_review_again
    post.refresh_from_db()
    assert post.approval_state == ApprovalState.APPROVED
    assert Delivery.objects.get(post=post).state == DeliveryState.SCHEDULED


def test_moving_an_approved_post_in_time_keeps_it_scheduled(workspace, editor, x_channel):
    post = approved_and_scheduled(workspace, editor, x_channel)
    later = AT + dt.timedelta(hours=3)
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[x_channel], planned_at=later),
        post=post,
    )
    assert saved.changed
    assert not saved.needs_review_again
    delivery = Delivery.objects.get(post=post)
    assert (delivery.state, delivery.scheduled_at) == (DeliveryState.SCHEDULED, later)


def test_media_upload_reads_the_file_and_names_it(workspace, editor):
    post = post_create(workspace=workspace, author=editor, text="Pic")
    item = media_add(
        post=post, actor=editor, upload=png_upload(80, 60, "../../evil.png"), alt_text=" A bike "
    )
    assert (item.kind, item.mime_type, item.width, item.height) == ("image", "image/png", 80, 60)
    assert item.alt_text == "A bike"
    assert "evil" not in item.file.name
    assert ".." not in item.file.name
    assert item.file.name.startswith(f"media/{workspace.pk}/")
    not_an_image = SimpleUploadedFile("x.png", b"not an image" * 20)
    with pytest.raises(ValidationError):
        media_add(post=post, actor=editor, upload=not_an_image)
    media_remove(media=item, actor=editor)
    assert not PostMedia.objects.filter(post=post).exists()


def test_alt_text_is_saved_with_the_draft(workspace, editor):
    post = post_create(workspace=workspace, author=editor, text="Pic")
    item = media_add(post=post, actor=editor, upload=png_upload())
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Pic", alt_texts={item.pk: "Two bikes by the harbour"}),
        post=post,
    )
    assert saved.changed
    item.refresh_from_db()
    assert item.alt_text == "Two bikes by the harbour"


def test_duplicate_copies_text_tags_channels_variants_and_media(
    workspace, editor, contributor, x_channel
):
    campaign = Campaign.objects.create(workspace=workspace, name="Spring", utm_campaign="spring")
    original = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="Original",
            channels=[x_channel],
            variants={x_channel.pk: "X"},
            campaign=campaign,
            first_comment="More in the comments",
            planned_at=AT,
        ),
    ).post
    post_set_approval(post=original, state=ApprovalState.APPROVED, actor=editor)
    media_add(post=original, actor=editor, upload=png_upload(), alt_text="Alt")
    copy = post_duplicate(post=original, actor=contributor)
    assert copy.pk != original.pk
    assert (copy.text, copy.campaign, copy.first_comment) == (
        "Original",
        campaign,
        "More in the comments",
    )
    assert copy.author == contributor
    assert copy.approval_state == ApprovalState.DRAFT
    assert post_text_for(post=copy, channel_id=x_channel.pk) == "X"
    planned = deliveries(copy)
    assert set(planned) == {x_channel.pk}
    assert planned[x_channel.pk].scheduled_at is None
    copied = copy.media.get()
    assert copied.alt_text == "Alt"
    assert copied.file.name != original.media.get().file.name
    assert copied.file.read()[:4] == b"\x89PNG"


def test_campaign_create_update_and_timeline(workspace, editor, x_channel):
    blog = make_channel(workspace, "wordpress", "Blog")
    newsletter = make_channel(workspace, "newsletter", "Newsletter")
    campaign = campaign_create(
        workspace=workspace,
        actor=editor,
        data=CampaignData(name="Spring Sale 2030", channels=[x_channel, blog, newsletter]),
    )
    assert campaign.utm_campaign == "spring-sale-2030"
    with pytest.raises(ValidationError):
        campaign_update(
            campaign=campaign,
            actor=editor,
            data=CampaignData(
                name="Spring", starts_on=dt.date(2030, 3, 1), ends_on=dt.date(2030, 2, 1)
            ),
        )
    campaign_update(
        campaign=campaign,
        actor=editor,
        data=CampaignData(
            name="Spring", utm_campaign="Spring 30", utm_medium="Paid Social", channels=[x_channel]
        ),
    )
    campaign.refresh_from_db()
    assert (campaign.utm_campaign, campaign.utm_medium) == ("spring-30", "paid-social")

    early = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Blog post", channels=[blog], campaign=campaign, planned_at=AT),
    ).post
    later = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="Everywhere",
            channels=[x_channel, newsletter],
            campaign=campaign,
            planned_at=AT + dt.timedelta(days=2),
        ),
    ).post
    unplanned = post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Idea", campaign=campaign)
    ).post
    post_save_draft(
        workspace=workspace, actor=editor, draft=Draft(text="Not in it", channels=[x_channel])
    )
    timeline = composer_selectors.campaign_timeline(campaign=campaign)
    assert [(e.post.pk, e.delivery.channel.label if e.delivery else None) for e in timeline] == [
        (early.pk, "Blog"),
        (later.pk, "Acme on X"),
        (later.pk, "Newsletter"),
        (unplanned.pk, None),
    ] or [(e.post.pk, e.delivery.channel.label if e.delivery else None) for e in timeline] == [
        (early.pk, "Blog"),
        (later.pk, "Newsletter"),
        (later.pk, "Acme on X"),
        (unplanned.pk, None),
    ]
    summary = {
        row["channel__label"]: row
        for row in composer_selectors.campaign_channel_summary(campaign=campaign)
    }
    assert summary["Blog"]["drafts"] == 1


def test_channel_content_for_the_engine(workspace, editor, x_channel):
    linkedin = make_channel(workspace, "linkedin")
    campaign = Campaign.objects.create(workspace=workspace, name="S", utm_campaign="spring")
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="Hi",
            channels=[x_channel, linkedin],
            campaign=campaign,
            link_url="https://shop.example/a",
            thread=["two"],
        ),
    ).post
    on_x = selectors.post_content_for(post=post, channel=x_channel)
    on_linkedin = selectors.post_content_for(post=post, channel=linkedin)
    assert on_x.link == "https://shop.example/a?utm_source=x&utm_medium=social&utm_campaign=spring"
    assert on_x.thread == ("two",)
    assert on_linkedin.thread == ()
    assert "utm_source=linkedin" in on_linkedin.link


def test_a_channel_already_published_on_is_not_a_change(workspace, editor, x_channel):
    from varde.publishing.models import Delivery as DeliveryModel

    bluesky = make_channel(workspace, "bluesky")
    post = approved_and_scheduled(workspace, editor, x_channel)
    DeliveryModel.objects.filter(post=post).update(state=DeliveryState.PUBLISHED)
    post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[x_channel], planned_at=AT),
        post=post,
    )
    # Unticking the published channel is not an edit of what was approved.
    saved = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[], planned_at=AT),
        post=post,
    )
    assert not saved.changed
    assert Delivery.objects.get(post=post).state == DeliveryState.PUBLISHED
    # Adding a channel is.
    added = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Approved", channels=[x_channel, bluesky], planned_at=AT),
        post=post,
    )
    assert added.changed
    assert added.needs_review_again


def test_the_channel_content_carries_everything_for_the_channel(workspace, editor, x_channel):
    campaign = Campaign.objects.create(workspace=workspace, name="S", utm_campaign="spring")
    post = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(
            text="Hi",
            title="A title",
            channels=[x_channel],
            variants={x_channel.pk: "Hi X"},
            campaign=campaign,
            link_url="https://shop.example/a",
            thread=["two", "three"],
            first_comment="More below",
        ),
    ).post
    media_add(post=post, actor=editor, upload=png_upload(), alt_text="A bike")
    content = selectors.post_content_for(post=post, channel=x_channel)
    assert content.text == "Hi X"
    assert content.link.endswith("?utm_source=x&utm_medium=social&utm_campaign=spring")
    assert (content.title, content.thread, content.first_comment) == (
        "A title",
        ("two", "three"),
        "More below",
    )
    (item,) = content.media
    assert (item.mime_type, item.alt_text) == ("image/png", "A bike")
    assert item.file.read()[:4] == b"\x89PNG"
