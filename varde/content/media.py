"""What an uploaded file really is: its type and size read from the file, never from its name.

Images are opened with Pillow, which reads the format and the pixel size from the file itself
and refuses anything that is not a whole, readable image. Videos are recognised by their
container's signature (MP4/QuickTime ``ftyp``, WebM EBML); their length and displayed size come
from the container's headers (``varde.content.video``), read without a decoder and without
loading the file. A value the file does not state is left empty rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from varde.content.video import VideoHeaderError, read_isobmff, read_matroska
from varde.content.video.headers import Problem

IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
# Upper limits for any channel; each network's own, often smaller, limit is checked per channel.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_VIDEO_BYTES = 1024 * 1024 * 1024
MAX_PIXELS = 36_152_320  # LinkedIn's limit, the largest any network here accepts
MIN_SIDE = 32


@dataclass(frozen=True)
class Inspected:
    kind: str  # "image" | "video"
    mime_type: str
    size_bytes: int
    width: int | None
    height: int | None
    duration_seconds: float | None = None


# HEIF and AVIF pictures are ISO BMFF files too (a phone's photos); they go to the image check.
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def _video_type(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _IMAGE_BRANDS:
            return None
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


def inspect_upload(file: IO[bytes], size: int) -> Inspected:
    """Read the file's real type and dimensions, or raise a ValidationError that says why not."""
    if size <= 0:
        raise ValidationError(_("The file is empty."))
    file.seek(0)
    head = file.read(32)
    file.seek(0)
    video = _video_type(head)
    if video is not None:
        if size > MAX_VIDEO_BYTES:
            raise ValidationError(_("Videos can be at most 1 GB."))
        return _inspect_video(file, size, video)
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(_("Images can be at most 20 MB."))
    try:
        with Image.open(file) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This is not an image or video Varde can use. Use JPEG, PNG, GIF, WebP, MP4 or WebM.")
        ) from None
    finally:
        file.seek(0)
    mime = IMAGE_TYPES.get(image_format)
    if mime is None:
        raise ValidationError(
            _("%(format)s images are not accepted by the networks. Use JPEG, PNG, GIF or WebP.")
            % {"format": image_format}
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; use one at least %(min)s pixels each way.")
            % {"width": width, "height": height, "min": MIN_SIDE}
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels, more than any network takes.")
            % {"width": width, "height": height}
        )
    return Inspected("image", mime, size, width, height)


def _video_problem(problem: Problem) -> str:
    messages = {
        Problem.TRUNCATED: _(
            "The video file ends too early: it was probably cut off while copying or "
            "uploading. Upload the whole file again."
        ),
        Problem.NO_VIDEO_TRACK: _("This file has no picture, only sound. Upload a video."),
        Problem.UNSUPPORTED: _(
            "Matroska (MKV) videos are not accepted by the networks. Use MP4 or WebM."
        ),
    }
    return messages.get(
        problem,
        _(
            "Varde cannot read this video's length and size: the file may be damaged. "
            "Export it again as MP4 or WebM."
        ),
    )


def _inspect_video(file: IO[bytes], size: int, mime_type: str) -> Inspected:
    read = read_matroska if mime_type == "video/webm" else read_isobmff
    try:
        facts = read(file, size)
    except VideoHeaderError as error:
        raise ValidationError(_video_problem(error.problem)) from None
    finally:
        file.seek(0)
    return Inspected("video", mime_type, size, facts.width, facts.height, facts.duration_seconds)
