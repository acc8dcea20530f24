"""LinkedIn media uploads: images (Images API) and video (Videos API) for organization posts.

References on Microsoft Learn, linkedin/marketing/community-management/shares/: images-api,
videos-api ("Initialize Video Upload", "Upload the Video", "Finalize Video Upload", "Get a
Video") and posts-api ("Video" content).

A video goes up in parts: ``initializeUpload`` declares the size and answers one upload URL
per byte range (LinkedIn cuts the file in parts of about 4 MB); each range is PUT as
``application/octet-stream`` and answers an ``etag``; ``finalizeUpload`` takes the etags in the
order of the ranges. The file is read one range at a time, in blocks, from disk when the item
is a path, so a large video is never held in memory whole.

Nothing here is visible to anyone until a post points at the media, so every request is
``side_effect=False``: a lost answer is ``Transient`` and the whole publish can start over
with a fresh upload (the abandoned one is never shown). Parts are not re-sent on their own
either: a part that may or may not have arrived would leave the etag list unknowable.

LinkedIn processes a video after ``finalizeUpload`` (status ``PROCESSING``, then
``AVAILABLE`` or ``PROCESSING_FAILED``). The Posts API does not say a post may point at a
video still processing, and publishers report that LinkedIn accepts such a post and then
does not show it when the video fails. So Varde waits for ``AVAILABLE`` before creating the
post: a failed video becomes a refusal Varde reports before anything is published. The wait
is bounded (``sleep`` is the connector's, so tests do not wait); a video still processing
after it is ``Transient``, and nothing was posted.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import httpx

from varde.connectors.contracts import MediaItem
from varde.connectors.errors import Rejected, Transient
from varde.connectors.http import json_object
from varde.connectors.linkedin.api import NETWORK, urn_path

# How much of a part is read from disk at a time while it is being sent.
_BLOCK_BYTES = 1024 * 1024
_AVAILABLE = "AVAILABLE"
_FAILED = "PROCESSING_FAILED"


class Caller(Protocol):
    """The connector's ``_call``: one request with LinkedIn's headers and error mapping."""

    def __call__(
        self, method: str, path: str, *, side_effect: bool, **kwargs: Any
    ) -> httpx.Response: ...


def _value(response: httpx.Response) -> dict[str, Any]:
    value = json_object(response, side_effect=False, network=NETWORK).get("value")
    if not isinstance(value, dict):
        raise Transient(f"{NETWORK} answered the upload request without a value")
    return value


def post_content(
    call: Caller,
    owner: str,
    media: Sequence[MediaItem],
    *,
    title: str | None,
    sleep: Callable[[float], None],
    poll_attempts: int,
    poll_interval: float,
) -> dict[str, Any] | None:
    """The post's ``content`` after uploading its media, None for a text post.

    The Posts API takes one video or one image (``media``) or several images
    (``multiImage``), so a video shares its post with nothing else; that is refused here,
    before anything is uploaded. ``title`` is the video's title where one is given."""
    videos = [item for item in media if item.is_video]
    if videos and len(media) > 1:
        msg = "A LinkedIn post holds one video on its own, or images without a video."
        raise Rejected(msg, code="limits")
    if videos:
        urn = upload_video(
            call,
            owner,
            videos[0],
            sleep=sleep,
            poll_attempts=poll_attempts,
            poll_interval=poll_interval,
        )
        return {"media": {"id": urn, "title": title} if title else {"id": urn}}
    images = [{"id": upload_image(call, owner, item), "altText": item.alt_text} for item in media]
    if len(images) > 1:
        return {"multiImage": {"images": images}}
    return {"media": images[0]} if images else None


def upload_image(call: Caller, owner: str, item: MediaItem) -> str:
    """Images API: ``initializeUpload``, then one PUT of the bytes; returns the image URN."""
    value = _value(
        call(
            "POST",
            "/rest/images?action=initializeUpload",
            side_effect=False,
            json={"initializeUploadRequest": {"owner": owner}},
        )
    )
    call(
        "PUT",
        str(value["uploadUrl"]),
        side_effect=False,
        content=item.read_bytes(),
        headers={"Content-Type": item.mime_type},
    )
    return str(value["image"])


