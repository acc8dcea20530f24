"""X media uploads: images in one request, videos in chunks, then polled until processed.

Kept apart from ``x.py`` so the connector reads as the network's story (connect, publish,
listen) while the upload steps, the longest part of publishing, sit together here.

Reference: https://docs.x.com/x-api (media: ``POST /2/media/upload`` for an image,
``/2/media/upload/initialize``, ``/{id}/append`` and ``/{id}/finalize`` for a video,
``GET /2/media/upload?command=STATUS`` while ``processing_info`` says it is not ready, and
``POST /2/media/metadata`` for alt text).

Uploaded media is invisible until a post points at it, so every request here is
``side_effect=False``: a lost answer is ``Transient`` and the publish starts over.
"""

from collections.abc import Callable
from typing import Any

import httpx

from varde.connectors.contracts import MediaItem
from varde.connectors.errors import Rejected, Transient
from varde.connectors.http import json_object
from varde.connectors.x.api import NETWORK

# The connector's ``_call``: one request to the X API with the account's token.
Call = Callable[..., httpx.Response]

_CHUNK = 4 * 1024 * 1024


def _object(call: Call, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    response = call(method, path, side_effect=False, **kwargs)
    return json_object(response, side_effect=False, network=NETWORK)


def upload_media(
    call: Call, item: MediaItem, *, sleep: Callable[[float], None], poll_attempts: int
) -> str:
    """Upload one image or video, with its alt text; the media id a post can point at."""
    if item.is_video:
        media_id = _upload_chunked(call, item, sleep=sleep, poll_attempts=poll_attempts)
    else:
        # An animated GIF is processed like a video and polled below.
        category = "tweet_gif" if item.mime_type == "image/gif" else "tweet_image"
        data = (
            _object(
                call,
                "POST",
                "/2/media/upload",
                files={"media": ("upload", item.read_bytes(), item.mime_type)},
                data={"media_category": category, "media_type": item.mime_type},
            ).get("data")
            or {}
        )
        media_id = str(data["id"])
        _wait_for_media(
            call,
            media_id,
            data.get("processing_info"),
            sleep=sleep,
            poll_attempts=poll_attempts,
        )
    if item.alt_text:
        _object(
            call,
            "POST",
            "/2/media/metadata",
            json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}},
        )
    return media_id


def _upload_chunked(
    call: Call, item: MediaItem, *, sleep: Callable[[float], None], poll_attempts: int
) -> str:
    content = item.read_bytes()
    init = _object(
        call,
        "POST",
        "/2/media/upload/initialize",
        json={
            "media_type": item.mime_type,
            "total_bytes": len(content),
            "media_category": "tweet_video",
        },
    )
    media_id = str((init.get("data") or {})["id"])
    for index, start in enumerate(range(0, len(content), _CHUNK)):
        call(
            "POST",
            f"/2/media/upload/{media_id}/append",
            side_effect=False,
            files={"media": ("chunk", content[start : start + _CHUNK], item.mime_type)},
            data={"segment_index": str(index)},
        )
    final = _object(call, "POST", f"/2/media/upload/{media_id}/finalize")
    _wait_for_media(
        call,
        media_id,
        (final.get("data") or {}).get("processing_info"),
        sleep=sleep,
        poll_attempts=poll_attempts,
    )
    return media_id


def _wait_for_media(
    call: Call,
    media_id: str,
    info: Any,
    *,
    sleep: Callable[[float], None],
    poll_attempts: int,
) -> None:
    """Poll STATUS while ``processing_info.state`` is pending or in_progress."""
    for _ in range(poll_attempts):
        if not isinstance(info, dict) or info.get("state") == "succeeded":
            return
        if info.get("state") == "failed":
            error = info.get("error") or {}
            reason = error.get("message") or "X could not process the media file"
            raise Rejected(str(reason), code="media_failed")
        sleep(float(info.get("check_after_secs") or 1))
        status = _object(
            call,
            "GET",
            "/2/media/upload",
            params={"command": "STATUS", "media_id": media_id},
        )
        info = (status.get("data") or {}).get("processing_info")
    msg = "X is still processing the media; the post was not sent and can be retried"
    raise Transient(msg)
