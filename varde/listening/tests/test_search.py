"""Full-text search in the mention stream (varde/lib/fulltext.py): SQLite FTS5 and PostgreSQL
(norwegian/english by the mention's language), æ/ø/å, stemming where the database has it,
hostile input, workspace isolation, and deletes — retention, the network's, a whole workspace —
taken out of the index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from varde.listening import pipeline, selectors, services
from varde.listening.models import ListeningSettings, Mention
from varde.listening.selectors import MentionFilter
from varde.listening.tests.helpers import Item

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"

HOSTILE = [
    '"',
    '"""',
    'kaffe"',
    '"kaffe',
    "kaffe*",
    "*",
    "* OR *",
    "NEAR(kaffe fjellet)",
    "kaffe NEAR/3 fjellet",
    "NOT kaffe",
    "kaffe AND OR NOT",
    "-",
    "--kaffe",
    "- -",
    "or",
    "OR OR",
    "(kaffe",
    "kaffe)",
    "{text}: kaffe",
    "text:kaffe",
    "^kaffe",
    "kaffe + fjellet",
    "'; DROP TABLE listening_mention; --",
    "kaffe\x00fjellet",
    "\\",
    "%_%",
    "a" * 500,
    "🙂 kaffe 🙂",
    "ﬁ",  # a ligature
    "",
]


def _mention(workspace, text, *, language="no", n=None, published_at=None):
    n = n if n is not None else Mention.objects.count() + 1
    now = timezone.now()
    return Mention.objects.create(
        workspace=workspace,
        source_kind="test",
        external_id=f"m{n}-{workspace.pk}",
        text=text,
        language=language,
        published_at=published_at or now,
        received_at=now,
    )


def _search(workspace, text, **filters):
    wanted = MentionFilter(search=text, **filters)
    return sorted(m.text for m in selectors.mentions_filtered(workspace=workspace, wanted=wanted))


def _indexed(text):
    """Mention ids the index itself holds for a word (SQLite: the FTS5 table; PostgreSQL: the
    generated column), whatever the mentions table says."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "SELECT id FROM listening_mention "
                "WHERE search_vector @@ (websearch_to_tsquery('simple', %s) "
                "|| websearch_to_tsquery('norwegian', %s))",
                [text, text],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM listening_mention_fts WHERE listening_mention_fts MATCH %s",
                [f'"{text}"'],
            )
        return sorted(row[0] for row in cursor.fetchall())


def _index_is_whole():
    """SQLite: FTS5's own check that the index and the mentions agree (raises when not)."""
    if not POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO listening_mention_fts(listening_mention_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )


@pytest.fixture
def stream(workspace):
    _mention(workspace, "Kaffe på fjellet er det beste", language="no")
    _mention(workspace, "Blåbær og røde epler, ærlig talt", language="no")
    _mention(workspace, "Et glass øl etter turen", language="no")
    _mention(workspace, "Coffee in the mountains is the best", language="en")
    _mention(workspace, "Kaffen var kald i dag", language="no")
    _mention(workspace, "Varde AS har ansatt en ny sjef", language="")
    _mention(workspace, "Runners were running past the café", language="en")


def test_every_word_must_occur_case_does_not_matter(workspace, stream):
    assert _search(workspace, "KAFFE fjellet") == ["Kaffe på fjellet er det beste"]
    assert _search(workspace, "kaffe nothinglikethis") == []


def test_phrases_or_and_leaving_out(workspace, stream):
    assert _search(workspace, '"varde as"') == ["Varde AS har ansatt en ny sjef"]
    assert _search(workspace, '"as varde"') == []
    assert _search(workspace, "coffee or øl") == [
        "Coffee in the mountains is the best",
        "Et glass øl etter turen",
    ]
    assert _search(workspace, "kaffe -fjellet") == ["Kaffen var kald i dag"]
    assert _search(workspace, 'varde -"ny sjef"') == []
    assert _search(workspace, 'varde -"sjef ny"') == ["Varde AS har ansatt en ny sjef"]
    leaving_out = _search(workspace, "-kaffe -kaffen -coffee")
    assert "Blåbær og røde epler, ærlig talt" in leaving_out
    assert not [text for text in leaving_out if "affe" in text or "offee" in text]


def test_ae_oe_aa_are_letters_of_their_own(workspace, stream):
    assert _search(workspace, "BLÅBÆR") == ["Blåbær og røde epler, ærlig talt"]
    assert _search(workspace, "Ærlig røde") == ["Blåbær og røde epler, ærlig talt"]
    assert _search(workspace, "øl") == ["Et glass øl etter turen"]
    assert _search(workspace, "ol") == []
    assert _search(workspace, "blabaer") == []
    assert _search(workspace, "blabær") == []
    # A search typed with a combining ring (a + U+030A) is the stored "å".
    assert _search(workspace, "bla\u030abær") == ["Blåbær og røde epler, ærlig talt"]


def test_accents_other_than_ae_oe_aa_count_too(workspace, stream):
    assert _search(workspace, "café") == ["Runners were running past the café"]
    assert _search(workspace, "cafe") == []


