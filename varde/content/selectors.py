"""Reading posts."""

from __future__ import annotations

from varde.content.models import ApprovalState, Post, PostVariant


def post_text_for(*, post: Post, channel_id: int) -> str:
    """The text to send to one channel: its variant if there is one, else the post's text."""
    variant = PostVariant.objects.filter(post=post, channel_id=channel_id).first()
    return variant.text if variant is not None else post.text


def post_is_approved(post: Post) -> bool:
    return post.approval_state == ApprovalState.APPROVED
