"""Django settings for Varde. Everything a self-hoster changes comes from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.conf import environment as env
from varde.conf.database import database_settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

DEBUG = env.env_bool("VARDE_DEBUG")
SECRET_KEY = env.secret_key(DATA_DIR)
ALLOWED_HOSTS = env.env_list("VARDE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("VARDE_CSRF_TRUSTED_ORIGINS", [])
# Secrets stored in the database (channel tokens, MFA seeds) are encrypted with this key.
ENCRYPTION_KEY = env.env_str("VARDE_ENCRYPTION_KEY") or SECRET_KEY
# Without a public address, the one `varde run` listens on (PORT), so the links it prints and
# mails lead back to it.
BASE_URL = env.env_str("VARDE_BASE_URL", f"http://127.0.0.1:{env.env_str('PORT', '8000')}").rstrip(
    "/"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "varde.lib",
    "varde.accounts",
    "varde.worker",
    "varde.strategy",
    "varde.notifications",
    "varde.content",
    "varde.composer",
    "varde.channels",
    "varde.publishing",
    "varde.sandbox",
    "varde.policy",
    "varde.approvals",
    "varde.newsletter",
    "varde.calendar",
    "varde.listening",
    "varde.analytics",
    "varde.inbox",
    "varde.leads",
    "varde.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "varde.lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "varde.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "varde.conf.urls"
WSGI_APPLICATION = "varde.conf.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "varde.web.context_processors.shell",
                "varde.notifications.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {"default": database_settings(env.database_url(DATA_DIR))}
for _sqlite_file in (env.sqlite_file(DATABASES["default"]), DATA_DIR / "queue.sqlite3"):
    if _sqlite_file is not None:
        env.private_sqlite_file(_sqlite_file)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (varde/accounts/throttle.py): failures within the window for one e-mail
# from one address; for one e-mail from anywhere; distinct e-mails from one address. The last
# two never apply to a browser the account has logged in from before (its device cookie).
VARDE_LOGIN_MAX_FAILURES = env.env_int("VARDE_LOGIN_MAX_FAILURES", 5)
VARDE_LOGIN_MAX_FAILURES_PER_ACCOUNT = env.env_int("VARDE_LOGIN_MAX_FAILURES_PER_ACCOUNT", 20)
VARDE_LOGIN_MAX_EMAILS_PER_ADDRESS = env.env_int("VARDE_LOGIN_MAX_EMAILS_PER_ADDRESS", 30)
VARDE_LOGIN_WINDOW_SECONDS = env.env_int("VARDE_LOGIN_WINDOW_SECONDS", 900)
# How many reverse proxies of our own stand in front of Varde. 0 (the default) never reads
# X-Forwarded-For, which any client can forge (varde/lib/client_address.py).
VARDE_TRUSTED_PROXIES = max(0, env.env_int("VARDE_TRUSTED_PROXIES", 0))
VARDE_INVITATION_DAYS = 7

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# English dates day-first with a 24-hour clock (varde/conf/formats/en/formats.py).
FORMAT_MODULE_PATH = ["varde.conf.formats"]
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Every link in a post goes out as Varde's own short link (/l/<code>), so clicks are counted
# without any third party (docs/analytics.md). Off: the author's link with UTM parameters.
SHORT_LINKS = env.env_bool("VARDE_SHORT_LINKS", default=True)

SESSION_COOKIE_SECURE = env.env_bool("VARDE_SECURE_COOKIES", default=BASE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.env_bool("VARDE_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: once the site is served over https, browsers must never try plain http again (a
# downgrade on a café network would expose the session cookie). SecurityMiddleware sends it
# on https requests only; behind a proxy that needs VARDE_BEHIND_TLS_PROXY.
SECURE_HSTS_SECONDS = env.env_int(
    "VARDE_HSTS_SECONDS", 365 * 24 * 3600 if BASE_URL.startswith("https://") else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("VARDE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env.env_bool("VARDE_HSTS_PRELOAD")

EMAIL_HOST = env.env_str("VARDE_EMAIL_HOST")
EMAIL_PORT = env.env_int("VARDE_EMAIL_PORT", 587)
EMAIL_HOST_USER = env.env_str("VARDE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.env_str("VARDE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.env_bool("VARDE_EMAIL_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env.env_bool("VARDE_EMAIL_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.env_str("VARDE_EMAIL_FROM", "Varde <varde@localhost>")
# Without an SMTP host, mail is printed on the console of `varde run`, so a local install works;
# mail to the demo's made-up addresses is dropped (varde/lib/mail.py).
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "varde.lib.mail.LocalEmailBackend"
)

REDIS_URL = env.redis_url()
HUEY: dict[str, Any]
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env.env_str("VARDE_QUEUE_NAME", "varde"),
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "varde",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
    }
# The cache every web process shares: short-lived state such as who is viewing or writing in
# an inbox conversation (varde/inbox/presence.py). Redis when there is one; otherwise files in
# the data folder, which the processes of one machine share.
CACHES: dict[str, Any] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    )
}
HUEY["consumer"] = {"workers": env.env_int("VARDE_WORKER_THREADS", 2), "worker_type": "thread"}

# Which channel connectors are offered, by key (see docs/new-connector.md).
VARDE_CONNECTORS = env.env_list(
    "VARDE_CONNECTORS",
    [
        "sandbox",
        "bluesky",
        "mastodon",
        "x",
        "facebook",
        "instagram",
        "linkedin",
        "threads",
        "youtube",
        "wordpress",
        "webhook",
        "newsletter",
    ],
)

# App credentials for the networks connected by OAuth (docs/networks/ says where to get them).
# The owner of this Varde may enter them in Settings → Networks instead; an app set here wins
# (channels/network_apps.py). A network with neither says so on the connect page.
VARDE_OAUTH_APPS = {
    app: {
        "client_id": env.env_str(f"VARDE_{prefix}_CLIENT_ID"),
        "client_secret": env.env_str(f"VARDE_{prefix}_CLIENT_SECRET"),
    }
    for app, prefix in (
        ("x", "X"),
        ("linkedin", "LINKEDIN"),
        ("google", "GOOGLE"),
        ("meta", "META"),
        ("threads", "THREADS"),
    )
}
# Where Bluesky (AT Protocol) did:plc identities are looked up during a sign-in by OAuth. The
# public directory for every real account; the end-to-end tests point it at a local one.
VARDE_ATPROTO_PLC_URL = env.env_str("VARDE_ATPROTO_PLC_URL", "https://plc.directory").rstrip("/")
# User-given addresses (a webhook, a Mastodon server, a WordPress site) may point into private
# networks only when this is on: for tests and a single machine posting to its own LAN.
VARDE_ALLOW_PRIVATE_URLS = env.env_bool("VARDE_ALLOW_PRIVATE_URLS")
# Which sentiment tier judges what (docs/listening.md, "Sentiment"): listening's ingest takes the
# fast lexicon by default, so a burst never waits for the model; the inbox, with few items and a
# person reading each, takes the model when it is installed ("auto").
VARDE_LISTENING_SENTIMENT_TIER = env.env_str("VARDE_LISTENING_SENTIMENT_TIER", "lexicon")
VARDE_INBOX_SENTIMENT_TIER = env.env_str("VARDE_INBOX_SENTIMENT_TIER", "auto")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_str("VARDE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request URL at INFO; some networks put tokens in the query string.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
