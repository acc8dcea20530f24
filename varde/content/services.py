"""Every change to posts, their media and campaigns goes through here.

The composer saves a draft many times while someone writes (autosave); ``post_write_draft`` is
the content half of that one write path. The other half, where and when the post goes out, is
``varde.composer.services.post_save_draft``: content sits below publishing in the layers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.content.choices import ApprovalState, MixCategory
from varde.content.media import inspect_upload
from varde.content.models import Campaign, Post, PostMedia, PostVariant

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.strategy.models import Audience, ContentPillar, KeyMessage, SocialGoal

MAX_MEDIA_PER_POST = 20


@transaction.atomic
def post_create(
    *,
    workspace: Workspace,
    author: User | None,
    text: str,
    channel_texts: dict[ConnectedAccount, str] | None = None,
    approval_state: str = ApprovalState.DRAFT,
) -> Post:
    if not text.strip():
        raise ValidationError(_("Write something before saving the post."))
    post = Post.objects.create(
        workspace=workspace, author=author, text=text, approval_state=approval_state
    )
    for channel, channel_text in (channel_texts or {}).items():
        post_set_channel_text(post=post, channel=channel, text=channel_text)
    return post


def post_set_channel_text(*, post: Post, channel: ConnectedAccount, text: str) -> None:
    if channel.workspace_id != post.workspace_id:
        raise ValidationError(_("That channel belongs to another workspace."))
    if text.strip():
        PostVariant.objects.update_or_create(post=post, channel=channel, defaults={"text": text})
    else:
        PostVariant.objects.filter(post=post, channel=channel).delete()


def post_locked(post: Post) -> Post:
    """The post's row, locked for the caller's transaction, so two decisions cannot cross."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("workspace", "author")
        .get(pk=post.pk)
    )


@transaction.atomic
def post_set_approval(*, post: Post, state: str, actor: User | None) -> Post:
    if state not in ApprovalState.values:
        raise ValidationError(_("Unknown approval state."))
    if post.approval_state == state:
        return post
    previous = post.approval_state
    post.approval_state = state
    post.save(update_fields=["approval_state", "updated_at"])
    audit_record(
        action=f"post.{state}",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={"from": previous},
    )
    return post


@transaction.atomic
def post_set_mix_category(*, post: Post, mix_category: str) -> Post:
    """Tag the post with a kind of content (imports and the demo; the composer saves a draft)."""
    if mix_category and mix_category not in MixCategory.values:
        raise ValidationError(_("Choose one of the kinds of content."))
    post.mix_category = mix_category
    post.save(update_fields=["mix_category", "updated_at"])
    return post


# --- The composer's draft -----------------------------------------------------------------


@dataclass
class Draft:
    """Everything the composer form holds, already parsed (ids resolved, time in UTC)."""

    text: str
    channels: list[ConnectedAccount] = field(default_factory=list)
    variants: dict[int, str] = field(default_factory=dict)  # channel id -> own text
    title: str = ""
    campaign: Campaign | None = None
    pillar: ContentPillar | None = None
    mix_category: str = ""
    audience: Audience | None = None
    key_message: KeyMessage | None = None
    is_paid: bool = False
    link_url: str = ""
    thread: list[str] = field(default_factory=list)
    first_comment: str = ""
    planned_at: dt.datetime | None = None
    alt_texts: dict[int, str] = field(default_factory=dict)  # media id -> alt text
    draft_key: str = ""  # the composer page's key for a new post (see Post.draft_key)
    # The post's version the page was showing; None for "do not check" (imports, copies).
    base_version: int | None = None


class StaleVersionError(ValidationError):
    """The post was saved by someone else since this page read it: nothing was written."""

    def __init__(self, current: Post) -> None:
        super().__init__(
            _("Someone else saved this post while you were editing it. Your text is not saved.")
        )
        self.current = current


_SIMPLE_FIELDS = (
    "text",
    "title",
    "mix_category",
    "is_paid",
    "link_url",
    "thread",
    "first_comment",
)
_RELATED_FIELDS = ("campaign", "pillar", "audience", "key_message")


def _check_draft(workspace: Workspace, draft: Draft) -> None:
    if not draft.text.strip():
        raise ValidationError({"text": _("Write something before saving the post.")})
    for channel in draft.channels:
        if channel.workspace_id != workspace.pk:
            raise ValidationError({"channels": _("That channel belongs to another workspace.")})
    for name in _RELATED_FIELDS:
        related = getattr(draft, name)
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError({name: _("That choice belongs to another workspace.")})
    if draft.mix_category and draft.mix_category not in MixCategory.values:
        raise ValidationError({"mix_category": _("Choose one of the kinds of content.")})
    if draft.planned_at is not None and dt.datetime.utcoffset(draft.planned_at) is None:
        raise ValueError("planned_at must be timezone-aware")


