"""`varde listening match`: the production matcher from the command line, with no database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from varde.cli import main


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, list[object], str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(["listening", "match", *args])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_one_json_line_per_text_in_order(monkeypatch, capsys):
    texts = "Kaffe på fjellet!\nbare te\n\nKAFFEN oppe på FJELLET\r\n"
    status, lines, err = run(monkeypatch, capsys, "--query", "kaff* AND fjellet", stdin=texts)
    assert status == 0, err
    assert lines == [{"match": True}, {"match": False}, {"match": False}, {"match": True}]


def test_fields_come_from_the_options(monkeypatch, capsys):
    query = ("--query", "#aurora -lang:en")
    assert run(monkeypatch, capsys, *query, "--lang", "nb", stdin="#Aurora\n")[1] == [
        {"match": True}
    ]
    assert run(monkeypatch, capsys, *query, "--lang", "en", stdin="#Aurora\n")[1] == [
        {"match": False}
    ]


def test_an_invalid_query_exits_2_with_the_validators_messages(monkeypatch, capsys):
    status, lines, err = run(
        monkeypatch, capsys, "--query", "kaffe NEAR/40 fjellet", "--language", "en", stdin="x\n"
    )
    assert status == 2
    assert lines == []
    assert "near_too_wide" in err
    assert "NEAR/40 is too wide" in err


@pytest.mark.slow
def test_it_needs_no_database(tmp_path):
    """A fresh data folder: the database is empty (never migrated), and match still works."""
    env = {**os.environ, "VARDE_DATA_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "VARDE_REDIS_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "varde.cli", "listening", "match", "--query", '"Varde AS"'],
        input="Hei fra Varde AS!\nvarde\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ['{"match": true}', '{"match": false}']
