"""Settings for the test suite: fast hashing, mail kept in memory, tasks run in-process.

VARDE_TEST_DATABASE_URL runs the suite on PostgreSQL instead of SQLite. No test reaches the
internet: the guard below makes any connection or name lookup beyond this machine raise
(varde/lib/netguard.py).
"""

import os
import tempfile

os.environ.setdefault("VARDE_DATA_DIR", tempfile.mkdtemp(prefix="varde-test-"))
if os.environ.get("VARDE_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["VARDE_TEST_DATABASE_URL"]
os.environ.setdefault("VARDE_SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")

from varde.conf.settings import *  # noqa: F403
from varde.conf.settings import HUEY, STORAGES
from varde.lib import netguard

netguard.install()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY["immediate"] = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

(DATA_DIR / "static").mkdir(exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing

# Other apps' tests see the author's links as written; analytics' tests turn short links on.
SHORT_LINKS = False

# The lexicon tier in tests: fast and deterministic; the model tier has its own tests
# (varde/listening/sentiment/tests).
VARDE_LISTENING_SENTIMENT_TIER = "lexicon"
VARDE_INBOX_SENTIMENT_TIER = "lexicon"
