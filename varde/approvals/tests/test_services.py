"""The review workflow: each transition, the second step, self-approval, edits after approval."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.approvals import selectors, services
from varde.approvals.choices import Decision
from varde.approvals.models import ApprovalDecision
from varde.approvals.tests.conftest import NOON
from varde.content.choices import ApprovalState
from varde.content.services import post_create
from varde.notifications.models import Notification
from varde.publishing import services as publishing
from varde.publishing.choices import DeliveryState

pytestmark = pytest.mark.django_db


def _second_step_on(workspace, owner):
    services.approval_settings_update(
        workspace=workspace, actor=owner, require_second_approval=True
    )


def test_submit_moves_a_draft_to_review_and_tells_the_approvers(  # noqa: PLR0917 - pytest fixtures
    draft, contributor, editor, owner, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit_for_review(post=draft, actor=contributor)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    told = set(Notification.objects.values_list("user_id", flat=True))
    # Those who may decide are told; the author and an analyst are not.
    assert told == {editor.pk, owner.pk}
    assert {m.to[0] for m in mail.outbox} == {editor.email, owner.email}
    assert AuditEvent.objects.filter(action="post.in_review", target_id=str(draft.pk)).exists()


def test_submit_refuses_a_post_already_in_review(draft, contributor):
    services.post_submit_for_review(post=draft, actor=contributor)
    with pytest.raises(ValidationError):
        services.post_submit_for_review(post=draft, actor=contributor)


def test_analyst_cannot_submit(draft, analyst):
    with pytest.raises(PermissionDenied):
        services.post_submit_for_review(post=draft, actor=analyst)


def test_a_contributor_cannot_send_someone_elses_draft(draft, workspace):
    other = member(workspace, Role.CONTRIBUTOR, full_name="Olav Other")
    with pytest.raises(PermissionDenied):
        services.post_submit_for_review(post=draft, actor=other)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.DRAFT


def test_an_editor_may_send_a_contributors_draft(draft, editor):
    services.post_submit_for_review(post=draft, actor=editor)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW


def test_the_review_page_offers_sending_only_to_those_who_may(draft, workspace):
    other = member(workspace, Role.CONTRIBUTOR, full_name="Olav Other")
    client = Client()
    client.force_login(other)
    page = client.get(f"/w/{workspace.slug}/review/posts/{draft.pk}/")
    assert page.status_code == 200
    assert not page.context["may_submit"]
    refused = client.post(f"/w/{workspace.slug}/review/posts/{draft.pk}/submit/")
    assert refused.status_code == 302
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.DRAFT


def test_one_approval_approves_and_schedules_the_planned_deliveries(
    draft, contributor, editor, channel
):
    publishing.delivery_plan(post=draft, channel=channel, at=NOON, actor=contributor)
    services.post_submit_for_review(post=draft, actor=contributor)
    assert draft.deliveries.get().state == DeliveryState.DRAFT

    services.post_approve(post=draft, actor=editor, comment="Fine")

    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.APPROVED
    delivery = draft.deliveries.get()
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.due_at == NOON
    decision = ApprovalDecision.objects.get()
    assert (decision.post, decision.step, decision.decision, decision.actor, decision.comment) == (
        draft,
        1,
        Decision.APPROVE,
        editor,
        "Fine",
    )
    event = AuditEvent.objects.get(action="review.approved")
    assert event.actor == editor
    assert event.detail["comment"] == "Fine"
    # The author hears about it.
    assert Notification.objects.filter(user=contributor, kind="review.approved").exists()


def test_contributor_cannot_approve(draft, contributor, second_editor):
    services.post_submit_for_review(post=draft, actor=contributor)
    assert not selectors.user_may_approve(post=draft, user=contributor)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=draft, actor=contributor)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    assert not ApprovalDecision.objects.exists()


def test_approving_a_draft_is_refused(draft, editor):
    with pytest.raises(ValidationError):
        services.post_approve(post=draft, actor=editor)


def test_editor_may_approve_their_own_post_in_one_step(workspace, editor):
    post = post_create(workspace=workspace, author=editor, text="My own post")
    services.post_submit_for_review(post=post, actor=editor)
    assert selectors.user_may_approve(post=post, user=editor)
    services.post_approve(post=post, actor=editor)
    assert post.approval_state == ApprovalState.APPROVED


def test_second_step_needs_a_different_person(  # noqa: PLR0917 - pytest fixtures
    workspace, owner, draft, contributor, editor, second_editor, channel
):
    _second_step_on(workspace, owner)
    publishing.delivery_plan(post=draft, channel=channel, at=NOON, actor=contributor)
    services.post_submit_for_review(post=draft, actor=contributor)

    services.post_approve(post=draft, actor=editor)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    assert draft.deliveries.get().state == DeliveryState.DRAFT
    # The first approver cannot give the second approval too.
    assert not selectors.user_may_approve(post=draft, user=editor)
    assert draft not in selectors.review_queue(workspace=workspace, user=editor)
    with pytest.raises(ValidationError):
        services.post_approve(post=draft, actor=editor)

    assert draft in selectors.review_queue(workspace=workspace, user=second_editor)
    services.post_approve(post=draft, actor=second_editor)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.APPROVED
    assert draft.deliveries.get().state == DeliveryState.SCHEDULED
    assert [d.step for d in selectors.approval_history(post=draft)] == [1, 2]


def test_self_approval_with_second_step_still_needs_someone_else(
    workspace, owner, editor, second_editor
):
    _second_step_on(workspace, owner)
    post = post_create(workspace=workspace, author=editor, text="Mine")
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=editor)
    assert post.approval_state == ApprovalState.IN_REVIEW
    services.post_approve(post=post, actor=second_editor)
    assert post.approval_state == ApprovalState.APPROVED


def test_request_changes_needs_a_comment_and_tells_the_author(
    draft, contributor, editor, django_capture_on_commit_callbacks
):
    services.post_submit_for_review(post=draft, actor=contributor)
    with pytest.raises(ValidationError):
        services.post_request_changes(post=draft, actor=editor, comment="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_request_changes(post=draft, actor=editor, comment="Add the price")
    assert draft.approval_state == ApprovalState.CHANGES_REQUESTED
    note = Notification.objects.get(user=contributor)
    assert note.kind == "review.changes_requested"
    assert "Add the price" in note.text
    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert AuditEvent.objects.filter(action="review.changes_requested").exists()
    # The author fixes it and sends it again.
    services.post_submit_for_review(post=draft, actor=contributor)
    assert draft.approval_state == ApprovalState.IN_REVIEW


def test_changes_requested_makes_earlier_approvals_stop_counting(  # noqa: PLR0917 - pytest fixtures
    workspace, owner, draft, contributor, editor, second_editor
):
    _second_step_on(workspace, owner)
    services.post_submit_for_review(post=draft, actor=contributor)
    services.post_approve(post=draft, actor=editor)
    services.post_request_changes(post=draft, actor=second_editor, comment="Wrong date")
    services.post_submit_for_review(post=draft, actor=contributor)
    assert selectors.live_approvals(post=draft) == []
    # The first approver's earlier approval no longer counts: they may approve again.
    assert selectors.user_may_approve(post=draft, user=editor)
    services.post_approve(post=draft, actor=editor)
    assert draft.approval_state == ApprovalState.IN_REVIEW


def test_editing_an_approved_post_sends_it_back_and_holds_its_deliveries(
    draft, contributor, editor, owner, channel
):
    publishing.delivery_plan(post=draft, channel=channel, at=NOON, actor=contributor)
    services.post_submit_for_review(post=draft, actor=contributor)
    services.post_approve(post=draft, actor=editor)
    assert draft.deliveries.get().state == DeliveryState.SCHEDULED

    services.post_back_to_review_after_edit(post=draft, actor=contributor)

    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    delivery = draft.deliveries.get()
    assert delivery.state == DeliveryState.DRAFT
    assert delivery.scheduled_at == NOON  # the planned time is kept
    assert selectors.live_approvals(post=draft) == []
    history = selectors.approval_history(post=draft)
    assert len(history) == 1
    assert not history[0].counts
    event = AuditEvent.objects.get(action="review.reset_after_edit")
    assert event.detail["deliveries_held"] == 1
    assert Notification.objects.filter(kind="review.back_to_review", user=editor).exists()
    # Approving again schedules the delivery again.
    services.post_approve(post=draft, actor=editor)
    assert draft.deliveries.get().state == DeliveryState.SCHEDULED


def test_editing_in_review_drops_a_first_approval(workspace, owner, draft, contributor, editor):
    _second_step_on(workspace, owner)
    services.post_submit_for_review(post=draft, actor=contributor)
    services.post_approve(post=draft, actor=editor)
    services.post_back_to_review_after_edit(post=draft, actor=contributor)
    assert draft.approval_state == ApprovalState.IN_REVIEW
    assert selectors.live_approvals(post=draft) == []


def test_editing_a_draft_changes_nothing(draft, contributor):
    services.post_back_to_review_after_edit(post=draft, actor=contributor)
    assert draft.approval_state == ApprovalState.DRAFT
    assert not AuditEvent.objects.filter(action="review.reset_after_edit").exists()


def test_review_queue_is_per_workspace_and_role(  # noqa: PLR0917 - pytest fixtures
    workspace, other_workspace, draft, contributor, editor, client_reviewer, analyst
):
    elsewhere = post_create(workspace=other_workspace, author=None, text="Not yours")
    elsewhere.approval_state = ApprovalState.IN_REVIEW
    elsewhere.save()
    services.post_submit_for_review(post=draft, actor=contributor)
    assert list(selectors.review_queue(workspace=workspace, user=editor)) == [draft]
    assert list(selectors.review_queue(workspace=workspace, user=client_reviewer)) == [draft]
    assert list(selectors.review_queue(workspace=workspace, user=analyst)) == []
    assert list(selectors.review_queue(workspace=workspace, user=contributor)) == []


def test_client_reviewer_member_may_approve(draft, contributor, client_reviewer):
    services.post_submit_for_review(post=draft, actor=contributor)
    services.post_approve(post=draft, actor=client_reviewer)
    assert draft.approval_state == ApprovalState.APPROVED


def test_a_client_without_a_link_cannot_decide(draft, contributor):
    services.post_submit_for_review(post=draft, actor=contributor)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=draft, actor=None, client_name="Somebody")
    with pytest.raises(ValidationError):
        services.post_approve(post=draft, actor=None, client_name="")


def test_the_policy_guard_stops_the_final_approval(workspace, draft, contributor, editor, channel):
    publishing.delivery_plan(post=draft, channel=channel, at=NOON, actor=contributor)
    draft.is_paid = True  # paid, but the text does not say "annonse" or "reklame"
    draft.save()
    services.post_submit_for_review(post=draft, actor=contributor)
    with pytest.raises(ValidationError) as refused:
        services.post_approve(post=draft, actor=editor)
    assert any("Annonse" in message for message in refused.value.messages)
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    assert draft.deliveries.get().state == DeliveryState.DRAFT
    assert not ApprovalDecision.objects.exists()

    draft.text = "Annonse: Summer sale on bikes"
    draft.save()
    services.post_back_to_review_after_edit(post=draft, actor=contributor)
    services.post_approve(post=draft, actor=editor)
    assert draft.approval_state == ApprovalState.APPROVED
    assert draft.deliveries.get().state == DeliveryState.SCHEDULED


def test_the_guard_stops_a_client_approval_too(workspace, draft, contributor, editor):
    draft.is_paid = True
    draft.save()
    services.post_submit_for_review(post=draft, actor=contributor)
    link, token = services.client_link_create(workspace=workspace, posts=[draft], actor=editor)
    with pytest.raises(services.PolicyBlockedError):
        services.client_link_decide(
            link=link, post_id=draft.pk, approve=True, client_name="Kari", comment=""
        )
    draft.refresh_from_db()
    assert draft.approval_state == ApprovalState.IN_REVIEW
    # Through the page: the client is told why, and the team hears of it.
    response = Client().post(
        f"/review/{token}/", {"post": draft.pk, "decision": "approve", "name": "Kari"}
    )
    assert "The team must fix something" in response.content.decode()
    told = Notification.objects.filter(kind="review.client_blocked")
    assert {n.user_id for n in told} == {editor.pk, contributor.pk}
    assert not ApprovalDecision.objects.exists()
