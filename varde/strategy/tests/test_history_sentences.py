"""The plan's history and "what reads differently" in words, in both languages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from varde.demo.plan import demo_plan_seed
from varde.strategy import differences, selectors, services
from varde.strategy.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

# Developer text that must not reach the page: kinds, field names, Python values, JSON, diffs.
RAW = re.compile(
    r"strategy\.[a-z-]+\.|→|\bexists\b|\bNone\b|\bTrue\b|\bFalse\b|\[\]|\[\d|"
    r"\d{4}-\d\d-\d\dT|^[+-]\|",
    re.MULTILINE,
)


def url(name, workspace):
    return reverse(f"strategy:{name}", kwargs={"workspace": workspace.slug})


def _history_section(page: str) -> str:
    return page[page.index('id="changes-title"') :]


@pytest.fixture
def channel_with_new_days(workspace, owner):
    channel = ChannelFactory(workspace=workspace, name="Fjordbakst", network="facebook", days=[])
    services.plan_item_update(
        item=channel, actor=owner, kind="channel-plan", fields={"days": [0, 2]}
    )
    return channel


def test_the_history_says_what_changed_in_english(
    client_as, workspace, owner, channel_with_new_days
):
    page = _history_section(client_as(owner).get(url("history", workspace)).content.decode())
    assert (
        f"{owner.full_name} changed “Facebook: Fjordbakst” in the plan (publishing plan)." in page
    )
    assert "Publishing days: Monday and Wednesday (were none)" in page
    assert not RAW.search(page), RAW.search(page)


def test_the_history_says_what_changed_in_bokmal(
    client_as, workspace, owner, channel_with_new_days
):
    owner.language = "nb"
    owner.save(update_fields=["language"])
    page = _history_section(client_as(owner).get(url("history", workspace)).content.decode())
    assert "endret «Facebook: Fjordbakst» i planen (publiseringsplan)." in page
    assert "Publiseringsdager: mandag og onsdag (var ingen)" in page
    assert not RAW.search(page), RAW.search(page)


def test_a_new_channel_lists_what_it_was_given_in_words(client_as, workspace, owner):
    services.plan_item_create(
        workspace=workspace,
        actor=owner,
        kind="channel",
        fields={"network": "instagram", "name": "@fjordbakst", "exists": True, "followers": 1200},
    )
    page = _history_section(client_as(owner).get(url("history", workspace)).content.decode())
    assert "added “Instagram: @fjordbakst” to the plan (channel)." in page
    assert "We have this account today: yes" in page
    assert "Followers today: 1200" in page
    assert not RAW.search(page), RAW.search(page)


def test_the_overview_says_what_reads_differently_without_a_diff(client_as, workspace, owner):
    demo_plan_seed(workspace=workspace, actor=owner, language="en")
    channel = selectors.publishing_plan_for(workspace, network="instagram")[0]
    page = client_as(owner).get(url("overview", workspace)).content.decode()
    section = page[page.index("What reads differently") : page.index('id="export-title"')]
    assert "Changed: Instagram: @bryggensykkel" in section
    assert "Days: Monday, Wednesday, Friday, Saturday (was Monday, Wednesday, Friday)" in section
    assert "|" not in section
    assert "**" not in section
    assert channel.name in section


def test_differences_pair_rows_and_labels_and_keep_the_rest_as_text():
    then = (
        "# Plan\n\n_Written 1 Dec_\n"
        "## Phase 1\n### Channels today\n\n"
        "| Channel | Followers |\n|---|---|\n| Facebook: Fjordbakst | 100 |\n| X: @old | 5 |\n\n"
        "**Mission:** Bake bread\n\n- Sell more\n"
    )
    now = (
        "# Plan\n\n_Written 7 Dec_\n"
        "## Phase 1\n### Channels today\n\n"
        "| Channel | Followers |\n|---|---|\n| Facebook: Fjordbakst | 150 |\n\n"
        "**Mission:** Bake better bread\n\n- Sell more\n- Open on Sundays\n"
    )
    with translation.override("en"):
        found = differences.differences(then, now)
    assert [section.heading for section in found] == ["Channels today"]
    changes = {(c.kind, c.what): c.fields for c in found[0].changes}
    assert changes[("changed", "Facebook: Fjordbakst")] == ["Followers: 150 (was 100)"]
    assert changes[("changed", "Mission: Bake better bread (was Bake bread)")] == []
    assert ("added", "Open on Sundays") in changes
    assert ("removed", "X: @old · 5") in changes
