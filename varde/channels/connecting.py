"""Checking what a person gave us against the network, before anything is saved.

Every connect ends the same way: the connector's ``get_account`` is called with the new
credentials, and only an account the network describes is stored.
``services.channel_connect_verified`` stores a :class:`Verified`; the only writes here are
Varde's own registration on a Mastodon server (kept and reused, see ``_instance_app``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.channels import atproto_client, selectors
from varde.channels.connect_methods import oauth_method
from varde.channels.selectors import connector_config, oauth_app_credentials
from varde.connectors import registry, ssrf
from varde.connectors.atproto.dpop import DPoPKey
from varde.connectors.capabilities import Capability
from varde.connectors.connect import CredentialMethod, Field, FieldRole, OAuthMethod
from varde.connectors.contracts import AccountProfile, Credentials
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    NotSupported,
    RateLimited,
    Rejected,
)
from varde.connectors.oauth import new_code_verifier
from varde.lib.crypto import decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    from varde.connectors.base import Connector

# Tests replace the resolver so no test depends on DNS; production asks the system.
resolver: ssrf.Resolver = ssrf.system_resolver

# Config keys that are never stored with an account: the PKCE verifier and a DPoP key made for
# the flow live only during it (an OAuth grant keeps its DPoP key in its credentials), and the
# operator's settings decide the rest every time a connector is built.
_NOT_STORED = frozenset({"code_verifier", "dpop_key", "allow_private"})
# How long a started sign-in may take before its state is refused.
OAUTH_STATE_MAX_AGE_SECONDS = 15 * 60
MIN_WEBHOOK_SECRET = 16


class ConnectError(Exception):
    """What went wrong, in words the person can act on; ``field`` names the culprit."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Verified:
    """An account the network has just described, with what is needed to store it."""

    connector_key: str
    credentials: Credentials
    config: dict[str, str]
    secret_config: dict[str, str]
    profile: AccountProfile


def _reason(error: ConnectorError, network: str) -> str:
    # Connector messages often start with the network's name, which the sentence already has.
    reason = error.reason if isinstance(error, Rejected) else error.message
    return reason.removeprefix(f"{network}: ").strip()


def explain(error: ConnectorError, network: str, hint: str = "") -> str:
    """A connector error as one message that says what to do."""
    if isinstance(error, AuthExpired):
        text = _("%(network)s did not accept these details: %(reason)s") % {
            "network": network,
            "reason": _reason(error, network),
        }
    elif isinstance(error, RateLimited):
        return _(
            "%(network)s asks Varde to slow down (too many attempts). Nothing was saved; "
            "try again in a few minutes."
        ) % {"network": network}
    elif isinstance(error, Rejected):
        text = _("%(network)s refused: %(reason)s") % {
            "network": network,
            "reason": _reason(error, network),
        }
    elif isinstance(error, NotSupported):
        return _("%(network)s cannot be connected this way.") % {"network": network}
    else:  # Transient, OutcomeUnknown: nothing reached the network, or no answer came back
        return _(
            "%(network)s could not be reached (%(reason)s). Nothing was saved; check the "
            "address and try again in a minute."
        ) % {"network": network, "reason": _reason(error, network)}
    return f"{text.rstrip('.')}. {hint}".strip()


def clean_url(field: Field, value: str) -> str:
    """Refuse an address that points into the server's own network (the SSRF guard)."""
    try:
        ssrf.check_url(value, allow_private=settings.VARDE_ALLOW_PRIVATE_URLS, resolver=resolver)
    except ssrf.UnsafeURLError as error:
        raise ConnectError(
            _(
                "Varde will not use this address: %(reason)s. Give the public https address "
                "of the server."
            )
            % {"reason": error},
            field=field.name,
        ) from error
    return value.rstrip("/")


def _value(field: Field, values: Mapping[str, str]) -> str:
    value = (values.get(field.name) or "").strip() or field.default
    if field.required and not value:
        raise ConnectError(_("%(field)s is missing.") % {"field": field.label}, field=field.name)
    if field.is_url and value:
        value = clean_url(field, value)
    return value


def _connector(key: str, config: dict[str, str], credentials: Credentials | None) -> Connector:
    return registry.get(key)(credentials=credentials, config=connector_config(key, config, {}))


