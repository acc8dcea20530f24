"""WebM (a Matroska profile): EBML elements from the file header to the first media cluster.

Every element is an ID and a size, both variable-length integers (a leading 1-bit says how many
bytes follow); a size of all ones means "unknown" (live recorders, such as a browser's
MediaRecorder, write the Segment that way). The length is ``Segment/Info/Duration`` in units of
``TimestampScale`` nanoseconds (default 1,000,000); the picture size is in the video track's
``Tracks/TrackEntry/Video`` (PixelWidth/Height, or DisplayWidth/Height when they are given in
pixels). When Info or Tracks come after the media, the ``SeekHead`` says where they are.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from varde.content.video.headers import (
    BoundedReader,
    Problem,
    VideoFacts,
    VideoHeaderError,
    clean_duration,
    clean_size,
)

EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
SEEK_HEAD, SEEK, SEEK_ID, SEEK_POSITION = 0x114D9B74, 0x4DBB, 0x53AB, 0x53AC
INFO, TIMESTAMP_SCALE, DURATION = 0x1549A966, 0x2AD7B1, 0x4489
TRACKS, TRACK_ENTRY, TRACK_TYPE, VIDEO = 0x1654AE6B, 0xAE, 0x83, 0xE0
PIXEL_WIDTH, PIXEL_HEIGHT = 0xB0, 0xBA
DISPLAY_WIDTH, DISPLAY_HEIGHT, DISPLAY_UNIT = 0x54B0, 0x54BA, 0x54B2
PROJECTION, PROJECTION_ROLL = 0x7670, 0x7675
CLUSTER = 0x1F43B675
TRACK_TYPE_VIDEO = 1


@dataclass(frozen=True)
class _Element:
    id: int
    data: int  # offset of the element's data
    end: int  # offset after it (the parent's end when the size is unknown)
    unknown_size: bool


def _vint(head: bytes, at: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, all value bits set) of the variable-length integer at ``head[at]``."""
    if at >= len(head):
        raise VideoHeaderError(Problem.TRUNCATED, "an element header is cut off")
    first = head[at]
    if first == 0:
        raise VideoHeaderError(Problem.MALFORMED, "an element header longer than 8 bytes")
    length = 9 - first.bit_length()
    if at + length > len(head):
        raise VideoHeaderError(Problem.TRUNCATED, "an element header is cut off")
    raw = int.from_bytes(head[at : at + length], "big")
    value_bits = 7 * length
    value = raw & ((1 << value_bits) - 1)
    return (raw if keep_marker else value), length, value == (1 << value_bits) - 1


def _header_at(reader: BoundedReader, offset: int, end: int) -> _Element:
    reader.step()
    head = reader.read_upto(offset, 12)
    element_id, id_length, _ = _vint(head, 0, keep_marker=True)
    if id_length > 4:
        raise VideoHeaderError(Problem.MALFORMED, "an element ID longer than 4 bytes")
    size, size_length, unknown = _vint(head, id_length, keep_marker=False)
    data = offset + id_length + size_length
    if unknown:
        return _Element(element_id, data, end, unknown_size=True)
    if data + size > end:
        raise VideoHeaderError(Problem.TRUNCATED, f"element {element_id:#x} runs past its end")
    return _Element(element_id, data, data + size, unknown_size=False)


def _children(reader: BoundedReader, start: int, end: int) -> Iterator[_Element]:
    offset = start
    while offset < end:
        element = _header_at(reader, offset, end)
        yield element
        if element.unknown_size:
            return  # its end is not known, so neither is where the next element starts
        offset = element.end


def _uint(reader: BoundedReader, element: _Element) -> int:
    length = element.end - element.data
    if length > 8:
        raise VideoHeaderError(Problem.MALFORMED, f"a number of {length} bytes")
    return int.from_bytes(reader.read(element.data, length), "big") if length else 0


def _float(reader: BoundedReader, element: _Element) -> float:
    length = element.end - element.data
    if length == 0:
        return 0.0
    if length not in (4, 8):
        raise VideoHeaderError(Problem.MALFORMED, f"a float of {length} bytes")
    (value,) = struct.unpack(">f" if length == 4 else ">d", reader.read(element.data, length))
    return float(value)


def _check_doc_type(reader: BoundedReader, header: _Element) -> None:
    doc_type = "matroska"  # the EBML default when DocType is missing
    for child in _children(reader, header.data, header.end):
        if child.id == DOC_TYPE:
            doc_type = (
                reader.read(child.data, child.end - child.data)
                .rstrip(b"\0")
                .decode("ascii", "replace")
            )
    if doc_type != "webm":
        # Matroska (.mkv) is the same container, but no network Varde publishes to takes it.
        raise VideoHeaderError(Problem.UNSUPPORTED, f"DocType {doc_type!r}")


