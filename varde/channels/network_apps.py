"""Where each network's app id and secret come from: the environment, else Settings.

The networks people sign in on (X, LinkedIn, Facebook and Instagram through one Meta app,
Threads, YouTube through a Google client) need this Varde's own app with that network. The
owner of the installation either sets ``VARDE_<APP>_CLIENT_ID`` and ``_CLIENT_SECRET``
(docs/configuration.md) or enters them under Settings → Networks (a ``NetworkApp`` row, the
secret encrypted). **The environment wins** whenever its id is set, and it is taken whole: an id
from one place is never paired with a secret from the other.

Connectors know no app and read no settings: ``selectors.connector_config`` adds what this
module answers to every connector it builds, so a saved app is used for signing in, choosing a
Page and renewing tokens alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from varde.channels.connect_methods import oauth_method
from varde.channels.models import ConnectedAccount, NetworkApp
from varde.connectors import registry
from varde.lib.crypto import SecretUnreadableError, decrypt_secret

# How many characters of a saved secret are shown, so the owner can tell which one it is; and
# only of a secret long enough that they give little away (the networks' are 16 to 50).
SECRET_HINT_LENGTH = 4
SECRET_HINT_MIN_LENGTH = 16


class Source(enum.StrEnum):
    ENVIRONMENT = "environment"
    SAVED = "saved"
    NONE = "none"


@dataclass(frozen=True)
class AppWords:
    """What the owner needs to find the values on the network's developer site."""

    where: str | Promise
    id_name: str | Promise
    secret_name: str | Promise


APP_WORDS: dict[str, AppWords] = {
    "x": AppWords(
        where=_("An app in the X developer portal (developer.x.com)."),
        id_name=_("OAuth 2.0 Client ID (Keys and tokens)"),
        secret_name=_("OAuth 2.0 Client Secret (only for an app of the type Web App)"),
    ),
    "linkedin": AppWords(
        where=_("An app on LinkedIn Developers (linkedin.com/developers)."),
        id_name=_("Client ID (the Auth tab)"),
        secret_name=_("Primary Client Secret (the Auth tab)"),
    ),
    "meta": AppWords(
        where=_("One Meta app serves both, made on Meta for Developers (developers.facebook.com)."),
        id_name=_("App ID (App settings → Basic)"),
        secret_name=_("App secret (App settings → Basic)"),
    ),
    "threads": AppWords(
        where=_(
            "The Threads use case of a Meta app (developers.facebook.com). Threads has its own "
            "app id and secret, not the Meta app's."
        ),
        id_name=_("Threads app ID (Use cases → Threads API → Settings)"),
        secret_name=_("Threads app secret (the same place)"),
    ),
    "google": AppWords(
        where=_(
            "An OAuth client of the type Web application in Google Cloud "
            "(console.cloud.google.com)."
        ),
        id_name=_("Client ID"),
        secret_name=_("Client secret"),
    ),
}


@dataclass(frozen=True)
class AppSetup:
    """One app as the settings page shows it: whether it is set up, and from where."""

    app: str
    networks: tuple[str, ...]  # connector keys, in the registry's order
    network_labels: tuple[str, ...]
    needs_secret: bool
    source: Source
    client_id: str
    secret_saved: bool = False
    # The last characters of a saved secret (or ""): the rest is never shown.
    secret_hint: str = ""
    # A saved secret that the current encryption key cannot read: it must be entered again.
    secret_unreadable: bool = False

    @property
    def ready(self) -> bool:
        return self.source is not Source.NONE

    @property
    def from_environment(self) -> bool:
        return self.source is Source.ENVIRONMENT

    @property
    def title(self) -> str:
        return " / ".join(self.network_labels)

    @property
    def network_pairs(self) -> list[tuple[str, str]]:
        """(connector key, label) of each network that signs in with this app."""
        return list(zip(self.networks, self.network_labels, strict=True))

    @property
    def words(self) -> AppWords | None:
        return APP_WORDS.get(self.app)


