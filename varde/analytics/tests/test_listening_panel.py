"""Listening next to the goals (issue 14, item 6): share of voice and sentiment over time on
the analytics overview, from listening's rollups; without queries the space says so."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from varde.listening.models import ListeningQuery, MentionRollup


def _overview(client, workspace) -> str:
    return client.get(
        reverse("analytics:overview", kwargs={"workspace": workspace.slug})
    ).content.decode()


def test_without_queries_the_space_says_so_and_links_to_them(client, workspace, owner):
    client.force_login(owner)
    html = _overview(client, workspace)
    assert "data-listening-empty" in html
    assert "Create them from the plan" in html
    owner.language = "nb"
    owner.save()
    assert "Lag dem fra planen" in _overview(client, workspace)
    assert reverse("listening:queries", kwargs={"workspace": workspace.slug}) in html


def test_share_of_voice_and_sentiment_from_listening(client, workspace, owner):
    brand = ListeningQuery.objects.create(
        workspace=workspace, name="Acme", text="acme", kind="brand"
    )
    rival = ListeningQuery.objects.create(
        workspace=workspace, name="Rival <b>", text="rival", kind="competitor"
    )
    today = timezone.localdate()
    for query, sentiment, count in (
        (brand, "positive", 6),
        (brand, "negative", 2),
        (rival, "", 8),
    ):
        MentionRollup.objects.create(
            workspace=workspace, query=query, day=today, sentiment=sentiment, count=count
        )
    client.force_login(owner)
    html = _overview(client, workspace)
    assert "data-listening-empty" not in html
    assert "Share of voice" in html
    assert "50 %" in html  # 8 of 16 mentions are the brand's
    assert 'id="listening-voice"' in html
    assert 'id="listening-sentiment"' in html
    assert "Positive" in html
    assert "Rival &lt;b&gt;" in html  # query names are escaped
    owner.language = "nb"
    owner.save()
    html = _overview(client, workspace)
    assert "Synlighetsandel" in html
    assert "Stemningen i omtalene av merkevaren" in html


def test_other_workspaces_queries_are_not_shown(client, workspace, owner, other_workspace):
    ListeningQuery.objects.create(workspace=other_workspace, name="Theirs", text="x", kind="brand")
    client.force_login(owner)
    html = _overview(client, workspace)
    assert "data-listening-empty" in html
    assert "Theirs" not in html