def _seek_positions(reader: BoundedReader, seek_head: _Element) -> dict[int, int]:
    positions: dict[int, int] = {}
    for seek in _children(reader, seek_head.data, seek_head.end):
        if seek.id != SEEK:
            continue
        target, position = 0, None
        for field in _children(reader, seek.data, seek.end):
            if field.id == SEEK_ID:
                target = int.from_bytes(
                    reader.read(field.data, min(field.end - field.data, 4)), "big"
                )
            elif field.id == SEEK_POSITION:
                position = _uint(reader, field)
        if target and position is not None:
            positions.setdefault(target, position)
    return positions


def _duration(reader: BoundedReader, info: _Element) -> float | None:
    scale, duration = 1_000_000, None
    for child in _children(reader, info.data, info.end):
        if child.id == TIMESTAMP_SCALE:
            scale = _uint(reader, child) or 1_000_000
        elif child.id == DURATION:
            duration = _float(reader, child)
    return None if duration is None else clean_duration(duration * scale / 1e9)


def _video_size(reader: BoundedReader, video: _Element) -> tuple[int | None, int | None]:
    numbers: dict[int, int] = {}
    roll = 0.0
    for child in _children(reader, video.data, video.end):
        if child.id in (PIXEL_WIDTH, PIXEL_HEIGHT, DISPLAY_WIDTH, DISPLAY_HEIGHT, DISPLAY_UNIT):
            numbers[child.id] = _uint(reader, child)
        elif child.id == PROJECTION:
            for field in _children(reader, child.data, child.end):
                if field.id == PROJECTION_ROLL:
                    roll = _float(reader, field)
    width, height = numbers.get(PIXEL_WIDTH), numbers.get(PIXEL_HEIGHT)
    # Display size is what viewers see; only when its unit is pixels (0, the default).
    if numbers.get(DISPLAY_UNIT, 0) == 0:
        width = numbers.get(DISPLAY_WIDTH) or width
        height = numbers.get(DISPLAY_HEIGHT) or height
    if round(abs(roll)) % 180 == 90:
        width, height = height, width
    return clean_size(width, height)


def _video_track(reader: BoundedReader, tracks: _Element) -> tuple[int | None, int | None]:
    for entry in _children(reader, tracks.data, tracks.end):
        if entry.id != TRACK_ENTRY:
            continue
        track_type, video = 0, None
        for child in _children(reader, entry.data, entry.end):
            if child.id == TRACK_TYPE:
                track_type = _uint(reader, child)
            elif child.id == VIDEO:
                video = child
        if track_type == TRACK_TYPE_VIDEO:
            return _video_size(reader, video) if video is not None else (None, None)
    raise VideoHeaderError(Problem.NO_VIDEO_TRACK, "no TrackEntry with TrackType 1")


def read_matroska(file: IO[bytes], size: int) -> VideoFacts:
    reader = BoundedReader(file, size)
    header = _header_at(reader, 0, size)
    if header.id != EBML or header.unknown_size:
        raise VideoHeaderError(Problem.MALFORMED, "no EBML header")
    _check_doc_type(reader, header)
    segment = _header_at(reader, header.end, size)
    if segment.id != SEGMENT:
        raise VideoHeaderError(Problem.NO_HEADER, "no Segment after the EBML header")
    found: dict[int, _Element] = {}
    seeks: dict[int, int] = {}
    for element in _children(reader, segment.data, segment.end):
        if element.id in (INFO, TRACKS):
            found.setdefault(element.id, element)
        elif element.id == SEEK_HEAD and not element.unknown_size:
            seeks.update(_seek_positions(reader, element))
        if element.id == CLUSTER or len(found) == 2:
            break  # the media begins; what is still missing is found through the SeekHead
    for wanted in (INFO, TRACKS):
        position = seeks.get(wanted)
        if wanted in found or position is None or segment.data + position >= segment.end:
            continue
        element = _header_at(reader, segment.data + position, segment.end)
        if element.id == wanted:
            found[wanted] = element
    if TRACKS not in found:
        raise VideoHeaderError(Problem.NO_HEADER, "no Tracks element")
    width, height = _video_track(reader, found[TRACKS])
    duration = _duration(reader, found[INFO]) if INFO in found else None
    return VideoFacts(width=width, height=height, duration_seconds=duration)
