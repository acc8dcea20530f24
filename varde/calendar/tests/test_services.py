"""Moving a post: every not-yet-sent delivery by the same wall-clock offset."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from varde.accounts.models import AuditEvent
from varde.calendar.services import post_move
from varde.calendar.tests.conftest import local, make_post
from varde.content.choices import ApprovalState
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.publishing.services import delivery_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English ones (the default language is bokmål)."""
    with translation.override("en"):
        yield


def _at(post, channel):
    return Delivery.objects.get(post=post, channel=channel)


def test_every_delivery_moves_by_the_same_offset(workspace, editor, instagram, facebook, frozen):
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0))
    delivery_plan(post=post, channel=facebook, at=local(2026, 3, 18, 13, 0), actor=editor)
    result = post_move(
        post=post,
        to_date=dt.date(2026, 3, 20),
        to_time=dt.time(9, 0),
        from_local=dt.datetime(2026, 3, 18, 13, 0),  # the Facebook one was dragged  # noqa: DTZ001 - local wall clock
        actor=editor,
    )
    assert result.offset == dt.timedelta(days=1, hours=20)
    assert _at(post, facebook).scheduled_at == local(2026, 3, 20, 9, 0)
    assert _at(post, instagram).scheduled_at == local(2026, 3, 20, 7, 0)
    assert _at(post, instagram).state == DeliveryState.DRAFT  # a plan stays a plan
    assert AuditEvent.objects.filter(action="post.moved").count() == 1


def test_wall_clock_time_is_kept_across_dst(workspace, editor, instagram, frozen):
    post = make_post(
        workspace,
        editor,
        [instagram],
        local(2026, 3, 27, 9, 0),
        state=ApprovalState.APPROVED,
        schedule=True,
    )
    post_move(post=post, to_date=dt.date(2026, 3, 31), to_time=None, from_local=None, actor=editor)
    delivery = _at(post, instagram)
    assert delivery.scheduled_at == dt.datetime(2026, 3, 31, 7, 0, tzinfo=dt.UTC)  # 09:00 CEST
    assert delivery.due_at == delivery.scheduled_at
    assert delivery.state == DeliveryState.SCHEDULED


def test_sent_channels_stay_and_are_reported(workspace, editor, instagram, facebook, frozen):
    post = make_post(workspace, editor, [instagram, facebook], local(2026, 3, 18, 11, 0))
    Delivery.objects.filter(post=post, channel=instagram).update(state=DeliveryState.PUBLISHED)
    result = post_move(
        post=post, to_date=dt.date(2026, 3, 19), to_time=None, from_local=None, actor=editor
    )
    assert result.moved == ("Facebook",)
    assert result.kept == ("Instagram",)
    assert _at(post, instagram).scheduled_at == local(2026, 3, 18, 11, 0)
    assert _at(post, facebook).scheduled_at == local(2026, 3, 19, 11, 0)


@pytest.mark.parametrize("state", [DeliveryState.PUBLISHING, DeliveryState.PUBLISHED])
def test_a_post_that_has_gone_out_cannot_move(state, workspace, editor, instagram, frozen):
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0))
    Delivery.objects.filter(post=post).update(state=state)
    with pytest.raises(ValidationError, match="already gone out on Instagram"):
        post_move(
            post=post, to_date=dt.date(2026, 3, 19), to_time=None, from_local=None, actor=editor
        )


def test_moving_into_the_past_is_refused_and_changes_nothing(
    workspace, editor, instagram, facebook, frozen
):
    post = make_post(workspace, editor, [instagram], local(2026, 3, 18, 11, 0))
    delivery_plan(post=post, channel=facebook, at=local(2026, 3, 18, 7, 0), actor=editor)
    with pytest.raises(ValidationError, match="already passed"):
        # Facebook would land at 07:00 today; it is 09:00 now.
        post_move(
            post=post,
            to_date=dt.date(2026, 3, 16),
            to_time=dt.time(11, 0),
            from_local=dt.datetime(2026, 3, 18, 11, 0),  # noqa: DTZ001 - local wall clock
            actor=editor,
        )
    assert _at(post, instagram).scheduled_at == local(2026, 3, 18, 11, 0)
    assert _at(post, facebook).scheduled_at == local(2026, 3, 18, 7, 0)
