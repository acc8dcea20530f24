"""The #Aurora rule made proportionate (issue 11, item 11).

A hashtag the plan uses, one the workspace confirmed, or one it published before passes; a new
one warns, and stops the post only where the publishing rules say "block". What listening
knows about the tag comes through ``policy.hooks.hashtag_activity``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from varde.policy import hooks
from varde.policy.choices import NewHashtagRule
from varde.policy.findings import HashtagContext, SamplePost
from varde.policy.guard import Severity, guard_check_draft
from varde.policy.models import GuardSettings
from varde.policy.services import guard_settings_save, hashtag_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _tags(workspace, text):
    report = guard_check_draft(workspace=workspace, author=None, text=text, channel_ids=[])
    return [(f.hashtag, f.severity) for f in report.findings if f.code == "hashtag_unconfirmed"]


def test_a_hashtag_the_plan_uses_passes(plan):
    assert _tags(plan, "Ut på tur #varde") == []


def test_a_hashtag_confirmed_before_passes(plan, editor):
    hashtag_confirm(workspace=plan, tag="sommer", actor=editor)
    assert _tags(plan, "God #Sommer") == []


def test_a_new_hashtag_warns_and_does_not_stop_the_post(plan):
    report = guard_check_draft(workspace=plan, author=None, text="Ny #kolleksjon", channel_ids=[])
    assert _tags(plan, "Ny #kolleksjon") == [("kolleksjon", Severity.WARN)]
    assert not report.blocks


def test_a_new_hashtag_blocks_only_under_a_block_policy(plan, editor):
    guard_settings_save(
        workspace=plan,
        actor=editor,
        signature="off",
        alt_text_required=False,
        avoided_hashtag_blocks=True,
        extra_disclosure_words="",
        new_hashtag=NewHashtagRule.BLOCK,
    )
    assert GuardSettings.objects.get(workspace=plan).new_hashtag == NewHashtagRule.BLOCK
    assert _tags(plan, "Ny #kolleksjon") == [("kolleksjon", Severity.BLOCK)]
    hashtag_confirm(workspace=plan, tag="kolleksjon", actor=editor)
    assert _tags(plan, "Ny #kolleksjon") == []


def test_an_unknown_policy_value_is_refused(plan, editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        guard_settings_save(
            workspace=plan,
            actor=editor,
            signature="off",
            alt_text_required=False,
            avoided_hashtag_blocks=True,
            extra_disclosure_words="",
            new_hashtag="sometimes",
        )


def test_without_a_listening_receiver_the_finding_claims_no_numbers(plan, monkeypatch):
    monkeypatch.setattr(hooks.hashtag_activity, "_callbacks", [])
    report = guard_check_draft(workspace=plan, author=None, text="#kolleksjon", channel_ids=[])
    (finding,) = report.findings
    assert finding.context is None
    assert "Listening" not in finding.message
    assert "Search for #kolleksjon on the networks" in finding.message


def test_the_finding_carries_what_the_receiver_knows(plan, monkeypatch):
    at = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
    known = HashtagContext(
        tag="kolleksjon",
        window=dt.timedelta(days=7),
        volume=40,
        usual_volume=5,
        samples=(SamplePost("Mastodon", "Kari", "Se #kolleksjon", "https://m.example/1", at),),
    )
    monkeypatch.setattr(hooks.hashtag_activity, "_callbacks", [lambda _w, _t: known])
    (finding,) = guard_check_draft(
        workspace=plan, author=None, text="#kolleksjon", channel_ids=[]
    ).findings
    assert finding.context == known
    assert "Listening saw 40 posts with it in the last 7 days, far more than usual" in (
        finding.message
    )