def _post_of_draft_key(workspace: Workspace, actor: User, key: str) -> Post | None:
    """The post an earlier save from the same composer page made. On SQLite saves are
    serialised (IMMEDIATE transactions); on PostgreSQL two first saves racing to the
    millisecond meet the unique constraint, and the losing request fails without a second
    post (the page's next autosave then finds the first)."""
    return (
        Post.objects.select_for_update()
        .filter(workspace=workspace, draft_key=key, author=actor)
        .first()
    )


@dataclass(frozen=True)
class Written:
    """What ``post_write_draft`` did to the post's own content."""

    post: Post
    created: bool
    changed: bool  # text, tags, channel texts or image descriptions changed


# No savepoint: the composer's post_save_draft calls this inside its own transaction, and a
# savepoint on every autosave would cost two statements for nothing.
@transaction.atomic(savepoint=False)
def post_write_draft(
    *, workspace: Workspace, actor: User, draft: Draft, post: Post | None = None
) -> Written:
    """Create the post, or write the draft's content over it: fields, channel texts, image
    descriptions. Where and when it goes out (deliveries) is the composer's part
    (``varde.composer.services.post_save_draft``), which calls this first.

    Idempotent: writing the same draft twice changes nothing the second time.
    """
    _check_draft(workspace, draft)
    if post is None and draft.draft_key:
        post = _post_of_draft_key(workspace, actor, draft.draft_key)
    created = post is None
    if post is None:
        post = Post(workspace=workspace, author=actor, draft_key=draft.draft_key)
    elif post.workspace_id != workspace.pk:
        raise ValidationError(_("That post belongs to another workspace."))
    else:
        # Read the row again under the transaction: autosave and a click may race.
        post = Post.objects.select_for_update().get(pk=post.pk)
        _refuse_stale(post, draft)

    changed = created
    for name in _SIMPLE_FIELDS:
        value = getattr(draft, name)
        if getattr(post, name) != value:
            setattr(post, name, value)
            changed = True
    for name in _RELATED_FIELDS:
        value = getattr(draft, name)
        if getattr(post, f"{name}_id") != (value.pk if value is not None else None):
            setattr(post, name, value)
            changed = True
    if changed:
        post.save()

    chosen = {channel.pk: channel for channel in draft.channels}
    changed |= _save_variants(post, chosen, draft.variants)
    changed |= _save_alt_texts(post, draft.alt_texts)
    return Written(post=post, created=created, changed=changed)


def _refuse_stale(post: Post, draft: Draft) -> None:
    """A save from a page that read an older version is refused, unless that page itself wrote
    the newer one (its autosave and its "Save draft" crossing)."""
    if draft.base_version is None or draft.base_version == post.version:
        return
    if draft.draft_key and draft.draft_key == post.last_edit_key:
        return
    raise StaleVersionError(post)


