"""Signed, expiring public addresses of attached files, for networks that download media.

Instagram and Threads take no upload: Varde hands them an address and their servers fetch the
file from it (``Limits.media_by_url``). Uploads are otherwise only for members of the workspace,
so each such address carries a token signed with the secret key (``TimestampSigner``, its own
salt): it names one file, cannot be guessed or changed into another file's, and stops working
after ``LIFETIME``. A new token is made each time a post is sent, so a retry days later gets a
fresh one.

This only works when Varde has a public address (``VARDE_BASE_URL``) that the network can
reach. Varde judges that from the address's form alone (https, not a loopback or private
address, not a local-only name); it cannot tell from inside whether a firewall lets Meta in.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http.request import validate_host
from django.urls import reverse
from django.utils.translation import gettext as _

from varde.connectors.ssrf import is_public
from varde.content.models import PostMedia

# Long enough for the network to fetch the file, including a video it processes for minutes
# and an Instagram container that is published hours later; short enough that a leaked
# address soon stops working.
LIFETIME = timedelta(hours=24)
_SALT = "varde.content.public_media"
# "." cannot occur in the signer's URL-safe base64 parts, and keeps the token one path segment.
_SEPARATOR = "."
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


class NoPublicAddressError(Exception):
    """The post has media for a network that downloads it, and Varde has no public address.

    The message is for the author, in the active language, and names the setting to change."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, sep=_SEPARATOR)


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


def require_public_address(*, network: str) -> None:
    """Raise ``NoPublicAddressError`` when ``network`` could not fetch files from Varde."""
    problem = media_address_problem(network=network)
    if problem is not None:
        raise NoPublicAddressError(problem)


def _file_name(media: PostMedia) -> str:
    return PurePosixPath(media.file.name).name


def media_public_url(media: PostMedia) -> str | None:
    """A signed address of ``media`` valid for ``LIFETIME``, or None without a public address.

    Needs no query: only the row's id and stored file name."""
    if public_address_problem() is not None:
        return None
    token = _signer().sign(str(media.pk))
    path = reverse("public_media:file", kwargs={"token": token, "filename": _file_name(media)})
    return f"{settings.BASE_URL}{path}"


def media_for_token(token: str, filename: str) -> PostMedia | None:
    """The file a token was made for, while it is valid and the name matches; else None."""
    try:
        media_id = _signer().unsign(token, max_age=LIFETIME)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not media_id.isdigit():
        return None
    media = PostMedia.objects.filter(pk=int(media_id)).first()
    if media is None or _file_name(media) != filename:
        return None
    if not media.mime_type.startswith(("image/", "video/")):
        return None
    return media
