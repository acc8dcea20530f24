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

from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.urls import reverse

from varde.channels.public_address import media_address_problem, public_address_problem
from varde.content.models import PostMedia

# Long enough for the network to fetch the file, including a video it processes for minutes
# and an Instagram container that is published hours later; short enough that a leaked
# address soon stops working.
LIFETIME = timedelta(hours=24)
_SALT = "varde.content.public_media"
# "." cannot occur in the signer's URL-safe base64 parts, and keeps the token one path segment.
_SEPARATOR = "."


class NoPublicAddressError(Exception):
    """The post has media for a network that downloads it, and Varde has no public address.

    The message is for the author, in the active language, and names the setting to change."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, sep=_SEPARATOR)


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
