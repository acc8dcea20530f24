"""Best time to post from the channel's own history (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from varde.analytics import best_time
from varde.analytics.choices import Metric, MetricSource
from varde.analytics.models import DailyMetric
from varde.analytics.tests.conftest import published
from varde.sandbox.services import sandbox_channel_create

OSLO = ZoneInfo("Europe/Oslo")
# A Monday, well in the past, so every post has its next-day reading.
START = dt.datetime(2026, 1, 5, tzinfo=OSLO)


@pytest.fixture
def channel(workspace, owner):
    return sandbox_channel_create(workspace=workspace, label="Sandbox", actor=owner)


def _post(channel, at: dt.datetime, engagement: int, number: int) -> None:
    delivery = published(channel, network_post_id=f"sandbox-{number}", at=at)
    next_day = at.astimezone(OSLO).date() + dt.timedelta(days=1)
    likes, replies = engagement - engagement // 3, engagement // 3
    for metric, value in ((Metric.LIKES, likes), (Metric.REPLIES, replies)):
        DailyMetric.objects.create(
            workspace=channel.workspace,
            channel=channel,
            delivery=delivery,
            day=next_day,
            metric=metric,
            value=value,
            source=MetricSource.SANDBOX,
            read_at=timezone.now(),
        )
    # A reading two days later (a higher lifetime count) must not be taken for the first day.
    DailyMetric.objects.create(
        workspace=channel.workspace,
        channel=channel,
        delivery=delivery,
        day=next_day + dt.timedelta(days=1),
        metric=Metric.LIKES,
        value=10_000,
        source=MetricSource.SANDBOX,
        read_at=timezone.now(),
    )


def _history(channel, weeks: int) -> None:
    """Tuesdays 09:00 do three times as well as Thursdays 15:00."""
    number = 0
    for week in range(weeks):
        monday = START + dt.timedelta(weeks=week)
        for at, engagement in (
            (monday + dt.timedelta(days=1, hours=9), 30),
            (monday + dt.timedelta(days=3, hours=15), 10),
        ):
            number += 1
            _post(channel, at, engagement, number)


def test_the_best_slot_comes_from_the_history(channel):
    _history(channel, weeks=8)
    result = best_time.best_times(channel=channel, zone=OSLO, today=dt.date(2026, 3, 30))
    assert result.scored == 16
    assert result.enough
    tuesday_9, thursday_15 = result.cells[1][3], result.cells[3][5]
    assert (tuesday_9.posts, thursday_15.posts) == (8, 8)
    assert tuesday_9.score is not None
    assert thursday_15.score is not None
    assert tuesday_9.score > thursday_15.score
    best = result.suggestions[0]
    assert (best.weekday, best.start_hour, best.untried) == (1, 9, False)
    # One untried slot next to the best one keeps the schedule learning.
    assert [s for s in result.suggestions if s.untried] == [
        best_time.Suggestion(weekday=1, block=2, untried=True)
    ]
    # Thursday did worse than usual: it is no suggestion.
    assert all(s.weekday != 3 for s in result.suggestions)


def test_few_posts_are_shrunk_towards_the_mean():
    posts = [
        best_time.ScoredPost(published_at=START + dt.timedelta(hours=9), engagement=50, score=5.0),
        *[
            best_time.ScoredPost(
                published_at=START + dt.timedelta(days=2, hours=12), engagement=10, score=1.0
            )
            for _ in range(9)
        ],
    ]
    cells = best_time.cells_of(posts)
    lone = cells[0][3]
    assert lone.posts == 1
    assert lone.score is not None
    assert 1.0 < lone.score < 5.0  # one lucky post does not make the best slot


def test_too_little_history_ranks_nothing_and_says_how_much_is_missing(channel):
    _history(channel, weeks=2)
    result = best_time.best_times(channel=channel, zone=OSLO, today=dt.date(2026, 3, 30))
    assert result.scored == 4
    assert not result.enough
    assert result.missing == best_time.MIN_POSTS - 4
    assert result.suggestions == []


def test_a_post_without_its_next_day_reading_is_left_out(channel):
    published(channel, network_post_id="sandbox-unread", at=START)
    result = best_time.best_times(channel=channel, zone=OSLO, today=dt.date(2026, 3, 30))
    assert result.scored == 0


def test_the_page_shows_the_table_and_the_numbers_behind_it(client, workspace, owner, channel):
    _history(channel, weeks=8)
    client.force_login(owner)
    page = client.get(
        f"/w/{workspace.slug}/analytics/best-time/?channel={channel.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tuesday" in html
    assert "09:00–12:00" in html
    assert "8 posts" in html


def test_the_page_says_how_many_posts_are_missing(client, workspace, owner, channel):
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/analytics/best-time/?channel={channel.pk}")
    assert page.status_code == 200
    assert str(best_time.MIN_POSTS) in page.content.decode()


def test_the_command_prints_the_cells_as_json(channel, workspace, capsys):
    import json

    from varde.cli import main

    _history(channel, weeks=8)
    code = main(
        ["analytics", "best-time", "--workspace", workspace.slug, "--channel", "Sandbox", "--json"]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["posts_scored"] == 16
    first = document["suggestions"][0]
    assert (first["weekday"], first["hours"], first["posts"]) == ("Tuesday", "09:00–12:00", 8)
    assert {"weekday": "Thursday", "hours": "15:00–18:00", "posts": 8}.items() <= document["cells"][
        1
    ].items()
