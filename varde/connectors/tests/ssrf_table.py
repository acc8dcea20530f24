"""The SSRF table: hosts a person might type that must never be reached.

Used by every test of a field that takes a host or URL (``tests/test_ssrf_table.py`` runs it
against each such field's client; ``test_smtp_ssrf.py`` against the SMTP host), so a spelling
added here is checked everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

# Host as typed → what the (fake) name service answers. IP literals are never looked up.
UNSAFE_HOSTS: dict[str, Sequence[str]] = {
    "127.0.0.1": [],
    "127.1.2.3": [],
    "0.0.0.0": [],  # noqa: S104 - an address under test, not a bind
    "10.0.0.5": [],
    "172.16.0.1": [],
    "192.168.1.1": [],
    "100.64.0.1": [],  # carrier-grade NAT
    "169.254.169.254": [],  # cloud metadata
    "::1": [],
    "::ffff:127.0.0.1": [],  # IPv4-mapped IPv6
    "64:ff9b::a9fe:a9fe": [],  # NAT64 of 169.254.169.254
    "fd00::1": [],
    "fe80::1": [],
    "localhost": ["127.0.0.1"],
    "2130706433": ["127.0.0.1"],  # decimal spelling, which getaddrinfo accepts
    "0x7f.1": ["127.0.0.1"],
    "0177.0.0.1": ["127.0.0.1"],  # octal spelling
    "127.1": ["127.0.0.1"],  # short spelling
    "0": ["0.0.0.0"],  # noqa: S104 - an address under test
    "::ffff:7f00:1": [],  # IPv4-mapped, written in hex
    "LocalHost.": ["127.0.0.1"],  # mixed case, trailing dot
    "metadata.google.internal": ["169.254.169.254"],
    # One public and one private answer: refused, the attacker may control which is used.
    "rebind.example": ["93.184.216.34", "10.0.0.1"],
}
