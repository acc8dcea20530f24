"""Connectors: one package per network behind one small Protocol.

This package has no models and never touches the ORM. A connector takes and returns the
frozen dataclasses in :mod:`varde.connectors.contracts` and raises the typed errors in
:mod:`varde.connectors.errors`; everything else in Varde talks to networks through it.

Each network is a package (``bluesky/``, ``mastodon/``, ``meta/`` for Facebook, Instagram and
Threads, ...) with its connector and its connect form (``connect.py``); what every network
shares stays here at the top (``http``, ``oauth``, ``chain``, ``checks``, ``registry``, ...).

Read ``docs/new-connector.md`` before adding a network.
"""

from varde.connectors.base import BaseConnector, Connector
from varde.connectors.capabilities import Capability
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)

__all__ = [
    "AuthExpired",
    "BaseConnector",
    "Capability",
    "Connector",
    "ConnectorError",
    "NotSupported",
    "OutcomeUnknown",
    "RateLimited",
    "Rejected",
    "Transient",
]