def post_mark_edited(*, post: Post, edit_key: str) -> Post:
    """One more version of the post (the composer calls this when a save changed anything)."""
    Post.objects.filter(pk=post.pk).update(
        version=F("version") + 1, last_edit_key=edit_key[:40], updated_at=timezone.now()
    )
    post.refresh_from_db(fields=["version", "last_edit_key", "updated_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, actor: User) -> None:
    """Remove a post from Varde for good. The composer's ``post_delete_or_take_down`` decides
    when this is allowed (nothing of it is on a network, or on its way there)."""
    audit_record(
        action="post.deleted",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={"post": post.pk, "text": post.text[:200]},
    )
    files = [(item.file.storage, item.file.name) for item in PostMedia.objects.filter(post=post)]
    post.delete()

    def remove_files() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    # The files go only once the rows are gone for good.
    transaction.on_commit(remove_files)


def _save_variants(
    post: Post, chosen: dict[int, ConnectedAccount], variants: dict[int, str]
) -> bool:
    existing = {v.channel_id: v for v in PostVariant.objects.filter(post=post)}
    changed = False
    for channel_id, channel in chosen.items():
        text = variants.get(channel_id, "")
        current = existing.get(channel_id)
        if text.strip() and (current is None or current.text != text):
            post_set_channel_text(post=post, channel=channel, text=text)
            changed = True
        elif not text.strip() and current is not None:
            current.delete()
            changed = True
    return changed


def _save_alt_texts(post: Post, alt_texts: dict[int, str]) -> bool:
    changed = False
    for item in PostMedia.objects.filter(post=post, pk__in=list(alt_texts)):
        text = alt_texts[item.pk].strip()
        if item.alt_text != text:
            media_set_alt_text(media=item, alt_text=text)
            changed = True
    return changed


@transaction.atomic(savepoint=False)
def post_copy(*, post: Post, actor: User) -> Post:
    """A new post with the same text, tags, variants and media; no time, no approval. The
    composer's ``post_duplicate`` also puts the copy on the same channels."""
    copy = Post.objects.create(
        workspace=post.workspace,
        author=actor,
        **{name: getattr(post, name) for name in _SIMPLE_FIELDS},
        **{f"{name}_id": getattr(post, f"{name}_id") for name in _RELATED_FIELDS},
    )
    PostVariant.objects.bulk_create(
        PostVariant(post=copy, channel_id=v.channel_id, text=v.text) for v in post.variants.all()
    )
    for item in post.media.all():
        item.file.open("rb")
        try:
            data = item.file.read()
        finally:
            item.file.close()
        duplicate = PostMedia(
            post=copy,
            kind=item.kind,
            mime_type=item.mime_type,
            size_bytes=item.size_bytes,
            width=item.width,
            height=item.height,
            alt_text=item.alt_text,
            position=item.position,
        )
        duplicate.file.save(PurePath(item.file.name).name, ContentFile(data), save=False)
        duplicate.save()
    return copy


# --- Media ----------------------------------------------------------------------------------


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}


@transaction.atomic
def media_add(*, post: Post, actor: User, upload: UploadedFile, alt_text: str = "") -> PostMedia:
    """Attach a file after reading what it really is; the name on disk is ours, not the user's."""
    if post.media.count() >= MAX_MEDIA_PER_POST:
        raise ValidationError(
            _("A post can have at most %(count)s files.") % {"count": MAX_MEDIA_PER_POST}
        )
    facts = inspect_upload(upload, upload.size or 0)
    position = post.media.order_by("-position").values_list("position", flat=True).first() or 0
    item = PostMedia(
        post=post,
        kind=facts.kind,
        mime_type=facts.mime_type,
        size_bytes=facts.size_bytes,
        width=facts.width,
        height=facts.height,
        duration_seconds=facts.duration_seconds,
        alt_text=alt_text.strip(),
        position=position + 1,
    )
    item.file.save(f"{uuid.uuid4().hex}.{_EXTENSIONS[facts.mime_type]}", upload, save=False)
    item.save()
    audit_record(
        action="post.media_added",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={"media": item.pk, "type": facts.mime_type, "bytes": facts.size_bytes},
    )
    return item


@transaction.atomic
def media_set_alt_text(*, media: PostMedia, alt_text: str) -> PostMedia:
    media.alt_text = alt_text.strip()
    media.save(update_fields=["alt_text"])
    return media


@transaction.atomic
def media_remove(*, media: PostMedia, actor: User) -> None:
    post = media.post
    name = media.file.name
    media.delete()
    # Remove the file only once the row is gone for good.
    transaction.on_commit(lambda: media.file.storage.delete(name) if name else None)
    audit_record(
        action="post.media_removed",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={"media": name},
    )


# --- Campaigns ------------------------------------------------------------------------------


@dataclass
class CampaignData:
    name: str
    goal: SocialGoal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    channels: list[ConnectedAccount] = field(default_factory=list)
    utm_campaign: str = ""
    utm_medium: str = ""
    description: str = ""


def _check_campaign(workspace: Workspace, data: CampaignData) -> None:
    if not data.name.strip():
        raise ValidationError({"name": _("Give the campaign a name.")})
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    if data.goal is not None and data.goal.workspace_id != workspace.pk:
        raise ValidationError({"goal": _("That goal belongs to another workspace.")})
    if any(channel.workspace_id != workspace.pk for channel in data.channels):
        raise ValidationError({"channels": _("That channel belongs to another workspace.")})


def _apply_campaign(campaign: Campaign, data: CampaignData) -> None:
    campaign.name = data.name.strip()
    campaign.goal = data.goal
    campaign.starts_on = data.starts_on
    campaign.ends_on = data.ends_on
    campaign.utm_campaign = slugify(data.utm_campaign or data.name)[:100] or "campaign"
    campaign.utm_medium = slugify(data.utm_medium)[:100]
    campaign.description = data.description
    campaign.save()
    campaign.channels.set(data.channels)


@transaction.atomic
def campaign_create(*, workspace: Workspace, actor: User, data: CampaignData) -> Campaign:
    _check_campaign(workspace, data)
    campaign = Campaign(workspace=workspace)
    _apply_campaign(campaign, data)
    audit_record(action="campaign.created", workspace=workspace, actor=actor, target=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User, data: CampaignData) -> Campaign:
    _check_campaign(campaign.workspace, data)
    _apply_campaign(campaign, data)
    audit_record(
        action="campaign.updated", workspace=campaign.workspace, actor=actor, target=campaign
    )
    return campaign
