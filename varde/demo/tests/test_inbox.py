"""The demo workspace's inbox has simulated people in it, labelled as sandbox data."""

from __future__ import annotations

import pytest

from varde.inbox.models import Conversation, ModerationRule, SavedReply

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_inbox_to_try_and_seeding_twice_adds_nothing():
    from varde.demo import demo_create

    result = demo_create()
    conversations = Conversation.objects.filter(workspace=result.workspace)
    count = conversations.count()
    assert count >= 5
    assert conversations.filter(assignee__isnull=False).exists()
    assert SavedReply.objects.filter(workspace=result.workspace).count() == 3
    assert ModerationRule.objects.get(workspace=result.workspace).dry_run_at is not None
    demo_create()
    assert conversations.count() == count
