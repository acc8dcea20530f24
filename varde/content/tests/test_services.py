from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from varde.content.models import ApprovalState
from varde.content.selectors import post_is_approved, post_text_for
from varde.content.services import post_create, post_set_approval
from varde.sandbox.services import sandbox_channel_create

pytestmark = pytest.mark.django_db


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
