"""SQLite under several processes: a web server and two workers write at once, no "locked".

Runs real processes against a file database (not the test database), so it needs SQLite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]

WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ["DJANGO_SETTINGS_MODULE"] = "varde.conf.settings"
    import django
    django.setup()
    from django.db import transaction
    from varde.accounts import services
    from varde.accounts.models import Workspace

    name, rounds = sys.argv[1], int(sys.argv[2])
    workspace = Workspace.objects.get(slug="load")
    errors = []
    for i in range(rounds):
        try:
            # A read followed by a write in one transaction: the pattern that fails with
            # "database is locked" under DEFERRED transactions.
            with transaction.atomic():
                count = Workspace.objects.filter(slug="load").count()
                services.audit_record(action="load.write", workspace=workspace,
                                      detail={"by": name, "i": i, "seen": count})
        except Exception as error:
            errors.append(repr(error))
    print(json.dumps({"name": name, "errors": errors}))
    """
)


def test_three_processes_write_without_locking(tmp_path: Path):
    env = {
        **os.environ,
        "VARDE_DATA_DIR": str(tmp_path),
        "VARDE_SECRET_KEY": "concurrency-test-secret-key-0123456789abcdef",
        "DJANGO_SETTINGS_MODULE": "varde.conf.settings",
    }
    env.pop("DATABASE_URL", None)
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from varde.accounts.models import Workspace;"
        "Workspace.objects.create(name='L', slug='load')"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, timeout=120)

    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rounds = 300
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), name, str(rounds)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("web", "worker-1", "worker-2")
    ]
    results = [json.loads(process.communicate(timeout=300)[0]) for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert [result["errors"] for result in results] == [[], [], []]

    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from varde.accounts.models import AuditEvent;"
            "print(AuditEvent.objects.filter(action='load.write').count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert int(count.stdout.strip()) == 3 * rounds
