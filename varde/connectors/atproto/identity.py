"""Who an AT Protocol account is and where it lives: handle → DID → DID document → PDS.

References: https://atproto.com/specs/handle, https://atproto.com/specs/did and the OAuth
profile (https://atproto.com/specs/oauth, "Identity Authentication"), which requires the
client to resolve the account's PDS from its DID document itself rather than trust what a
server says, and to check the handle both ways (the DID document must claim the handle).

Handles are resolved with ``com.atproto.identity.resolveHandle`` on the server the person
names (bsky.social by default, or their own PDS): Varde has no DNS library for the TXT
method, and a PDS answers for any handle. The answer is checked against the DID document,
so a server that lies about a handle only gets a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from varde.connectors.bluesky.xrpc import NETWORK, read_error
from varde.connectors.errors import Rejected
from varde.connectors.http import json_object, send

DEFAULT_PLC_DIRECTORY = "https://plc.directory"
_PDS_SERVICE_ID = "#atproto_pds"
_PDS_SERVICE_TYPE = "AtprotoPersonalDataServer"
_HANDLE_PREFIX = "at://"


@dataclass(frozen=True)
class Identity:
    did: str
    handle: str
    pds: str


def _get_json(client: httpx.Client, url: str, **kwargs: Any) -> dict[str, Any]:
    response = send(
        client, "GET", url, side_effect=False, read_error=read_error, network=NETWORK, **kwargs
    )
    return json_object(response, side_effect=False, network=NETWORK)


def resolve_handle(client: httpx.Client, *, service: str, handle: str) -> str:
    found = _get_json(
        client,
        f"{service.rstrip('/')}/xrpc/com.atproto.identity.resolveHandle",
        params={"handle": handle},
    )
    did = found.get("did")
    if not isinstance(did, str) or not did.startswith("did:"):
        msg = f"{NETWORK}: the handle {handle} was not found"
        raise Rejected(msg, code="handle_not_found")
    return did


def did_document_url(did: str, *, plc_directory: str) -> str:
    if did.startswith("did:plc:"):
        return f"{plc_directory.rstrip('/')}/{quote(did, safe=':')}"
    if did.startswith("did:web:"):
        # atproto allows did:web only for a whole host name (no port, no path).
        host = did.removeprefix("did:web:")
        if not host or ":" in host or "/" in host:
            msg = f"{NETWORK}: unsupported did:web identifier {did}"
            raise Rejected(msg, code="unsupported_did")
        return f"https://{host}/.well-known/did.json"
    msg = f"{NETWORK}: unsupported account identifier {did}"
    raise Rejected(msg, code="unsupported_did")


def pds_endpoint(document: dict[str, Any]) -> str | None:
    """The ``#atproto_pds`` service of a DID document."""
    for service in document.get("service") or []:
        if not isinstance(service, dict):
            continue
        service_id = str(service.get("id", ""))
        if service_id.endswith(_PDS_SERVICE_ID) and service.get("type") == _PDS_SERVICE_TYPE:
            endpoint = service.get("serviceEndpoint")
            return endpoint.rstrip("/") if isinstance(endpoint, str) else None
    return None


def claimed_handles(document: dict[str, Any]) -> list[str]:
    return [
        aka.removeprefix(_HANDLE_PREFIX).lower()
        for aka in document.get("alsoKnownAs") or []
        if isinstance(aka, str) and aka.startswith(_HANDLE_PREFIX)
    ]


def resolve_did(client: httpx.Client, did: str, *, plc_directory: str) -> Identity:
    """The DID's document: its PDS and its first claimed handle."""
    document = _get_json(client, did_document_url(did, plc_directory=plc_directory))
    if document.get("id") != did:
        msg = f"{NETWORK}: the identity document does not belong to {did}"
        raise Rejected(msg, code="did_mismatch")
    pds = pds_endpoint(document)
    if not pds:
        msg = f"{NETWORK}: the account {did} names no server (PDS)"
        raise Rejected(msg, code="no_pds")
    handles = claimed_handles(document)
    return Identity(did=did, handle=handles[0] if handles else "", pds=pds)


def resolve_identity(
    client: httpx.Client, *, identifier: str, service: str, plc_directory: str
) -> Identity:
    """A handle (``name.bsky.social``, with or without ``@``) or a DID, resolved and
    checked both ways."""
    wanted = identifier.strip().removeprefix("@").lower()
    if wanted.startswith("did:"):
        return resolve_did(client, wanted, plc_directory=plc_directory)
    did = resolve_handle(client, service=service, handle=wanted)
    document = _get_json(client, did_document_url(did, plc_directory=plc_directory))
    if wanted not in claimed_handles(document):
        msg = f"{NETWORK}: the account behind {wanted} does not confirm that handle"
        raise Rejected(msg, code="handle_mismatch")
    pds = pds_endpoint(document)
    if document.get("id") != did or not pds:
        msg = f"{NETWORK}: the identity document of {wanted} is not usable"
        raise Rejected(msg, code="did_mismatch")
    return Identity(did=did, handle=wanted, pds=pds)
