"""Every change to posts goes through here (the composer will add more)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from varde.accounts.models import User, Workspace
from varde.accounts.services import audit_record
from varde.channels.models import ConnectedAccount
from varde.content.models import ApprovalState, Post, PostVariant


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