def apps_in_use() -> dict[str, list[tuple[str, bool]]]:
    """Each app key the enabled networks sign in with: [(connector key, needs a secret)]."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for connector_class in registry.enabled():
        method = oauth_method(connector_class.key)
        if method is None or method.app is None or method.client_metadata:
            continue
        found.setdefault(method.app, []).append((connector_class.key, method.needs_secret))
    return found


def _environment(app: str) -> dict[str, str]:
    values = dict(getattr(settings, "VARDE_OAUTH_APPS", {}).get(app) or {})
    return {key: str(value) for key, value in values.items() if value}


def _saved(app: str) -> NetworkApp | None:
    return NetworkApp.objects.filter(app=app).first()


def _saved_secret(row: NetworkApp) -> str | None:
    """The saved secret in plain text; "" when none was saved, None when it cannot be read."""
    if not row.client_secret_encrypted:
        return ""
    try:
        return decrypt_secret(row.client_secret_encrypted)
    except SecretUnreadableError:
        return None


def app_credentials(app: str, *, needs_secret: bool) -> dict[str, str] | None:
    """The app id (and secret) to sign in with, or None when the app is not set up."""
    environment = _environment(app)
    if environment.get("client_id"):
        if needs_secret and not environment.get("client_secret"):
            return None
        return environment
    row = _saved(app)
    if row is None:
        return None
    secret = _saved_secret(row)
    if secret is None or (needs_secret and not secret):
        return None
    return {"client_id": row.client_id, **({"client_secret": secret} if secret else {})}


def app_setup(app: str) -> AppSetup | None:
    """How ``app`` is set up now, or None when no enabled network signs in with it."""
    users = apps_in_use().get(app)
    if not users:
        return None
    networks = tuple(key for key, _needs in users)
    needs_secret = any(needs for _key, needs in users)
    unset = AppSetup(
        app=app,
        networks=networks,
        network_labels=tuple(str(registry.get(key).label) for key in networks),
        needs_secret=needs_secret,
        source=Source.NONE,
        client_id="",
    )
    environment = _environment(app)
    if environment.get("client_id"):
        return replace(unset, source=Source.ENVIRONMENT, client_id=environment["client_id"])
    row = _saved(app)
    if row is None:
        return unset
    secret = _saved_secret(row)
    usable = secret is not None and (bool(secret) or not needs_secret)
    return replace(
        unset,
        source=Source.SAVED if usable else Source.NONE,
        client_id=row.client_id,
        secret_saved=bool(secret),
        secret_hint=_secret_hint(secret or ""),
        secret_unreadable=secret is None,
    )


def _secret_hint(secret: str) -> str:
    return secret[-SECRET_HINT_LENGTH:] if len(secret) >= SECRET_HINT_MIN_LENGTH else ""


def app_setups() -> list[AppSetup]:
    found = (app_setup(app) for app in apps_in_use())
    return [setup for setup in found if setup is not None]


def channels_using(setup: AppSetup) -> int:
    """How many channels, in every workspace, sign in with this app: they cannot renew their
    access once it is removed. Installation-wide on purpose; only a count leaves here."""
    return ConnectedAccount.objects.current().filter(connector_key__in=setup.networks).count()


def app_of_network(connector_key: str) -> str | None:
    """The app key a network signs in with, when the owner can set it up in Settings."""
    method = oauth_method(connector_key)
    if method is None or method.app is None or method.client_metadata:
        return None
    return method.app


def guides_dir() -> Path:
    """The step-by-step guides, one per network, in the documentation (docs/networks/)."""
    return Path(settings.PACKAGE_DIR).parent / "docs" / "networks"


def guide_text(connector_key: str) -> str | None:
    """The network's step-by-step guide, or None when this installation came without it (a
    package installed without the source's ``docs/`` folder)."""
    if app_of_network(connector_key) is None:
        return None
    path = guides_dir() / f"{connector_key}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
