"""The address of the person behind a request, as far as this server can know it.

``REMOTE_ADDR`` is the only address nobody can forge: it is the other end of the TCP
connection. Behind a reverse proxy that is the proxy, the same for everyone, so login
throttling and the audit log would treat every user as one. ``X-Forwarded-For`` carries the
real address, but any client can send that header with any value, so it is read only when
``VARDE_TRUSTED_PROXIES`` says how many proxies of our own stand in front of Varde, and then
only the entry the outermost of *those* proxies wrote: every entry to its left came from
the client and may be made up.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def forwarded_ip(header: str, trusted_proxies: int) -> str | None:
    """The entry of ``header`` (X-Forwarded-For) that the outermost trusted proxy appended.

    Each proxy appends the address it was called from, so with ``n`` trusted proxies the
    client's address is the ``n``-th entry from the right. A header with fewer entries means
    the request skipped the outer proxies; its leftmost entry was still written by one of
    ours.
    """
    entries = [entry for entry in header.split(",") if entry.strip()]
    if trusted_proxies <= 0 or not entries:
        return None
    return _valid_ip(entries[-min(trusted_proxies, len(entries))])


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For only when proxies are configured."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = int(getattr(settings, "VARDE_TRUSTED_PROXIES", 0) or 0)
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if trusted > 0 and header:
        return forwarded_ip(header, trusted) or remote
    return remote
