"""The pipeline: dedupe, matching, language, sentiment, batching and rollups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from varde.listening import pipeline, services
from varde.listening.models import ListeningQuery, Mention, MentionMatch, MentionRollup
from varde.listening.tests.helpers import Item, positive_when_love

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


@pytest.fixture
def brand(workspace):
    return ListeningQuery.objects.create(workspace=workspace, name="Brand", text="varde")


def ingest(workspace, items, **kwargs):
    kwargs.setdefault("sentiment", pipeline.no_sentiment)
    return services.mentions_ingest(workspace=workspace, items=items, now=NOW, **kwargs)


def item(n, text="Varde er et fint verktøy for sosiale medier", **kwargs):
    kwargs.setdefault("published_at", NOW - dt.timedelta(minutes=n))
    return Item(external_id=str(n), text=text, **kwargs)


def test_only_matching_posts_are_stored_with_their_spans(workspace, brand):
    result = ingest(workspace, [item(1, "Jeg liker Varde!"), item(2, "Noe helt annet her")])
    assert (result.read, result.stored, result.unmatched) == (2, 1, 1)
    mention = Mention.objects.get()
    assert mention.text == "Jeg liker Varde!"
    match = MentionMatch.objects.get()
    assert match.query == brand
    assert match.spans == [[10, 15]]
    assert mention.text[10:15] == "Varde"


def test_the_same_id_twice_is_stored_once(workspace, brand):
    first = ingest(workspace, [item(1, "Varde én"), item(1, "Varde én")])
    again = ingest(workspace, [item(1, "Varde én")])
    assert (first.stored, first.duplicates) == (1, 1)
    assert (again.stored, again.duplicates) == (0, 1)
    assert Mention.objects.count() == 1


def test_the_same_id_from_another_kind_of_source_is_another_post(workspace, brand):
    ingest(workspace, [item(1, "Varde x"), item(1, "Varde y", source_kind="rss")])
    assert Mention.objects.count() == 2


def test_a_repost_of_the_same_text_is_dropped_within_the_window(workspace, brand):
    text = "Varde gjør planen til arbeid, og arbeidet til resultater."
    five_days_ago = NOW - dt.timedelta(days=5)
    ingest(workspace, [item(1, text, published_at=five_days_ago)])
    result = ingest(
        workspace,
        [
            # The same words, in other case, from another source, an hour later: a repost.
            item(
                2,
                text.upper(),
                source_kind="rss",
                published_at=five_days_ago + dt.timedelta(hours=1),
            ),
            item(3, text),  # five days later: said again, a new post
        ],
    )
    assert (result.stored, result.duplicates) == (1, 1)
    assert set(Mention.objects.values_list("external_id", flat=True)) == {"1", "3"}


def test_short_texts_are_never_called_reposts(workspace, brand):
    result = ingest(workspace, [item(1, "Varde!"), item(2, "Varde!")])
    assert result.stored == 2


def test_every_active_query_is_matched_at_once(workspace, brand):
    rival = ListeningQuery.objects.create(workspace=workspace, name="Rival", text='"Rival AS"')
    ListeningQuery.objects.create(workspace=workspace, name="Off", text="varde", active=False)
    ingest(workspace, [item(1, "Varde og Rival AS i samme innlegg")])
    assert set(MentionMatch.objects.values_list("query_id", flat=True)) == {brand.pk, rival.pk}


def test_the_matcher_is_rebuilt_when_queries_change(workspace, brand):
    ingest(workspace, [item(1, "Kaffe på fjellet med venner i dag")])
    assert Mention.objects.count() == 0
    ListeningQuery.objects.create(workspace=workspace, name="Kaffe", text="kaff*")
    ingest(workspace, [item(2, "Kaffe på fjellet igjen")])
    assert Mention.objects.count() == 1


def test_language_from_the_source_or_detected_norwegian_merged(workspace, brand):
    ingest(
        workspace,
        [
            item(1, "Varde er et veldig godt verktøy, og vi bruker det hver dag"),
            item(2, "Varde is a very good tool and we use it every single day"),
            item(3, "Varde", lang="nn-NO"),
            item(4, "Varde!"),
        ],
    )
    languages = dict(Mention.objects.values_list("external_id", "language"))
    assert languages == {"1": "no", "2": "en", "3": "no", "4": ""}


def test_sentiment_is_pluggable_and_nullable(workspace, brand):
    ingest(
        workspace, [item(1, "I love Varde"), item(2, "Varde is here")], sentiment=positive_when_love
    )
    ingest(workspace, [item(3, "Varde again")])
    found = dict(Mention.objects.values_list("external_id", "sentiment"))
    assert found == {"1": "positive", "2": "neutral", "3": None}
    assert Mention.objects.get(external_id="1").sentiment_score == pytest.approx(0.8)


def test_rollups_count_per_day_query_and_sentiment(workspace, brand):
    day = dt.datetime(2025, 3, 9, 10, 0, tzinfo=dt.UTC)
    ingest(
        workspace,
        [
            item(1, "I love Varde", published_at=day),
            item(2, "Varde one", published_at=day),
            item(3, "Varde two", published_at=day - dt.timedelta(days=1)),
        ],
        sentiment=positive_when_love,
    )
    ingest(workspace, [item(4, "Varde three", published_at=day)], sentiment=positive_when_love)
    counts = {(str(r.day), r.sentiment): r.count for r in MentionRollup.objects.filter(query=brand)}
    assert counts == {
        ("2025-03-09", "positive"): 1,
        ("2025-03-09", "neutral"): 2,
        ("2025-03-08", "neutral"): 1,
    }


def test_days_are_the_workspace_time_zone(workspace, brand):
    # 23:30 UTC on the 9th is 00:30 on the 10th in Oslo.
    ingest(
        workspace, [item(1, "Varde", published_at=dt.datetime(2025, 3, 9, 23, 30, tzinfo=dt.UTC))]
    )
    assert str(MentionRollup.objects.get().day) == "2025-03-10"


def test_older_than_retention_and_empty_items_are_skipped(workspace, brand):
    result = ingest(
        workspace,
        [
            item(1, "Varde old", published_at=NOW - dt.timedelta(days=400)),
            item(2, "   "),
            Item(external_id="", text="Varde without id"),
        ],
    )
    assert (result.skipped, result.stored) == (3, 0)


def test_only_web_links_are_kept(workspace, brand):
    ingest(
        workspace,
        [item(1, "Varde", url="javascript:alert(1)"), item(2, "Varde 2", url="https://x.test/a")],
    )
    assert dict(Mention.objects.values_list("external_id", "url")) == {
        "1": "",
        "2": "https://x.test/a",
    }


def test_a_batch_of_100_costs_a_fixed_number_of_queries(
    workspace, brand, django_assert_num_queries
):
    ListeningQuery.objects.create(workspace=workspace, name="Rival", text="rival")
    items = [
        item(
            n,
            f"Varde og rival nummer {n} skriver noe om tjenesten",
            published_at=NOW - dt.timedelta(hours=n),
        )
        for n in range(100)
    ]
    pipeline.matcher_for(workspace)  # compiled once, outside the count (one more query)
    # retention, stored ids, stored fingerprints, matcher version, insert mentions, read ids,
    # insert matches, recount days, upsert rollups, recount hours, upsert hour rollups;
    # savepoint + release of the atomic block.
    # SQLite takes at most 999 parameters a statement, so its mentions go in two inserts, and
    # so do the 200 hour rollups (100 hours × 2 queries).
    expected = 13 + (2 if connection.vendor == "sqlite" else 0)
    with django_assert_num_queries(expected):
        result = ingest(workspace, items)
    assert result.stored == 100
    assert MentionMatch.objects.count() == 200


def test_ingest_into_one_workspace_never_shows_in_another(workspace, other_workspace, brand):
    ListeningQuery.objects.create(workspace=other_workspace, name="Brand", text="varde")
    ingest(workspace, [item(1, "Varde")])
    assert Mention.objects.filter(workspace=other_workspace).count() == 0


def test_time_now_default(workspace, brand):
    result = services.mentions_ingest(
        workspace=workspace, items=[Item("1", "Varde")], sentiment=pipeline.no_sentiment
    )
    assert result.stored == 1
    assert Mention.objects.get().received_at <= timezone.now()