def _split(key: str, config: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Config to store: plain values, and the connector's sensitive ones to encrypt."""
    connector_class = registry.get(key)
    sensitive = connector_class.sensitive_config_keys
    dropped = _NOT_STORED | set(oauth_app_credentials(key) or {})
    # What a connector keeps only during a sign-in (Bluesky's discovered sign-in server).
    dropped |= getattr(connector_class, "flow_config_keys", frozenset())
    kept = {k: v for k, v in config.items() if k not in dropped}
    return (
        {k: v for k, v in kept.items() if k not in sensitive},
        {k: v for k, v in kept.items() if k in sensitive},
    )


def verified(
    *, key: str, config: dict[str, str], credentials: Credentials, profile: AccountProfile
) -> Verified:
    """What a connect flow hands over to be stored, with the config split into plain and
    secret values."""
    stored, secret_config = _split(key, config)
    return Verified(
        connector_key=key,
        credentials=credentials,
        config=stored,
        secret_config=secret_config,
        profile=profile,
    )


def _with_network_settings(
    key: str, config: dict[str, str], credentials: Credentials
) -> dict[str, str]:
    """Add what the network says about the account's server (a Mastodon instance's
    ``max_characters``, read through ``read_instance_settings``) to the config to store.

    A server that does not answer leaves Mastodon's defaults in place: the account works, the
    composer just counts against 500 until the next reconnect."""
    connector = _connector(key, config, credentials)
    read = getattr(connector, "read_instance_settings", None)
    if read is None:
        return config
    try:
        found = read()
    except ConnectorError:
        return config
    return {**config, **{k: v for k, v in found.items() if k in connector.config_keys}}


def verify_credentials(*, method: CredentialMethod, values: Mapping[str, str]) -> Verified:
    """Check typed credentials with the network: log in where it has a login, then read the
    account's profile. Raises ``ConnectError`` with a message to show."""
    key = method.connector_key
    config: dict[str, str] = {}
    identifier = secret = ""
    for field in method.fields:
        value = _value(field, values)
        if field.role == FieldRole.IDENTIFIER:
            identifier = value
        elif field.role == FieldRole.SECRET:
            secret = value
        elif value:
            config[field.key] = value
    if key == "webhook" and len(secret) < MIN_WEBHOOK_SECRET:
        raise ConnectError(
            _("The shared secret must be at least %(count)s characters.")
            % {"count": MIN_WEBHOOK_SECRET},
            field="secret",
        )
    connector_class = registry.get(key)
    hint = str(method.wrong_hint)
    try:
        if Capability.APP_PASSWORD in connector_class.capabilities:
            credentials = _connector(key, config, None).login(identifier=identifier, secret=secret)
        else:
            extra = {"username": identifier} if identifier else {}
            credentials = Credentials(access_token=secret, extra=extra)
        profile = _connector(key, config, credentials).get_account()
    except ConnectorError as error:
        raise ConnectError(explain(error, _(connector_class.label), hint)) from error
    config = _with_network_settings(key, config, credentials)
    return verified(key=key, config=config, credentials=credentials, profile=profile)


# -- OAuth -------------------------------------------------------------------------------


def oauth_begin(
    *, method: OAuthMethod, values: Mapping[str, str], redirect_uri: str
) -> tuple[str, dict[str, Any]]:
    """Start a sign-in: the address to send the person to, and what to keep (server side,
    in their session) until they come back with ``state``."""
    key = method.connector_key
    connector_class = registry.get(key)
    if oauth_app_credentials(key) is None:
        raise ConnectError(not_configured_message(method))
    config = {field.key: value for field in method.fields if (value := _value(field, values))}
    flow_secrets: dict[str, str] = {}
    if "code_verifier" in connector_class.config_keys:
        flow_secrets["code_verifier"] = new_code_verifier()
    if "dpop_key" in connector_class.config_keys:
        # DPoP (AT Protocol): a key of its own for every connection, made here.
        flow_secrets["dpop_key"] = DPoPKey.generate().private_jwk()
    if method.client_metadata:
        redirect_uri = atproto_client.redirect_uri()
    try:
        if method.app is None and not method.client_metadata:
            # Mastodon: Varde is registered on the person's own server (POST /api/v1/apps).
            app = _instance_app(key, config, redirect_uri)
            config["client_id"] = app["client_id"]
            flow_secrets["client_secret"] = app["client_secret"]
        state = secrets.token_urlsafe(32)
        connector = registry.get(key)(
            config=connector_config(key, config, flow_secrets), credentials=None
        )
        start = connector.authorize_url(redirect_uri=redirect_uri, state=state)
        # What the connector found on the way (Bluesky: the account's server and sign-in
        # server), needed again when the person comes back.
        config.update(start.keep)
    except ConnectorError as error:
        hint = ""
        if isinstance(error, Rejected) and error.code == "oauth_unavailable":
            hint = _("Connect with an app password instead.")
        raise ConnectError(explain(error, _(connector_class.label), hint)) from error
    pending = {
        "state": state,
        "connector_key": key,
        "config": config,
        # Encrypted even in the session: the verifier and a registered app's secret.
        "secrets": encrypt_secret(json.dumps(flow_secrets)),
        "started_at": timezone.now().timestamp(),
    }
    return start.url, pending


def _instance_app(key: str, config: dict[str, str], redirect_uri: str) -> dict[str, str]:
    """Varde's app on the account's server: the one registered before, if the server still
    knows it, else a new registration, kept for the next account there."""
    from varde.channels import services  # services imports this module

    where = {"connector_key": key, "instance": config["instance"], "redirect_uri": redirect_uri}
    stored = selectors.instance_app_get(**where)
    if stored is not None:
        if _connector(key, {**config, **stored}, None).app_is_registered():  # type: ignore[attr-defined]
            return stored
        services.instance_app_forget(**where, client_id=stored["client_id"])
    register = getattr(_connector(key, config, None), "register_app", None)
    if register is None:
        raise ConnectError(_("This network cannot register Varde by itself."))
    app: dict[str, str] = register(redirect_uri=redirect_uri, website=settings.BASE_URL)
    services.instance_app_save(**where, **app)
    return app


@dataclass(frozen=True)
class PendingFlow:
    """A started sign-in as the callback needs it: which connector, the config the person
    gave, and that config with the flow's secrets (PKCE verifier, DPoP key, ...) to run it."""

    key: str
    connector_class: type[Connector]
    config: dict[str, str]
    flow_secrets: dict[str, str]
    run_config: dict[str, str]


def pending_flow(pending: Mapping[str, Any]) -> PendingFlow:
    key = str(pending["connector_key"])
    config = {str(k): str(v) for k, v in dict(pending.get("config") or {}).items()}
    flow_secrets = json.loads(decrypt_secret(str(pending["secrets"])))
    return PendingFlow(
        key=key,
        connector_class=registry.get(key),
        config=config,
        flow_secrets=flow_secrets,
        run_config=connector_config(key, config, flow_secrets),
    )


def oauth_expired(pending: Mapping[str, Any]) -> bool:
    started = float(pending.get("started_at") or 0)
    return timezone.now().timestamp() - started > OAUTH_STATE_MAX_AGE_SECONDS


def oauth_complete(
    *, pending: Mapping[str, Any], code: str, redirect_uri: str, issuer: str | None = None
) -> Verified:
    """Exchange the code (with the PKCE verifier kept since the start) and read the account.

    ``issuer`` is the ``iss`` the network sent back with the code (RFC 9207); where the flow
    found its sign-in server itself (Bluesky), it must be that server."""
    flow = pending_flow(pending)
    expected_issuer = flow.config.get("oauth_issuer")
    if expected_issuer and (issuer or "").rstrip("/") != expected_issuer:
        raise ConnectError(
            _(
                "%(network)s sent the sign-in back from another server than the one it started "
                "on. Nothing was connected; start again."
            )
            % {"network": _(flow.connector_class.label)}
        )
    method = oauth_method(flow.key)
    if method is not None and method.client_metadata:
        redirect_uri = atproto_client.redirect_uri()
    try:
        credentials = flow.connector_class(config=flow.run_config).exchange_code(
            code=code, redirect_uri=redirect_uri
        )
        profile = flow.connector_class(
            credentials=credentials, config=flow.run_config
        ).get_account()
    except AuthExpired as error:
        if "instance" in flow.config and "client_id" in flow.config and _registers_itself(flow.key):
            # The server refused Varde's own registration (it was removed meanwhile): forget
            # it, so the next try registers again.
            from varde.channels import services  # services imports this module

            services.instance_app_forget(
                connector_key=flow.key,
                instance=flow.config["instance"],
                redirect_uri=redirect_uri,
                client_id=flow.config["client_id"],
            )
            hint = _("Start again: Varde will register itself on the server anew.")
            raise ConnectError(explain(error, _(flow.connector_class.label), hint)) from error
        raise ConnectError(explain(error, _(flow.connector_class.label))) from error
    except ConnectorError as error:
        raise ConnectError(explain(error, _(flow.connector_class.label))) from error
    config = _with_network_settings(flow.key, {**flow.config, **flow.flow_secrets}, credentials)
    return verified(key=flow.key, config=config, credentials=credentials, profile=profile)


def _registers_itself(key: str) -> bool:
    method = oauth_method(key)
    return method is not None and method.app is None and not method.client_metadata


def not_configured_message(method: OAuthMethod, *, owner: bool = False) -> str:
    """Why the network cannot be signed in on yet, for the person on the connect page: the
    owner of this Varde is told where to set it up; anyone else, who cannot, is told who can
    (never the server's variables, which mean nothing to them)."""
    label = _(registry.get(method.connector_key).label)
    if method.client_metadata:
        return _(
            "Signing in with %(network)s needs this Varde to have a public https address, or to "
            "run on this machine (127.0.0.1). Connect with an app password instead."
        ) % {"network": label}
    if owner:
        return _(
            "%(network)s is not set up on this Varde yet. Enter this Varde's app with "
            "%(network)s in Settings; the guide there shows where to get it."
        ) % {"network": label}
    return _(
        "%(network)s is not set up on this Varde yet. The owner of this Varde must set it up in "
        "Settings first; then you can connect it here."
    ) % {"network": label}


def with_kept_refresh_token(fresh: Credentials, previous: Credentials | None) -> Credentials:
    """A new grant or refresh that came without a refresh token keeps the stored one."""
    if fresh.refresh_token or previous is None or not previous.refresh_token:
        return fresh
    return replace(fresh, refresh_token=previous.refresh_token)
