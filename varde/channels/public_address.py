"""Whether the networks can reach Varde's public address (``VARDE_BASE_URL``).

Networks that download media (Instagram, Threads) fetch files from Varde itself, so the channel
page and the composer both warn when the address is one they cannot reach. Varde judges that
from the address's form alone (https, not a loopback or private address, not a local-only
name); it cannot tell from inside whether a firewall lets the network in.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _

from varde.connectors.ssrf import is_public

# Names that never lead outside a private network (RFC 6761, RFC 8375, common LAN suffixes).
_LOCAL_SUFFIXES = (
    "localhost",
    "local",
    "localdomain",
    "internal",
    "intranet",
    "lan",
    "home",
    "home.arpa",
    "corp",
    "test",
    "invalid",
)


def public_address_problem(base_url: str | None = None) -> str | None:
    """Why a network could not fetch files from Varde's address, or None when it could."""
    base = settings.BASE_URL if base_url is None else base_url
    try:
        parts = urlsplit(base)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        host, parts = "", urlsplit("")
    if parts.scheme == "https" and not host:
        return _(
            "Varde's address (the setting VARDE_BASE_URL) is %(address)s, which is not a "
            "complete web address."
        ) % {"address": base}
    if parts.scheme != "https":
        return _(
            "Varde's address (the setting VARDE_BASE_URL) is %(address)s, and it must start "
            "with https://."
        ) % {"address": base or "—"}
    if _only_reachable_nearby(host):
        return _(
            "Varde's address (the setting VARDE_BASE_URL) is %(address)s, which the networks "
            "cannot reach: it only works on this machine or its local network."
        ) % {"address": base}
    if not validate_host(host, settings.ALLOWED_HOSTS):
        # Django would answer the network's download with "400 Bad Request".
        return _(
            "Varde's address (the setting VARDE_BASE_URL) is %(address)s, but Varde does not "
            "answer to %(host)s: add it to the setting VARDE_ALLOWED_HOSTS."
        ) % {"address": base, "host": host}
    return None


def _only_reachable_nearby(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        # A name without a dot ("varde") is resolved only inside its own network.
        return "." not in host or any(
            host == suffix or host.endswith(f".{suffix}") for suffix in _LOCAL_SUFFIXES
        )
    return not is_public(address)


def media_address_problem(*, network: str) -> str | None:
    """The sentence to show where a post with media is planned for ``network`` (a network
    that downloads media) while Varde has no public address; None when it has one."""
    problem = public_address_problem()
    if problem is None:
        return None
    return _(
        "%(network)s downloads images and videos from Varde itself. %(problem)s Ask whoever "
        "runs Varde to set VARDE_BASE_URL to this installation's public https address."
    ) % {"network": network, "problem": problem}
