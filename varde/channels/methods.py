"""How each network is connected: the one table the connect page and the CLI both read.

A connector says *what* it can do (``Capability.OAUTH``, ``Capability.APP_PASSWORD``, its
``config_keys``); this table adds what only people need: which fields to ask for, in which
words, and where to find the values. Adding a network that connects with typed credentials
(SMTP, say) is one ``CredentialMethod`` row; an OAuth network is one ``OAuthMethod`` row plus
its app credentials in the settings (``VARDE_OAUTH_APPS``).

Fields have a role: ``CONFIG`` values go to the account's config under ``config_key``;
``IDENTIFIER`` and ``SECRET`` go to ``connector.login(identifier, secret)`` when the connector
has ``Capability.APP_PASSWORD``, otherwise the secret is the access token itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class FieldRole(enum.StrEnum):
    CONFIG = "config"
    IDENTIFIER = "identifier"
    SECRET = "secret"  # noqa: S105  (a role name, not a password)


@dataclass(frozen=True)
class Field:
    name: str  # the form field, and the CLI option with dashes (app_password → --app-password)
    label: str | Promise
    help: str | Promise = ""
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
    title: str | Promise
    # Where to get the values, in plain words; shown above the form.
    intro: str | Promise
    fields: tuple[Field, ...]
    # Added to the error when the network refuses the values: what to check.
    wrong_hint: str | Promise = ""


@dataclass(frozen=True)
class OAuthMethod:
    """Connect by signing in on the network (OAuth 2.0 authorization code).

    ``app`` names the operator's app credentials in ``VARDE_OAUTH_APPS``; ``None`` means the
    app is registered on the person's own server first (Mastodon). PKCE is used when the
    connector takes a ``code_verifier`` in its config.
    """

    connector_key: str
    app: str | None
    intro: str | Promise
    # Asked before the sign-in (the instance address).
    fields: tuple[Field, ...] = ()
    # True when the app credentials need a secret as well as an id (X works without one).
    needs_secret: bool = True


SERVICE = Field(
    "service",
    _("Server address"),
    _("https://bsky.social for most people; your own PDS address if you host one."),
    is_url=True,
    default="https://bsky.social",
    input_type="url",
)
INSTANCE = Field(
    "instance",
    _("Your Mastodon server"),
    _("The address of the server your account lives on, for example https://mastodon.social."),
    is_url=True,
    input_type="url",
)

CREDENTIAL_METHODS: tuple[CredentialMethod, ...] = (
    CredentialMethod(
        "bluesky",
        _("Connect with an app password"),
        _(
            "In Bluesky, open Settings → Privacy and security → App passwords and create one "
            "called “Varde”. Use it here instead of your real password; you can revoke it any time."
        ),
        (
            SERVICE,
            Field(
                "handle",
                _("Handle"),
                _("For example varde.bsky.social, without the @."),
                role=FieldRole.IDENTIFIER,
            ),
            Field(
                "app_password",
                _("App password"),
                _("Looks like xxxx-xxxx-xxxx-xxxx."),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check the handle and create a new app password if you are unsure of it."),
    ),
    CredentialMethod(
        "mastodon",
        _("Connect with an access token"),
        _(
            "On your Mastodon server, open Preferences → Development → New application, give "
            "it the scopes read, write and push, save, and copy “Your access token”."
        ),
        (
            INSTANCE,
            Field(
                "token",
                _("Access token"),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check that the token belongs to an application on this server."),
    ),
    CredentialMethod(
        "wordpress",
        _("Connect with an application password"),
        _(
            "In WordPress, open Users → Profile → Application Passwords, add one called "
            "“Varde” and copy it. The user must be allowed to publish posts."
        ),
        (
            Field(
                "site",
                _("Site address"),
                _("For example https://blog.example.no."),
                is_url=True,
                input_type="url",
            ),
            Field(
                "user",
                _("User name"),
                _("The WordPress user name the application password belongs to."),
                role=FieldRole.IDENTIFIER,
            ),
            Field(
                "app_password",
                _("Application password"),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check the user name, and that the application password has not been revoked."),
    ),
    CredentialMethod(
        "webhook",
        _("Send posts to an address"),
        _(
            "Varde sends each post as signed JSON (HTTP POST) to this address. The receiver "
            "checks the X-Varde-Signature header with the shared secret."
        ),
        (
            Field(
                "url",
                _("Address"),
                _("An https address that accepts POST requests."),
                is_url=True,
                input_type="url",
            ),
            Field(
                "secret",
                _("Shared secret"),
                _("A long random text the receiver also knows; at least 16 characters."),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
    ),
    # The SMTP newsletter connector lives in varde/connectors/newsletter.py; the row only
    # shows where it is enabled (VARDE_CONNECTORS).
    CredentialMethod(
        "newsletter",
        _("Connect a mail server (SMTP)"),
        _(
            "Varde sends the newsletter through your own mail server. Ask whoever runs your "
            "e-mail for the SMTP server name, port, user name and password."
        ),
        (
            Field("host", _("SMTP server"), _("For example smtp.example.no.")),
            Field("port", _("Port"), _("587 for STARTTLS, 465 for TLS."), input_type="number"),
            Field(
                "security",
                _("Encryption"),
                _("starttls (usually port 587) or ssl (usually port 465)."),
                default="starttls",
            ),
            Field("user", _("User name"), role=FieldRole.IDENTIFIER),
            Field("password", _("Password"), role=FieldRole.SECRET, input_type="password"),
            Field(
                "from",
                _("Sender address"),
                _("The address the newsletter comes from."),
                config_key="from_address",
                input_type="email",
            ),
            Field(
                "from_name",
                _("Sender name"),
                _("Optional, for example the name of your business."),
                required=False,
            ),
        ),
        _("Check the server name, port, user name and password."),
    ),
)

OAUTH_METHODS: tuple[OAuthMethod, ...] = (
    OAuthMethod(
        "mastodon",
        None,
        _(
            "Varde registers itself on your server, then sends you there to sign in and allow "
            "access. Nothing needs to be set up by the operator."
        ),
        (INSTANCE,),
    ),
    OAuthMethod(
        "x",
        "x",
        _("You sign in on X and allow Varde to post for the account."),
        needs_secret=False,
    ),
    # LinkedIn, Facebook and Instagram ask for nothing first: after signing in, the person
    # chooses the page or account from the ones they manage (pickers.py).
    OAuthMethod(
        "linkedin",
        "linkedin",
        _("You sign in on LinkedIn as an administrator of the company page, then choose the page."),
    ),
    OAuthMethod(
        "facebook",
        "meta",
        _(
            "You sign in on Facebook as someone who manages the Page, then choose the Page. "
            "When Facebook asks which Pages Varde may use, tick it."
        ),
    ),
    OAuthMethod(
        "instagram",
        "meta",
        _(
            "You sign in on Facebook as someone who manages the Page linked to the Instagram "
            "professional account, then choose the account. When Facebook asks which Pages "
            "Varde may use, tick that Page."
        ),
    ),
    OAuthMethod("threads", "threads", _("You sign in on Threads and allow Varde to post.")),
    OAuthMethod(
        "youtube",
        "google",
        _("You sign in with the Google account that owns the YouTube channel."),
    ),
)

# Connected without any credentials: the sandbox network for trying Varde out.
NO_CREDENTIALS = frozenset({"sandbox"})

_CREDENTIALS_BY_KEY = {method.connector_key: method for method in CREDENTIAL_METHODS}
_OAUTH_BY_KEY = {method.connector_key: method for method in OAUTH_METHODS}


def credential_method(connector_key: str) -> CredentialMethod | None:
    return _CREDENTIALS_BY_KEY.get(connector_key)


def oauth_method(connector_key: str) -> OAuthMethod | None:
    return _OAUTH_BY_KEY.get(connector_key)
