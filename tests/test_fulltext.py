"""varde/lib/fulltext.py: how a search is read and escaped for FTS5, and that every full-text
index exists after the migrations (SQLite triggers, PostgreSQL column and GIN index)."""

from __future__ import annotations

import pytest
from django.db import connection

from varde.inbox.models import ITEM_SEARCH
from varde.lib import fulltext
from varde.lib.fulltext import FullText, Term, fts5_match, parse
from varde.listening.models import MENTION_SEARCH

SPECS = [MENTION_SEARCH, ITEM_SEARCH]


def test_words_phrases_or_and_minus_are_read_like_websearch():
    search = parse('Kaffe "Varde AS" -jobb or blåbær')
    assert search.groups == (
        (
            Term(("kaffe",)),
            Term(("varde", "as"), phrase=True),
            Term(("jobb",), negated=True),
        ),
        (Term(("blåbær",)),),
    )


def test_a_phrase_can_be_left_out():
    assert parse('kaffe -"varde as"').groups == (
        (Term(("kaffe",)), Term(("varde", "as"), phrase=True, negated=True)),
    )


def test_everything_else_is_a_word_boundary():
    assert parse("e-post").groups == ((Term(("e", "post"), phrase=True),),)
    assert parse('NEAR/3 * ( ) : ^ ""').groups == ((Term(("near", "3"), phrase=True),),)
    assert parse("*** --- \"\" ''").empty
    assert parse("").empty


def test_the_fts5_expression_quotes_every_word():
    kept, left_out = fts5_match(parse('kaffe "varde as" -jobb or øl'))
    assert kept == '(("kaffe"* AND "varde as") NOT ("jobb"*)) OR ("øl")'
    assert left_out == ""
    assert fts5_match(parse("-kaffe -te")) == ("", '"kaffe"* OR "te"')
    assert fts5_match(parse('AND OR NOT "x')) == ('("and"*) OR ("not"* AND "x")', "")


def test_a_search_is_nfc_capped_and_free_of_control_characters():
    assert fulltext.clean("bla\u030abær\x00x") == "blåbær x"
    assert len(fulltext.clean("a" * 1000)) == fulltext.MAX_SEARCH_LENGTH
    many = " ".join(f"w{n}" for n in range(50))
    assert sum(len(g) for g in parse(many).groups) == fulltext.MAX_TERMS


def test_names_in_sql_must_be_plain():
    with pytest.raises(ValueError, match="plain SQL name"):
        FullText(table="x; DROP TABLE y", columns=("text",))
    with pytest.raises(ValueError, match="plain SQL name"):
        fulltext.matching_sql(MENTION_SEARCH, "kaffe", select='id" --', vendor="sqlite")


def test_the_migration_operation_creates_and_drops_on_both_databases():
    spec = ITEM_SEARCH
    sqlite = fulltext.create_sql(spec, "sqlite")
    assert any("fts5(text, author_name, author_handle" in sql for sql in sqlite)
    assert sum(sql.startswith("CREATE TRIGGER") for sql in sqlite) == 3
    postgresql = " ".join(fulltext.create_sql(spec, "postgresql"))
    assert "GENERATED ALWAYS AS" in postgresql
    assert "'norwegian'::regconfig" in postgresql
    assert "'english'::regconfig" in postgresql
    assert "USING gin" in postgresql
    assert fulltext.create_sql(spec, "mysql") == []
    assert len(fulltext.drop_sql(spec, "sqlite")) == 4
    op = fulltext.CreateFullText(table="t", columns=["text"])
    name, args, kwargs = op.deconstruct()
    assert name == "CreateFullText"
    assert fulltext.CreateFullText(*args, **kwargs).spec == op.spec


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.table)
def test_every_index_exists_after_the_migrations(spec):
    """A later migration that makes SQLite copy the table drops its triggers: this fails then."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [spec.table])
            assert spec.gin_index in {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [spec.table, fulltext.VECTOR_COLUMN],
            )
            assert cursor.fetchone() == ("ALWAYS",)
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [spec.table],
            )
            assert set(fulltext.sqlite_triggers(spec)) <= {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"INSERT INTO {spec.fts_table}({spec.fts_table}, rank) "  # noqa: S608
                "VALUES ('integrity-check', 1)"
            )
