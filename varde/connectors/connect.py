"""How people connect a network, declared as data next to its connector (NetBox style).

A connector says *what* it can do (``Capability.OAUTH``, ``Capability.APP_PASSWORD``, its
``config_keys``); its ``connect_forms`` add what only people need: which fields to ask for, in
which words, where to find the values, and what the account picker says. Each network writes
its own in ``connectors/<network>/connect.py``; the channels app reads them through the
registry and builds the connect page, the picker page and ``varde channels connect`` from them.

Plain data with lazily translated words: no models, no app imports, nothing that runs.

Fields have a role: ``CONFIG`` values go to the account's config under ``config_key``;
``IDENTIFIER`` and ``SECRET`` go to ``connector.login(identifier, secret)`` when the connector
has ``Capability.APP_PASSWORD``, otherwise the secret is the access token itself.
"""

import enum
from dataclasses import dataclass

from django.utils.functional import Promise

Words = str | Promise


class FieldRole(enum.StrEnum):
    CONFIG = "config"
    IDENTIFIER = "identifier"
    SECRET = "secret"  # noqa: S105  (a role name, not a password)


@dataclass(frozen=True)
class Field:
    name: str  # the form field, and the CLI option with dashes (app_password → --app-password)
    label: Words
    help: Words = ""
    role: FieldRole = FieldRole.CONFIG
    config_key: str = ""  # defaults to ``name``
    # A user-given address Varde will call: checked by the SSRF guard before anything is sent.
    is_url: bool = False
    default: str = ""
    required: bool = True
    input_type: str = "text"  # the HTML input type: text, url, password, email, number

    @property
    def key(self) -> str:
        return self.config_key or self.name

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class CredentialMethod:
    """Connect with values the person types: an app password, a token, an address + secret."""

    connector_key: str
    title: Words
    # Where to get the values, in plain words; shown above the form.
    intro: Words
    fields: tuple[Field, ...]
    # Added to the error when the network refuses the values: what to check.
    wrong_hint: Words = ""


@dataclass(frozen=True)
class OAuthMethod:
    """Connect by signing in on the network (OAuth 2.0 authorization code).

    ``app`` names this Varde's app with the network (its id and secret, which the channels
    app finds in the environment or Settings and passes in the config); ``None`` means the
    app is registered on the person's own server first (Mastodon), or, with
    ``client_metadata``, that Varde's client id is the address of a metadata document it serves
    itself (AT Protocol OAuth, see ``channels/atproto_client.py``). PKCE is used when the
    connector takes a ``code_verifier`` in its config, DPoP when it takes a ``dpop_key``.
    """

    connector_key: str
    app: str | None
    intro: Words
    # Asked before the sign-in (the instance address).
    fields: tuple[Field, ...] = ()
    # True when the app credentials need a secret as well as an id (X works without one).
    needs_secret: bool = True
    client_metadata: bool = False


@dataclass(frozen=True)
class PickerWords:
    """What the picker page says for a network where one sign-in manages several accounts
    (``managed.ListsManagedAccounts``), in words for the people using it."""

    title: Words
    legend: Words
    none_found: Words
    submit: Words
    cannot_post: Words = ""


@dataclass(frozen=True)
class ConnectForms:
    """Every way a network can be connected: typed credentials, a sign-in, and the words of
    the account picker after a sign-in. ``None`` where the network has no such way."""

    credentials: CredentialMethod | None = None
    oauth: OAuthMethod | None = None
    picker: PickerWords | None = None


# The sandbox and any connector that declares nothing: no form, connected without credentials.
NO_FORMS = ConnectForms()
