"""What the page benchmarks share: a fresh database to fill, and Django ready to serve pages.

Not a script; ``bench/calendar_page.py`` and ``bench/inbox.py`` import it.
"""

from __future__ import annotations

import os
import tempfile


def django_with_fresh_database(*, name: str, database_url: str) -> None:
    """A new SQLite database in a temporary folder (or ``database_url``, a PostgreSQL database
    the benchmark may fill and leave), migrated, with Django set up to answer the test client.

    Not ``setup_test_environment()``: it copies every template context for the test client,
    which costs more than the page itself. The test client's host must be allowed, though."""
    os.environ["VARDE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"varde-bench-{name}-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "varde.conf.test_settings"
    os.environ["VARDE_LOG_LEVEL"] = "ERROR"
    if database_url:
        os.environ["VARDE_TEST_DATABASE_URL"] = database_url

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, skip_checks=True)
