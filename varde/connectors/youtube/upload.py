"""YouTube's resumable upload: open a session, send the video in chunks, resume a lost one.

Kept apart from ``youtube.py`` because the resume protocol is the one long, self-contained
piece of publishing; the connector only hands it the file and the video's metadata.

Reference: https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol
(``uploadType=resumable``, ``308 Resume Incomplete`` with ``Range``, and ``bytes */total``
to ask a session how much arrived).
"""

from collections.abc import Callable
from typing import Any

import httpx

from varde.connectors.contracts import MediaItem
from varde.connectors.errors import OutcomeUnknown, Transient
from varde.connectors.http import json_object
from varde.connectors.youtube.api import NETWORK, UPLOAD_URL

# The connector's ``_call``: one request with the channel's token and YouTube's quota mapping.
Call = Callable[..., httpx.Response]

_RESUME_INCOMPLETE = 308


def upload_video(
    call: Call,
    item: MediaItem,
    metadata: dict[str, Any],
    *,
    chunk_bytes: int,
    resume_attempts: int,
) -> dict[str, Any]:
    """Resumable upload: open a session, then PUT the bytes in chunks. ``308 Resume
    Incomplete`` says how much arrived (``Range``); the last chunk creates the video, whose
    resource is returned."""
    content = item.read_bytes()
    total = len(content)
    session = call(
        "POST",
        UPLOAD_URL,
        side_effect=False,  # a session is invisible until all bytes arrive
        params={"uploadType": "resumable", "part": "snippet,status"},
        json=metadata,
        headers={
            "X-Upload-Content-Type": item.mime_type,
            "X-Upload-Content-Length": str(total),
        },
    )
    location = session.headers.get("location")
    if not location:
        raise Transient(f"{NETWORK} opened no upload session (no Location header)")
    offset, resumes = 0, 0
    while True:
        end = min(offset + chunk_bytes, total)
        try:
            response = call(
                "PUT",
                location,
                side_effect=end == total,
                accept=(_RESUME_INCOMPLETE,),
                content=content[offset:end],
                headers={
                    "Content-Type": item.mime_type,
                    "Content-Range": f"bytes {offset}-{end - 1}/{total}",
                },
            )
        except (Transient, OutcomeUnknown):
            resumes += 1
            if resumes > resume_attempts:
                raise
            # Ask the session how much it has: "bytes */total" (the resume protocol).
            response = call(
                "PUT",
                location,
                side_effect=True,
                accept=(_RESUME_INCOMPLETE,),
                headers={"Content-Range": f"bytes */{total}"},
            )
        if response.status_code != _RESUME_INCOMPLETE:
            return json_object(response, side_effect=True, network=NETWORK)
        received = response.headers.get("range", "")  # "bytes=0-524287"
        offset = int(received.rsplit("-", 1)[1]) + 1 if "-" in received else 0
