from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from varde.content.media import inspect_upload


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


def test_videos_by_their_container_signature():
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    mov = b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 100
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 100
    assert inspect_upload(io.BytesIO(mp4), len(mp4)).mime_type == "video/mp4"
    assert inspect_upload(io.BytesIO(mov), len(mov)).mime_type == "video/quicktime"
    found = inspect_upload(io.BytesIO(webm), len(webm))
    assert (found.kind, found.mime_type, found.width) == ("video", "video/webm", None)


def test_empty_and_oversized_files():
    with pytest.raises(ValidationError, match="empty"):
        inspect_upload(io.BytesIO(b""), 0)
    data = image_bytes()
    with pytest.raises(ValidationError, match="20 MB"):
        inspect_upload(io.BytesIO(data), 21 * 1024 * 1024)
