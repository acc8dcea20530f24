"""How each network is connected, read from the connectors: the one source the connect page,
the picker page and the CLI all read.

Each network declares its connect form as data next to its connector
(``varde/connectors/<network>/connect.py``, exposed as the class's ``connect_forms``); this
module only finds it through the registry. Adding a network that connects with typed
credentials (SMTP, say) is one ``CredentialMethod`` there; an OAuth network is one
``OAuthMethod`` there plus its app credentials (the environment's ``VARDE_OAUTH_APPS``, or
Settings → Networks: ``network_apps.py``).
"""

from __future__ import annotations

from varde.connectors import registry
from varde.connectors.connect import NO_FORMS, ConnectForms, CredentialMethod, OAuthMethod


def connect_forms(connector_key: str) -> ConnectForms:
    """The network's connect forms; none for a key no connector answers to."""
    try:
        return registry.get(connector_key).connect_forms
    except registry.UnknownConnectorError:
        return NO_FORMS


def credential_method(connector_key: str) -> CredentialMethod | None:
    return connect_forms(connector_key).credentials


def oauth_method(connector_key: str) -> OAuthMethod | None:
    return connect_forms(connector_key).oauth


def credential_methods() -> tuple[CredentialMethod, ...]:
    """Every network that connects with typed credentials, enabled or not, in the registry's
    order (the CLI builds one subcommand for each)."""
    found = (cls.connect_forms.credentials for cls in registry.known())
    return tuple(method for method in found if method is not None)
