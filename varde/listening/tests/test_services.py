"""Queries, queries from the plan, sources and their reads, retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from varde.listening import pipeline, services
from varde.listening.choices import QueryKind
from varde.listening.models import (
    ListeningQuery,
    Mention,
    MentionHourRollup,
    MentionRollup,
    Source,
    SourceRun,
)
from varde.listening.tests.helpers import (
    BrokenSource,
    Item,
    ListSource,
    lookup_from,
    make_source,
)
from varde.strategy.models import Competitor, HashtagRule, HashtagUse

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def test_a_query_with_errors_is_refused_in_the_users_language(workspace):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.query_create(workspace=workspace, name="X", text="(varde")
    assert "parentes" in " ".join(refused.value.messages).lower()


def test_query_names_are_unique_per_workspace(workspace, other_workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    services.query_create(workspace=other_workspace, name="Brand", text="varde")
    with pytest.raises(ValidationError):
        services.query_create(workspace=workspace, name="Brand", text="annet")


def test_queries_from_the_plan_once(workspace):
    Competitor.objects.create(
        workspace=workspace, name="Rival AS", handles=[{"network": "x", "handle": "@rival"}]
    )
    HashtagRule.objects.create(workspace=workspace, tag="#VardeDager", use=HashtagUse.USE)
    HashtagRule.objects.create(workspace=workspace, tag="aurora", use=HashtagUse.AVOID)
    first = services.queries_create_from_plan(workspace=workspace)
    again = services.queries_create_from_plan(workspace=workspace)
    made = {q.kind: q.text for q in ListeningQuery.objects.filter(workspace=workspace)}
    assert made == {
        QueryKind.BRAND: "Acme",
        QueryKind.COMPETITOR: '"Rival AS" OR @rival',
        QueryKind.CAMPAIGN: "#vardedager",
        QueryKind.HASHTAG_TO_AVOID: "#aurora",
    }
    assert (len(first.created), first.problems) == (4, [])
    assert (len(again.created), again.existing) == (0, 4)


def test_from_the_plan_does_not_clash_with_a_query_of_the_same_name(workspace):
    services.query_create(workspace=workspace, name="Acme", text="acme")
    services.queries_create_from_plan(workspace=workspace)
    assert set(ListeningQuery.objects.values_list("name", flat=True)) == {"Acme", "Acme (2)"}


def test_a_source_needs_a_web_address(workspace):
    with pytest.raises(ValidationError):
        services.source_create(workspace=workspace, kind="rss", url="file:///etc/passwd")
    source = services.source_create(workspace=workspace, kind="RSS", url="https://vg.no/rss")
    assert (source.kind, source.name, source.config) == (
        "rss",
        "https://vg.no/rss",
        {"url": "https://vg.no/rss"},
    )


def test_reading_a_source_stores_matches_and_moves_the_cursor(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    source = make_source(workspace, "test", config={"x": 1})
    reader = ListSource([Item(str(n), f"Varde {n}", published_at=NOW) for n in range(3)], page=2)
    lookup = lookup_from({"test": reader})

    first = services.source_read(source_id=source.pk, now=NOW, lookup=lookup)
    second = services.source_read(source_id=source.pk, now=NOW, lookup=lookup)
    third = services.source_read(source_id=source.pk, now=NOW, lookup=lookup)

    assert [(o.read, o.stored) for o in (first, second, third)] == [(2, 2), (1, 1), (0, 0)]
    assert reader.calls == [({"x": "1"}, None), ({"x": "1"}, "2"), ({"x": "1"}, "3")]
    source.refresh_from_db()
    assert (source.cursor, source.items_read, source.items_stored, source.last_error) == (
        "3",
        3,
        3,
        "",
    )
    assert Mention.objects.filter(source=source).count() == 3
    assert SourceRun.objects.filter(source=source).count() == 3


def test_a_broken_source_never_stops_the_others(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    broken = make_source(workspace, "broken", name="Broken")
    good = make_source(workspace, "test", name="Good")
    unknown = make_source(workspace, "nowhere", name="Gone")
    lookup = lookup_from(
        {"broken": BrokenSource(), "test": ListSource([Item("1", "Varde", published_at=NOW)])}
    )

    outcomes = services.sources_read_all(now=NOW, lookup=lookup)

    assert {o.source_id: o.ok for o in outcomes} == {
        broken.pk: False,
        good.pk: True,
        unknown.pk: False,
    }
    broken.refresh_from_db()
    assert broken.last_error == "ConnectionError: the feed answered 503"
    assert broken.last_read_at == NOW
    assert broken.cursor == ""
    assert Mention.objects.count() == 1


def test_a_paused_source_is_not_read(workspace):
    source = make_source(workspace, "test")
    services.source_set_enabled(source=source, enabled=False)
    reader = ListSource([])
    assert services.source_read(source_id=source.pk, lookup=lookup_from({"test": reader})) is None
    assert reader.calls == []


def test_retention_deletes_old_mentions_and_keeps_the_daily_counts(workspace, other_workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    services.listening_settings_update(workspace=workspace, retention_days=30)
    services.mentions_ingest(
        workspace=workspace,
        items=[
            Item("old", "Varde old", published_at=NOW - dt.timedelta(days=20)),
            Item("new", "Varde new", published_at=NOW),
        ],
        now=NOW,
        sentiment=pipeline.no_sentiment,
    )
    rollups = MentionRollup.objects.count()

    deleted = services.mentions_prune(now=NOW + dt.timedelta(days=15))

    assert deleted == 1
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["new"]
    assert MentionRollup.objects.count() == rollups == 2
    # The hourly counts (for the last day's charts) are kept two weeks: both hours are older.
    assert not MentionHourRollup.objects.exists()


def test_deleting_a_source_keeps_its_mentions(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    source = make_source(workspace, "test")
    services.source_read(
        source_id=source.pk, lookup=lookup_from({"test": ListSource([Item("1", "Varde")])})
    )
    services.source_delete(source=source)
    assert Source.objects.count() == 0
    assert Mention.objects.get().source is None
