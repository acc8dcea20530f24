"""Draft deliveries: planned in the calendar, sent only after approval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState
from varde.publishing.tests.conftest import NOON

pytestmark = pytest.mark.django_db


def test_planned_delivery_is_not_sent_until_released(post, channel, second_channel, editor):
    first = services.delivery_plan(post=post, channel=channel, at=NOON, actor=editor)
    services.delivery_plan(post=post, channel=second_channel, at=None, actor=editor)
    assert first.state == DeliveryState.DRAFT
    assert first.due_at is None

    assert not engine.publish_one(worker="w", now=NOON + timedelta(minutes=1))

    released = services.deliveries_release_planned(post=post, actor=editor)
    # Only the delivery with a planned time is scheduled; the other stays a draft.
    assert [d.channel_id for d in released] == [channel.pk]
    assert released[0].state == DeliveryState.SCHEDULED
    assert released[0].due_at == NOON


def test_hold_for_review_takes_scheduled_back_to_draft(post, channel, editor):
    services.delivery_schedule(post=post, channel=channel, at=NOON, actor=editor)
    assert services.deliveries_hold_for_review(post=post) == 1
    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.DRAFT
    assert delivery.scheduled_at == NOON
    assert delivery.due_at is None
