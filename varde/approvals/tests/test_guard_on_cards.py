"""The review queue shows the policy guard's verdict and offers the fix, not a doomed Approve."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from varde.approvals import services
from varde.composer.services import post_save_draft
from varde.content.services import Draft
from varde.policy.choices import NewHashtagRule
from varde.policy.models import GuardSettings
from varde.sandbox.services import sandbox_channel_create

pytestmark = pytest.mark.django_db


def test_a_blocked_post_shows_the_verdict_and_the_fix_instead_of_approve(
    client_as, workspace, owner, editor
):
    # A new hashtag only warns unless the publishing rules say "block" (issue 11, item 11).
    GuardSettings.objects.create(workspace=workspace, new_hashtag=NewHashtagRule.BLOCK)
    channel = sandbox_channel_create(workspace=workspace, label="Sandkasse", actor=owner)
    later = timezone.now() + dt.timedelta(days=1)
    blocked = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="Join the #brandnewtag fun", channels=[channel], planned_at=later),
    ).post
    fine = post_save_draft(
        workspace=workspace,
        actor=editor,
        draft=Draft(text="A calm post about bikes", channels=[channel], planned_at=later),
    ).post
    for post in (blocked, fine):
        services.post_submit_for_review(post=post, actor=editor)
    page = client_as(editor).get(f"/w/{workspace.slug}/review/").content.decode()
    card_blocked = page[page.index(f'id="post-{blocked.pk}"') :]
    card_blocked = card_blocked[: card_blocked.index("</article>")]
    card_fine = page[page.index(f'id="post-{fine.pk}"') :]
    card_fine = card_fine[: card_fine.index("</article>")]
    assert 'data-guard="blocks"' in card_blocked
    assert "Confirm #brandnewtag" in card_blocked
    assert "Fix it in the editor" in card_blocked
    assert f"/review/posts/{blocked.pk}/approve/" not in card_blocked
    assert 'data-guard="ok"' in card_fine or 'data-guard="warns"' in card_fine
    assert "approve/" in card_fine
