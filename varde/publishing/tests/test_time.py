"""Times are stored in UTC and entered in the workspace's zone; 09:00 stays 09:00 across DST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from varde.lib.timeutil import local_to_utc, parse_when
from varde.publishing import engine, services
from varde.publishing.choices import DeliveryState
from varde.sandbox.models import SandboxPost

pytestmark = pytest.mark.django_db


def wall(*parts: int) -> datetime:
    """A wall-clock time as a person types it: naive on purpose."""
    return datetime(*parts)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("local", "expected_utc"),
    [
        # Oslo spring change: 30 March 2025, 02:00 CET -> 03:00 CEST.
        (wall(2025, 3, 29, 9, 0), datetime(2025, 3, 29, 8, 0, tzinfo=UTC)),
        (wall(2025, 3, 30, 9, 0), datetime(2025, 3, 30, 7, 0, tzinfo=UTC)),
        # Autumn change: 26 October 2025, 03:00 CEST -> 02:00 CET.
        (wall(2025, 10, 25, 9, 0), datetime(2025, 10, 25, 7, 0, tzinfo=UTC)),
        (wall(2025, 10, 26, 9, 0), datetime(2025, 10, 26, 8, 0, tzinfo=UTC)),
        # 02:30 does not exist in spring: it moves forward by the gap, to 03:30 CEST.
        (wall(2025, 3, 30, 2, 30), datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice in autumn: the first one (CEST).
        (wall(2025, 10, 26, 2, 30), datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
    ],
)
def test_local_to_utc_in_oslo(local, expected_utc):
    assert local_to_utc(local, "Europe/Oslo") == expected_utc


def test_parse_when_uses_the_offset_when_given():
    assert parse_when("2025-03-30T09:00+00:00", "Europe/Oslo") == datetime(
        2025, 3, 30, 9, 0, tzinfo=UTC
    )
    assert parse_when("2025-03-30T09:00", "Europe/Oslo") == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("entered_on", "local_day", "utc_hour"),
    [
        # Entered in winter time for a day after the spring change.
        (datetime(2025, 3, 20, 12, 0, tzinfo=UTC), wall(2025, 3, 31, 9, 0), 7),
        # Entered in summer time for a day after the autumn change.
        (datetime(2025, 10, 20, 12, 0, tzinfo=UTC), wall(2025, 10, 27, 9, 0), 8),
    ],
)
def test_nine_local_goes_out_at_nine_local_across_dst(  # noqa: PLR0917 - pytest fixtures
    post, channel, editor, entered_on, local_day, utc_hour
):
    with time_machine.travel(entered_on, tick=False):
        delivery = services.delivery_schedule_local(
            post=post, channel=channel, local=local_day, actor=editor
        )
    assert delivery.scheduled_at.hour == utc_hour
    one_hour_early = delivery.scheduled_at.replace(hour=utc_hour - 1)
    with time_machine.travel(one_hour_early, tick=False):
        assert not engine.publish_one(worker="w")
    with time_machine.travel(delivery.scheduled_at, tick=False):
        assert engine.publish_one(worker="w")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    received = SandboxPost.objects.get().received_at
    local = received.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Oslo"))
    assert (local.hour, local.minute) == (9, 0)
