"""The `varde` command as a user runs it: real processes, a fresh data folder."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]


def varde(*args: str, data_dir: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VARDE_DATA_DIR": str(data_dir), **env_extra}
    for name in ("DATABASE_URL", "VARDE_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "VARDE_REDIS_URL"):
        env.pop(name, None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "varde.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_migrate_and_demo_are_idempotent_and_print_the_login(tmp_path):
    assert varde("migrate", "--verbosity", "0", data_dir=tmp_path).returncode == 0
    first = varde("demo", data_dir=tmp_path, VARDE_DEMO_PASSWORD="demo-pass-123")
    assert first.returncode == 0, first.stderr
    assert "demo@varde.local" in first.stdout
    assert "demo-pass-123" in first.stdout
    again = varde("demo", data_dir=tmp_path, VARDE_DEMO_PASSWORD="demo-pass-123")
    assert again.returncode == 0
    # The secret was generated once and kept in the data folder, readable only by its owner.
    key = tmp_path / "secret_key"
    assert key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_generated_demo_password_is_printed_and_works(tmp_path):
    varde("migrate", "--verbosity", "0", data_dir=tmp_path)
    result = varde("demo", data_dir=tmp_path)
    password = result.stdout.rsplit("password ", 1)[1].split()[0]
    check = varde(
        "manage",
        "shell",
        "-c",
        "from varde.accounts.models import User;"
        f"print(User.objects.get(email='demo@varde.local').check_password('{password}'))",
        data_dir=tmp_path,
    )
    assert check.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL"),
        ("VARDE_SECRET_KEY", "short", "VARDE_SECRET_KEY"),
        ("VARDE_DEBUG", "maybe", "VARDE_DEBUG"),
        ("VARDE_REDIS_URL", "http://localhost", "VARDE_REDIS_URL"),
    ],
)
def test_misconfiguration_stops_with_one_sentence(tmp_path, variable, value, words):
    result = varde("migrate", data_dir=tmp_path, **{variable: value})
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_createuser(tmp_path):
    data = tmp_path / "data"  # made by varde, so its mode is varde's choice
    varde("migrate", "--verbosity", "0", data_dir=data)
    result = varde(
        "createuser",
        "--email",
        "a@example.test",
        "--name",
        "A B",
        "--password",
        "pw-long-enough-1",
        data_dir=data,
    )
    assert result.returncode == 0, result.stderr
    # Issue 15, item 7: the database was world-readable (0644), the data folder too.
    assert (data / "varde.sqlite3").stat().st_mode & 0o777 == 0o600
    assert (data / "queue.sqlite3").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o077 == 0
    duplicate = varde(
        "createuser",
        "--email",
        "a@example.test",
        "--name",
        "A B",
        "--password",
        "x",
        data_dir=data,
    )
    assert duplicate.returncode == 2


def test_the_default_public_address_follows_the_port(tmp_path):
    show = "from django.conf import settings; print(settings.BASE_URL)"
    moved = varde("manage", "shell", "-c", show, data_dir=tmp_path, PORT="8050")
    assert moved.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8050"
    given = varde(
        "manage",
        "shell",
        "-c",
        show,
        data_dir=tmp_path,
        PORT="8050",
        VARDE_BASE_URL="https://varde.example.no/",
    )
    assert given.stdout.strip().splitlines()[-1] == "https://varde.example.no"


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["x", "12345678901", "password123", "kari.nordmann@example.test"])
def test_createuser_refuses_a_weak_password(weak, capsys):
    # Issue 15, item 7: `varde createuser` accepted any password the web forms would refuse.
    from varde.accounts.models import User
    from varde.cli import cmd_createuser

    args = argparse.Namespace(
        email="kari.nordmann@example.test", name="Kari Nordmann", password=weak, superuser=True
    )
    assert cmd_createuser(args) == 2
    assert not User.objects.exists()
    assert capsys.readouterr().err.strip()


def test_hsts_is_on_when_served_over_https(tmp_path):
    # Issue 15, item 7: no Strict-Transport-Security when served over https.
    show = (
        "from django.test import Client; "
        "r = Client().get('/healthz', secure=True, HTTP_HOST='varde.example.no'); "
        "print(r.headers.get('Strict-Transport-Security'))"
    )
    result = varde(
        "manage",
        "shell",
        "-c",
        show,
        data_dir=tmp_path,
        VARDE_BASE_URL="https://varde.example.no",
        VARDE_ALLOWED_HOSTS="varde.example.no",
    )
    assert result.stdout.strip().splitlines()[-1] == "max-age=31536000", result.stderr
    plain = varde(
        "manage", "shell", "-c", show, data_dir=tmp_path, VARDE_ALLOWED_HOSTS="varde.example.no"
    )
    assert plain.stdout.strip().splitlines()[-1] == "None"  # a plain-http install: no HSTS


def test_an_existing_open_data_folder_and_database_are_tightened(tmp_path):
    from varde.conf import environment

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    database = folder / "varde.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    environment.keep_private(folder, 0o700)
    environment.private_sqlite_file(database)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
