"""`varde listening query add | source add | mentions --json`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from varde.cli import main
from varde.listening import pipeline, services
from varde.listening.models import ListeningQuery, Source
from varde.listening.tests.helpers import Item


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_query_add(workspace, capsys):
    assert main(["listening", "query", "add", "--workspace", "acme", "--name", "Brand",
                 "--query", '"Acme AS" OR #acme']) == 0  # fmt: skip
    assert lines(capsys)[0]["name"] == "Brand"
    assert ListeningQuery.objects.get().text == '"Acme AS" OR #acme'


def test_query_add_refuses_a_broken_query(workspace, capsys):
    assert main(["listening", "query", "add", "--workspace", "acme", "--name", "X",
                 "--query", "(acme"]) == 1  # fmt: skip
    assert "parentes" in capsys.readouterr().err  # the command line speaks bokmål by default


def test_unknown_workspace(db, capsys):
    assert main(["listening", "mentions", "--workspace", "nope", "--json"]) == 1
    assert "nope" in capsys.readouterr().err


def test_source_add(workspace, capsys):
    assert main(["listening", "source", "add", "--workspace", "acme", "--kind", "rss",
                 "--url", "https://example.test/feed"]) == 0  # fmt: skip
    assert Source.objects.get().config == {"url": "https://example.test/feed"}
    assert main(["listening", "source", "list", "--workspace", "acme"]) == 0
    assert [row["kind"] for row in lines(capsys)] == ["rss", "rss"]


def test_mentions_json(workspace, other_workspace, capsys):
    services.query_create(workspace=workspace, name="Brand", text="acme")
    services.query_create(workspace=workspace, name="Kaffe", text="kaffe")
    services.query_create(workspace=other_workspace, name="Brand", text="acme")
    now = timezone.now()
    items = [
        Item("1", "Acme lager god kaffe", published_at=now - dt.timedelta(hours=1)),
        Item("2", "Acme igjen", published_at=now - dt.timedelta(days=3)),
    ]
    services.mentions_ingest(workspace=workspace, items=items, sentiment=pipeline.no_sentiment)
    services.mentions_ingest(
        workspace=other_workspace, items=[Item("9", "Acme elsewhere")],
        sentiment=pipeline.no_sentiment,
    )  # fmt: skip

    assert main(["listening", "mentions", "--workspace", "acme", "--json"]) == 0
    rows = lines(capsys)
    assert [row["text"] for row in rows] == ["Acme lager god kaffe", "Acme igjen"]
    assert rows[0]["queries"] == ["Brand", "Kaffe"]
    assert set(rows[0]) >= {"id", "source", "url", "author", "text", "language", "sentiment"}

    assert main(["listening", "mentions", "--workspace", "acme", "--since", "24h", "--json"]) == 0
    assert [row["text"] for row in lines(capsys)] == ["Acme lager god kaffe"]
    assert main(["listening", "mentions", "--workspace", "acme", "--query", "Kaffe",
                 "--json"]) == 0  # fmt: skip
    assert len(lines(capsys)) == 1
    assert main(["listening", "mentions", "--workspace", "acme", "--since", "soon"]) == 2