@pytest.mark.skipif(not POSTGRES, reason="stemming is PostgreSQL's (norwegian/english)")
def test_postgresql_stems_by_the_mentions_language(workspace, stream):
    assert _search(workspace, "kaffen") == [
        "Kaffe på fjellet er det beste",
        "Kaffen var kald i dag",
    ]
    assert _search(workspace, "run") == ["Runners were running past the café"]
    # English words in a Norwegian mention are stemmed the Norwegian way, and the other way
    # round: each mention is compared with the search in its own language.
    assert _search(workspace, "mountain") == ["Coffee in the mountains is the best"]
    # Unknown language: "simple", no stemming, no stop words.
    assert _search(workspace, "sjefen") == []
    assert _search(workspace, "har") == ["Varde AS har ansatt en ny sjef"]


@pytest.mark.skipif(POSTGRES, reason="SQLite has no stemmer: words are also prefixes")
def test_sqlite_words_are_also_prefixes_phrases_are_exact(workspace, stream):
    assert _search(workspace, "kaffe") == [
        "Kaffe på fjellet er det beste",
        "Kaffen var kald i dag",
    ]
    assert _search(workspace, "kaffen") == ["Kaffen var kald i dag"]
    assert _search(workspace, '"kaff"') == []
    assert _search(workspace, "run") == ["Runners were running past the café"]
    assert _search(workspace, "ø") == []  # shorter than three letters: the word only


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_fails(workspace, stream, editor, client_as, text):
    found = _search(workspace, text)
    assert isinstance(found, list)
    page = client_as(editor).get(
        reverse("listening:stream", kwargs={"workspace": workspace.slug}), {"q": text}
    )
    assert page.status_code == 200


def test_operators_are_words_not_operators(workspace, stream):
    _mention(workspace, "Kaffe near the fjord", language="en")
    assert _search(workspace, "kaffe NEAR fjellet") == []
    assert _search(workspace, "kaffe* fjellet") == ["Kaffe på fjellet er det beste"]
    assert _search(workspace, "(kaffe) fjellet)") == ["Kaffe på fjellet er det beste"]
    assert _search(workspace, "***") == []


def test_filters_still_apply_with_a_search(workspace, stream):
    assert _search(workspace, "kaffe or coffee", language="en") == [
        "Coffee in the mountains is the best"
    ]
    old = timezone.now() - dt.timedelta(days=3)
    _mention(workspace, "Gammel kaffe", published_at=old)
    recent = timezone.now() - dt.timedelta(days=1)
    assert "Gammel kaffe" not in _search(workspace, "kaffe", since=recent)
    assert "Gammel kaffe" in _search(workspace, "kaffe")


def test_another_workspaces_mentions_are_never_found(workspace, other_workspace, stream):
    _mention(other_workspace, "Kaffe på fjellet i en annen arbeidsflate")
    assert _search(other_workspace, "kaffe") == ["Kaffe på fjellet i en annen arbeidsflate"]
    assert _search(workspace, "arbeidsflate") == []
    assert "Kaffe på fjellet i en annen arbeidsflate" not in _search(workspace, "kaffe")


def test_the_pipelines_batched_store_is_searchable(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    items = [Item(str(n), f"Varde og solbærsaft nummer {n}") for n in range(30)]
    pipeline.forget_matchers()
    services.mentions_ingest(workspace=workspace, items=items)
    assert len(_search(workspace, "solbærsaft")) == 30
    assert _search(workspace, "nummer 17") == ["Varde og solbærsaft nummer 17"]
    _index_is_whole()


def test_retention_takes_mentions_out_of_the_index(workspace):
    old = _mention(
        workspace, "Gammel multebærsyltetøy", published_at=timezone.now() - dt.timedelta(days=40)
    )
    new = _mention(workspace, "Fersk multebærsyltetøy")
    ListeningSettings.objects.create(workspace=workspace, retention_days=30)
    assert _indexed("multebærsyltetøy") == sorted([old.pk, new.pk])
    assert services.mentions_prune() == 1
    assert _indexed("multebærsyltetøy") == [new.pk]
    assert _search(workspace, "multebærsyltetøy") == ["Fersk multebærsyltetøy"]
    _index_is_whole()


def test_deleted_on_the_network_and_deleted_workspaces_leave_the_index(workspace, other_workspace):
    gone = _mention(workspace, "Slettet tyttebærsyltetøy")
    gone.external_id = "gone"
    gone.save()
    kept = _mention(other_workspace, "Beholdt tyttebærsyltetøy")
    assert _indexed("slettet") == [gone.pk]
    services.mentions_delete_external(
        workspace=workspace, source_kind="test", external_ids=["gone"]
    )
    assert _indexed("tyttebærsyltetøy") == [kept.pk]
    # Changing the text re-indexes the row.
    kept.text = "Endret tekst"
    kept.save()
    assert _indexed("tyttebærsyltetøy") == []
    assert _indexed("endret") == [kept.pk]
    other_workspace.delete()
    assert _indexed("endret") == []
    _index_is_whole()
