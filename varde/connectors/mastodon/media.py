"""Mastodon media uploads, and the wait while the server processes them.

Kept apart from ``mastodon.py`` so the connector reads as the network's story (connect,
publish, listen) while the upload and its polling sit together here.

Reference: https://docs.joinmastodon.org/methods/media/ (``POST /api/v2/media`` answers
``202 Accepted`` with ``url: null`` while the file is processed; ``GET /api/v1/media/:id``
answers ``206 Partial Content`` until it is ready).

An unattached upload is invisible and expires, so every request here is
``side_effect=False``: a lost answer is ``Transient`` and the publish starts over.
"""

from collections.abc import Callable

import httpx

from varde.connectors.contracts import MediaItem
from varde.connectors.errors import Transient
from varde.connectors.http import json_object
from varde.connectors.mastodon.api import NETWORK

# The connector's ``_call``: one request to the instance with the account's token.
Call = Callable[..., httpx.Response]

_MEDIA_PROCESSING = 206
_MEDIA_ACCEPTED = 202


def upload_media(
    call: Call,
    item: MediaItem,
    *,
    sleep: Callable[[float], None],
    poll_attempts: int,
    poll_interval: float,
) -> str:
    """Upload one file with its description (alt text); the media id once it is ready."""
    extension = item.mime_type.split("/")[-1]
    response = call(
        "POST",
        "/api/v2/media",
        side_effect=False,
        files={"file": (f"upload.{extension}", item.read_bytes(), item.mime_type)},
        data={"description": item.alt_text} if item.alt_text else {},
    )
    media = json_object(response, side_effect=False, network=NETWORK)
    media_id = str(media["id"])
    if response.status_code == _MEDIA_ACCEPTED or media.get("url") is None:
        _wait_for_media(
            call, media_id, sleep=sleep, poll_attempts=poll_attempts, poll_interval=poll_interval
        )
    return media_id


def _wait_for_media(
    call: Call,
    media_id: str,
    *,
    sleep: Callable[[float], None],
    poll_attempts: int,
    poll_interval: float,
) -> None:
    for _ in range(poll_attempts):
        response = call("GET", f"/api/v1/media/{media_id}", side_effect=False)
        if response.status_code != _MEDIA_PROCESSING:
            return
        sleep(poll_interval)
    msg = "Mastodon is still processing the media; the post was not sent and can be retried"
    raise Transient(msg)
