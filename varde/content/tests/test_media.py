from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from varde.content.media import inspect_upload
from varde.content.tests import videofiles


def image_bytes(fmt="PNG", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 0, 0)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_type_and_dimensions_come_from_the_file(fmt, mime):
    data = image_bytes(fmt, (120, 80))
    found = inspect_upload(io.BytesIO(data), len(data))
    assert (found.kind, found.mime_type, found.width, found.height) == ("image", mime, 120, 80)


def test_a_renamed_text_file_is_refused():
    data = b"#!/bin/sh\necho not an image\n" * 10
    with pytest.raises(ValidationError, match="not an image or video"):
        inspect_upload(io.BytesIO(data), len(data))


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG", (200, 200))[:60]
    with pytest.raises(ValidationError):
        inspect_upload(io.BytesIO(data), len(data))


def test_formats_no_network_takes_are_refused():
    data = image_bytes("BMP", (64, 64))
    with pytest.raises(ValidationError, match="BMP"):
        inspect_upload(io.BytesIO(data), len(data))


def test_tiny_images_are_refused():
    data = image_bytes("PNG", (10, 10))
    with pytest.raises(ValidationError, match="10×10"):
        inspect_upload(io.BytesIO(data), len(data))


def test_videos_by_their_container_signature_with_length_and_size():
    mp4 = videofiles.mp4(seconds=190, width=1920, height=1080)
    mov = videofiles.mp4(brand=b"qt  ", matrix=videofiles.ROTATE_90, width=1920, height=1080)
    webm = videofiles.webm(seconds=None, width=640, height=360)
    found = inspect_upload(io.BytesIO(mp4), len(mp4))
    assert (found.kind, found.mime_type, found.width, found.height, found.duration_seconds) == (
        "video",
        "video/mp4",
        1920,
        1080,
        190.0,
    )
    found = inspect_upload(io.BytesIO(mov), len(mov))
    assert (found.mime_type, found.width, found.height) == ("video/quicktime", 1080, 1920)
    found = inspect_upload(io.BytesIO(webm), len(webm))
    assert (found.mime_type, found.width, found.duration_seconds) == ("video/webm", 640, None)


@pytest.mark.parametrize(
    ("data", "english", "bokmal"),
    [
        (videofiles.mp4()[:-20], "ends too early", "slutter for tidlig"),
        (
            videofiles.ftyp(b"M4A ")
            + videofiles.box(b"moov", videofiles.mvhd(1000, 9000))
            + videofiles.box(b"mdat", b"\0" * 16),
            "no picture",
            "ikke noe bilde",
        ),
        (videofiles.webm(doc_type=b"matroska"), "Use MP4 or WebM", "Bruk MP4 eller WebM"),
        (videofiles.ftyp() + b"\0\0\0\x04free" + b"\0" * 64, "may be damaged", "kan være skadet"),
    ],
)
def test_unreadable_videos_are_refused_with_a_reason_in_both_languages(data, english, bokmal):
    for language, words in (("en", english), ("nb", bokmal)):
        with translation.override(language), pytest.raises(ValidationError, match=words):
            inspect_upload(io.BytesIO(data), len(data))


def test_a_phone_photo_in_heif_is_not_taken_for_a_video():
    heic = videofiles.ftyp(b"heic") + videofiles.box(b"meta", b"\0" * 64)
    with pytest.raises(ValidationError, match="not an image or video Varde can use"):
        inspect_upload(io.BytesIO(heic), len(heic))


def test_empty_and_oversized_files():
    with pytest.raises(ValidationError, match="empty"):
        inspect_upload(io.BytesIO(b""), 0)
    data = image_bytes()
    with pytest.raises(ValidationError, match="20 MB"):
        inspect_upload(io.BytesIO(data), 21 * 1024 * 1024)
