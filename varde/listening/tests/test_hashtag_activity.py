"""Listening tells the policy guard what a new hashtag is about (issue 11, item 11).

The guard sits below listening, so it asks through ``policy.hooks.hashtag_activity`` and
``listening/policy_reactions.py`` answers from stored mentions: the volume of the last week,
the usual weekly volume, and the newest few posts; or, honestly, that there are none yet.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from varde.listening.models import Mention
from varde.listening.selectors import hashtag_activity
from varde.policy.guard import guard_check_draft
from varde.strategy.models import StrategyPlan

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def aurora_check(workspace):
    StrategyPlan.objects.create(workspace=workspace, require_hashtag_check=True)
    return workspace


def _mention(workspace, n, text, *, days_ago, kind="mastodon", url="https://m.example/p"):
    return Mention.objects.create(
        workspace=workspace,
        source_kind=kind,
        external_id=str(n),
        url=f"{url}/{n}" if url else "",
        author_name=f"Person {n}",
        text=text,
        published_at=NOW - dt.timedelta(days=days_ago),
        received_at=NOW,
    )


def test_volume_usual_volume_and_the_newest_samples(workspace, other_workspace):
    for n in range(5):
        _mention(workspace, n, f"Ute i kveld #Aurora nr {n}", days_ago=n * 0.5)
    _mention(workspace, 10, "Nordlys #auroraborealis", days_ago=1)  # another tag
    _mention(workspace, 11, "Gammel #aurora", days_ago=10)  # the weeks before
    _mention(workspace, 12, "Eldst", days_ago=40)  # listening collected long enough
    _mention(workspace, 13, "Lenke #aurora", days_ago=3)
    _mention(other_workspace, 14, "Andres #aurora", days_ago=1)
    activity = hashtag_activity(workspace=workspace, tag="aurora", now=NOW)
    assert activity.volume == 6
    assert activity.usual_volume == 0  # one in four weeks, rounded
    assert [s.text for s in activity.samples] == [
        "Ute i kveld #Aurora nr 0",
        "Ute i kveld #Aurora nr 1",
        "Ute i kveld #Aurora nr 2",
    ]
    assert activity.samples[0].network.startswith("Mastodon")
    assert activity.samples[0].url == "https://m.example/p/0"
    assert activity.spiking


def test_only_web_addresses_become_links(workspace):
    _mention(workspace, 1, "Lenke #aurora", days_ago=1, url="javascript:alert(1)//")
    (sample,) = hashtag_activity(workspace=workspace, tag="aurora", now=NOW).samples
    assert sample.url == ""


def test_usual_volume_is_unknown_before_listening_has_collected_five_weeks(workspace):
    _mention(workspace, 1, "#aurora", days_ago=1)
    activity = hashtag_activity(workspace=workspace, tag="aurora", now=NOW)
    assert (activity.volume, activity.usual_volume, activity.spiking) == (1, None, False)


def test_the_composer_shows_volume_and_samples(aurora_check, client_as, editor):
    _mention(aurora_check, 1, "Skyting ved kinoen <b>#Aurora</b>", days_ago=1)
    with time_machine.travel(NOW, tick=False):
        html = (
            client_as(editor)
            .post("/w/acme/policy/check/", {"text": "Ny kjole #Aurora"}, HTTP_HX_REQUEST="true")
            .content.decode()
        )
    assert "Warning:" in html
    assert "Listening saw 1 post with it in the last 7 days" in html
    assert "Skyting ved kinoen &lt;b&gt;#Aurora&lt;/b&gt;" in html
    assert 'href="https://m.example/p/1"' in html
    assert "confirm" in html


def test_no_mentions_yet_is_said_plainly(aurora_check):
    with time_machine.travel(NOW, tick=False):
        report = guard_check_draft(
            workspace=aurora_check, author=None, text="#kolleksjon", channel_ids=[]
        )
    (finding,) = report.findings
    assert finding.context is not None
    assert finding.context.volume == 0
    assert "Listening has no mentions of this hashtag yet" in finding.message
    assert not report.blocks
