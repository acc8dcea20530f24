"""The video header readers on any bytes: facts or ``VideoHeaderError``, never anything else.

An upload is read before anything is stored (``content.media.inspect_upload``), so an
exception other than the ones these readers promise is a 500 on the composer's upload. The
files are real MP4 and WebM headers (``content/tests/videofiles.py``) with bytes overwritten,
cut short, or boxes and elements repeated; and bytes that only start like a video.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from varde.content.media import Inspected, inspect_upload
from varde.content.tests import videofiles
from varde.content.video import VideoFacts, VideoHeaderError, read_isobmff, read_matroska

VALID_FILES = [
    videofiles.mp4(),
    videofiles.mp4(moov_first=False, large_mdat=True, mvhd_version=1, tkhd_version=1),
    videofiles.mp4(brand=b"qt  ", matrix=videofiles.ROTATE_90),
    videofiles.webm(),
    videofiles.webm(unknown_segment=True, tracks_after_clusters=True),
    videofiles.webm(seconds=None, short_float=True, display=(640, 360)),
]
# The four-byte numbers a reader turns into sizes and counts: the edges of every width.
EDGE_NUMBERS = [0, 1, 7, 8, 9, 15, 16, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A valid file with a few bytes overwritten, a piece repeated, and perhaps cut short."""
    data = bytearray(draw(st.sampled_from(VALID_FILES)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.integers(0, 255))
        else:
            number = draw(st.sampled_from(EDGE_NUMBERS)).to_bytes(4, "big")
            data[at : at + 4] = number
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start, len(data)))
        data[end:end] = data[start:end] * draw(st.integers(1, 3))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


STARTS_LIKE_A_VIDEO = st.one_of(
    st.binary(max_size=300).map(lambda tail: b"\0\0\0\x18ftypisom" + tail),
    st.binary(max_size=300).map(lambda tail: b"\x1a\x45\xdf\xa3" + tail),
)


def _read(reader, data: bytes, size: int) -> None:
    try:
        facts = reader(io.BytesIO(data), size)
    except VideoHeaderError:
        return
    assert isinstance(facts, VideoFacts)


@given(data=st.one_of(damaged(), STARTS_LIKE_A_VIDEO, st.binary(max_size=200)))
def test_both_readers_answer_any_bytes_with_facts_or_a_header_error(data):
    for reader in (read_isobmff, read_matroska):
        _read(reader, data, len(data))


@given(data=damaged(), claimed=st.integers(0, 2**40))
def test_a_size_that_does_not_match_the_bytes_is_a_header_error_at_worst(data, claimed):
    for reader in (read_isobmff, read_matroska):
        _read(reader, data, claimed)


@given(data=st.one_of(damaged(), STARTS_LIKE_A_VIDEO))
def test_an_upload_is_described_or_refused_with_a_message(data):
    try:
        inspected = inspect_upload(io.BytesIO(data), len(data))
    except ValidationError as error:
        messages = error.messages
    else:
        assert isinstance(inspected, Inspected)
        return
    assert messages
    assert all(messages)
