"""Posts and campaigns: what the team writes, tagged with the parts of the plan it serves.

Publishing reads the text, the per-channel variants and whether the post is approved; the
calendar and the plan meters read the tags (campaign, pillar, mix category, audience, key
message); the policy guard reads the text, the paid flag and the media.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varde.content.choices import ApprovalState, MediaKind, MixCategory


class Campaign(models.Model):
    """One campaign, everywhere: its posts on every channel, the blog and the newsletter."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=160)
    goal = models.ForeignKey(
        "strategy.SocialGoal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("goal it serves"),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    channels = models.ManyToManyField(
        "channels.ConnectedAccount", blank=True, related_name="+", verbose_name=_("channels")
    )
    # UTM defaults: utm_campaign for every link in the campaign's posts; source and medium are
    # filled per channel by the composer unless overridden here.
    utm_campaign = models.CharField(_("campaign name in links (utm_campaign)"), max_length=100)
    utm_medium = models.CharField(_("medium in links (utm_medium)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering: ClassVar[list[str]] = ["-starts_on", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    # A separate title where the network takes one: a YouTube video, a blog post.
    title = models.CharField(_("title"), max_length=200, blank=True)
    approval_state = models.CharField(
        _("approval"), max_length=20, choices=ApprovalState.choices, default=ApprovalState.DRAFT
    )
    # Tags from the strategy: what part of the plan this post serves.
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("campaign"),
    )
    pillar = models.ForeignKey(
        "strategy.ContentPillar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("content pillar"),
    )
    mix_category = models.CharField(
        _("kind of content"), max_length=20, choices=MixCategory.choices, blank=True
    )
    audience = models.ForeignKey(
        "strategy.Audience",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("audience"),
    )
    key_message = models.ForeignKey(
        "strategy.KeyMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("key message"),
    )
    # Paid or sponsored content must carry a clear advertising label (Norwegian marketing law).
    is_paid = models.BooleanField(_("paid or sponsored"), default=False)
    # The link the post promotes, without UTM parameters; the composer adds them per channel.
    link_url = models.URLField(_("link"), max_length=1000, blank=True)
    # Follow-up posts of a thread, in order, where the network has threads.
    thread = models.JSONField(_("thread"), default=list, blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    # Made by the composer page for a new post, so a click on "Save draft" while the first
    # autosave is still on its way finds the post that autosave made instead of making another.
    draft_key = models.CharField(max_length=40, blank=True, default="")
    # Raised by one on every write of the content; a save that read an older version is
    # refused, so two people editing one post never overwrite each other unseen.
    version = models.PositiveIntegerField(default=1)
    # The composer page (its draft key) that wrote the last version: a page's own earlier save
    # racing its next one is not a conflict.
    last_edit_key = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["workspace", "author", "draft_key"],
                condition=~models.Q(draft_key=""),
                name="one_post_per_draft_key",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PostVariant(models.Model):
    """The text for one channel when it differs from the post's own text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(
        "channels.ConnectedAccount", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("text for this channel"))

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_variant_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.channel_id}"


def media_upload_to(instance: PostMedia, filename: str) -> str:
    return f"media/{instance.post.workspace_id}/{filename}"


class PostMedia(models.Model):
    """An image or a video attached to a post, in order, with its alt text."""

    Kind = MediaKind

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("file"), upload_to=media_upload_to, max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # A video's length as its container states it; empty for images and when the file does not say.
    duration_seconds = models.FloatField(null=True, blank=True)
    alt_text = models.TextField(
        _("description for people who cannot see it (alt text)"), blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return str(self.file.name)
