"""Refuse user-given URLs that point into the server's own network.

A webhook or feed URL comes from a user; without this guard it could make Varde call its
own admin ports, a cloud metadata service (169.254.169.254) or a database on the private
network. The guard resolves the host once, refuses any address that is not public, and
returns the address it checked so the caller connects to exactly that address (no second
DNS lookup for an attacker to answer differently).

Reusable by any code that fetches user-given URLs (feeds, link previews, webhooks).
"""

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeURLError(ValueError):
    """The URL is malformed, uses another scheme, or points at a non-public address."""


class UnresolvedHostError(UnsafeURLError):
    """The host name did not resolve (yet): a passing problem, not a refusal."""


@dataclass(frozen=True)
class SafeTarget:
    """A checked URL: connect to ``pinned_url`` and send ``host_header`` as Host."""

    url: str
    hostname: str
    address: str
    pinned_url: str
    host_header: str


def system_resolver(host: str, port: int) -> Sequence[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 and 64:ff9b::/96 NAT64 hide IPv4 addresses inside IPv6.
        embedded = address.ipv4_mapped or _nat64_embedded(address)
        if embedded is not None:
            return is_public(embedded)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _nat64_embedded(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def check_url(
    url: str, *, allow_private: bool = False, resolver: Resolver = system_resolver
) -> SafeTarget:
    """Check ``url`` and return where to connect; raise ``UnsafeURLError`` when it is refused.

    ``allow_private`` is for tests and single-machine installs that post to their own LAN;
    it still refuses other schemes.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        msg = f"not a valid URL: {url!r}"
        raise UnsafeURLError(msg) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        msg = f"only http and https URLs are allowed, not {scheme or 'a URL without scheme'}"
        raise UnsafeURLError(msg)
    hostname = parts.hostname
    if not hostname:
        msg = "the URL has no host"
        raise UnsafeURLError(msg)
    if parts.username or parts.password:
        msg = "URLs with a user name or password in them are not allowed"
        raise UnsafeURLError(msg)
    port = port or _DEFAULT_PORTS[scheme]
    addresses = _addresses(hostname, port, resolver)
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                msg = f"{hostname} points to a non-public address ({address}), which is refused"
                raise UnsafeURLError(msg)
    chosen = addresses[0]
    literal = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = hostname if parts.port is None else f"{hostname}:{parts.port}"
    if ":" in hostname:
        host_header = f"[{hostname}]" + ("" if parts.port is None else f":{parts.port}")
    pinned = urlunsplit((scheme, netloc, parts.path, parts.query, ""))
    return SafeTarget(
        url=url,
        hostname=hostname,
        address=str(chosen),
        pinned_url=pinned,
        host_header=host_header,
    )


def public_addresses(
    hostname: str, port: int, *, resolver: Resolver = system_resolver
) -> list[str]:
    """Every address ``hostname`` resolves to, all public, to connect to exactly these (the
    per-connection check of ``http.AddressGuard``). Raises ``UnresolvedHostError`` when it
    does not resolve and ``UnsafeURLError`` when any address is not public."""
    addresses = _addresses(hostname, port, resolver)
    for address in addresses:
        if not is_public(address):
            msg = f"{hostname} points to a non-public address ({address}), which is refused"
            raise UnsafeURLError(msg)
    return [str(address) for address in addresses]


def _addresses(hostname: str, port: int, resolver: Resolver) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(hostname)]
    except ValueError:
        pass
    try:
        resolved = resolver(hostname, port)
    except (OSError, UnicodeError) as exc:
        msg = f"{hostname} could not be resolved"
        raise UnresolvedHostError(msg) from exc
    addresses: list[IPAddress] = []
    for raw in resolved:
        try:
            # Strip an IPv6 zone id ("fe80::1%eth0"): the address itself decides.
            addresses.append(ipaddress.ip_address(raw.split("%", 1)[0]))
        except ValueError as exc:
            msg = f"{hostname} resolved to something that is not an address"
            raise UnsafeURLError(msg) from exc
    if not addresses:
        msg = f"{hostname} could not be resolved"
        raise UnresolvedHostError(msg)
    return addresses