def upload_video(
    call: Caller,
    owner: str,
    item: MediaItem,
    *,
    sleep: Callable[[float], None],
    poll_attempts: int,
    poll_interval: float,
) -> str:
    """Videos API: initialize, PUT every range, finalize, wait until AVAILABLE; returns the
    video URN for ``content.media.id``."""
    size = item.size
    value = _value(
        call(
            "POST",
            "/rest/videos?action=initializeUpload",
            side_effect=False,
            json={
                "initializeUploadRequest": {
                    "owner": owner,
                    "fileSizeBytes": size,
                    "uploadCaptions": False,
                    "uploadThumbnail": False,
                }
            },
        )
    )
    video = value.get("video")
    if not isinstance(video, str) or not video:
        raise Transient(f"{NETWORK} answered the video upload request without a video URN")
    etags = [
        _put_part(call, url, item, first, last)
        for url, first, last in upload_ranges(value.get("uploadInstructions"), size)
    ]
    call(
        "POST",
        "/rest/videos?action=finalizeUpload",
        side_effect=False,
        json={
            "finalizeUploadRequest": {
                "video": video,
                "uploadToken": str(value.get("uploadToken") or ""),
                "uploadedPartIds": etags,
            }
        },
    )
    _wait_until_available(call, video, sleep=sleep, attempts=poll_attempts, interval=poll_interval)
    return video


def upload_ranges(instructions: object, size: int) -> list[tuple[str, int, int]]:
    """``(uploadUrl, firstByte, lastByte)`` in order, checked to cover the file exactly once:
    an answer that skips or repeats bytes would produce a broken video."""
    ranges: list[tuple[str, int, int]] = []
    expected = 0
    for instruction in instructions if isinstance(instructions, list) else ():
        url = instruction.get("uploadUrl") if isinstance(instruction, dict) else None
        first = instruction.get("firstByte") if isinstance(instruction, dict) else None
        last = instruction.get("lastByte") if isinstance(instruction, dict) else None
        if not (isinstance(url, str) and url.startswith("https://")):
            break
        if first != expected or not isinstance(last, int) or last < expected:
            break
        ranges.append((url, expected, last))
        expected = last + 1
    if not ranges or expected != size:
        msg = f"{NETWORK} gave upload instructions that do not cover the video's {size:,} bytes"
        raise Transient(msg)
    return ranges


def _put_part(call: Caller, url: str, item: MediaItem, first: int, last: int) -> str:
    response = call(
        "PUT",
        url,
        side_effect=False,
        content=_read_range(item, first, last),
        # httpx streams an iterator; the length keeps it from switching to chunked encoding.
        headers={
            "Content-Type": "application/octet-stream",
            "Content-Length": str(last - first + 1),
        },
    )
    etag = response.headers.get("etag")
    if not etag:
        msg = f"{NETWORK} took part of the video (bytes {first}-{last}) but sent no etag"
        raise Transient(msg, status=response.status_code)
    return str(etag)


def _read_range(item: MediaItem, first: int, last: int) -> Iterator[bytes]:
    if item.data is not None:
        yield item.data[first : last + 1]
        return
    assert item.path is not None  # noqa: S101  (MediaItem holds data or a path)
    with item.path.open("rb") as file:
        file.seek(first)
        remaining = last - first + 1
        while remaining:
            block = file.read(min(_BLOCK_BYTES, remaining))
            if not block:
                msg = "The video file became shorter while it was being sent; try again."
                raise Rejected(msg, code="media_changed")
            remaining -= len(block)
            yield block


def _wait_until_available(
    call: Caller,
    video: str,
    *,
    sleep: Callable[[float], None],
    attempts: int,
    interval: float,
) -> None:
    for attempt in range(attempts):
        response = call("GET", f"/rest/videos/{urn_path(video)}", side_effect=False)
        body = json_object(response, side_effect=False, network=NETWORK)
        status = body.get("status")
        if status == _AVAILABLE:
            return
        if status == _FAILED:
            why = body.get("processingFailureReason")
            detail = f" ({why})" if isinstance(why, str) and why else ""
            msg = (
                f"{NETWORK} could not process the video{detail}. Check that it is an MP4 file "
                "within LinkedIn's limits; nothing was posted."
            )
            raise Rejected(msg, code=_FAILED)
        if attempt + 1 < attempts:
            sleep(interval)
    msg = f"{NETWORK} is still processing the video; nothing was posted and it can be retried"
    raise Transient(msg, retry_after=interval)
