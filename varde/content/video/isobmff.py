"""MP4 and QuickTime (ISO/IEC 14496-12, "ISO BMFF"): the movie header and the video track.

A file is a chain of boxes: a 32-bit size (1: a 64-bit ``largesize`` follows; 0: to the end of
the file) and a four-letter type. The length is in ``moov/mvhd`` (timescale and duration), the
picture size in the video track's ``trak/tkhd`` (16.16 fixed point), the track's kind in
``trak/mdia/hdlr`` (``vide``). ``moov`` may come after ``mdat`` (cameras write it last), so the
top level is walked by seeking over boxes, never by reading them.
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

_UNKNOWN_32 = 0xFFFF_FFFF
_UNKNOWN_64 = 0xFFFF_FFFF_FFFF_FFFF


@dataclass(frozen=True)
class _Box:
    kind: bytes
    payload: int  # offset of the first byte after the header
    end: int

    @property
    def length(self) -> int:
        return self.end - self.payload


@dataclass
class _Track:
    handler: bytes = b""
    width: int | None = None
    height: int | None = None
    duration: float | None = None  # from mdia/mdhd, used when the movie header has none


def _boxes(reader: BoundedReader, start: int, end: int, *, strict: bool) -> Iterator[_Box]:
    """The boxes between ``start`` and ``end``. ``strict`` (the top level): non-zero bytes
    left over that cannot hold a box header mean the file was cut short."""
    offset = start
    while offset < end:
        if end - offset < 8:
            # QuickTime ends some containers with a 4-byte zero, and some writers pad files
            # with zeros; anything else this short at the top level is a cut-off box header.
            if strict and any(reader.read(offset, end - offset)):
                raise VideoHeaderError(Problem.TRUNCATED, "a box header is cut off")
            return
        reader.step()
        size, kind = struct.unpack(">I4s", reader.read(offset, 8))
        payload = offset + 8
        if size == 1:
            (size,) = struct.unpack(">Q", reader.read(payload, 8))
            payload += 8
        elif size == 0:
            size = end - offset
        if size < payload - offset:
            raise VideoHeaderError(Problem.MALFORMED, f"box {kind!r} of {size} bytes")
        if offset + size > end:
            raise VideoHeaderError(Problem.TRUNCATED, f"box {kind!r} runs past its end")
        yield _Box(kind, payload, offset + size)
        offset += size


def _time_header(reader: BoundedReader, box: _Box) -> tuple[int, int | None]:
    """(timescale, duration) of an ``mvhd`` or ``mdhd``; duration None when marked unknown."""
    version = reader.read(box.payload, 1)[0]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", reader.read(box.payload + 20, 12))
        unknown = duration == _UNKNOWN_64
    elif version == 0:
        timescale, duration = struct.unpack(">II", reader.read(box.payload + 12, 8))
        unknown = duration == _UNKNOWN_32
    else:
        raise VideoHeaderError(Problem.MALFORMED, f"{box.kind!r} version {version}")
    return timescale, None if unknown else duration


def _seconds(timescale: int, duration: int | None) -> float | None:
    if not timescale or not duration:
        return None
    return clean_duration(duration / timescale)


def _track_size(reader: BoundedReader, box: _Box) -> tuple[int | None, int | None]:
    """The track's presentation size, turned by its matrix: a phone filming upright stores a
    landscape picture with a 90° matrix, and viewers see it portrait."""
    version = reader.read(box.payload, 1)[0]
    if version not in (0, 1):
        raise VideoHeaderError(Problem.MALFORMED, f"tkhd version {version}")
    matrix_at = box.payload + (40 if version == 0 else 52)
    a, b, _u, c, d = struct.unpack(">iiiii", reader.read(matrix_at, 20))
    width, height = struct.unpack(">II", reader.read(matrix_at + 36, 8))
    # 16.16 fixed point, rounded to whole pixels.
    width, height = (width + 0x8000) >> 16, (height + 0x8000) >> 16
    if abs(b) > abs(a) and abs(c) > abs(d):  # turned a quarter (90° or 270°)
        width, height = height, width
    return clean_size(width, height)


def _track(reader: BoundedReader, trak: _Box) -> _Track:
    track = _Track()
    for box in _boxes(reader, trak.payload, trak.end, strict=False):
        if box.kind == b"tkhd":
            track.width, track.height = _track_size(reader, box)
        elif box.kind == b"mdia":
            for inner in _boxes(reader, box.payload, box.end, strict=False):
                if inner.kind == b"hdlr":
                    # version/flags, pre_defined (QuickTime: component type), handler type.
                    track.handler = reader.read(inner.payload + 8, 4)
                elif inner.kind == b"mdhd":
                    track.duration = _seconds(*_time_header(reader, inner))
    return track


def _fragment_duration(reader: BoundedReader, mvex: _Box) -> int | None:
    # Fragmented MP4 (streaming exports) may put the whole length in mvex/mehd instead.
    for box in _boxes(reader, mvex.payload, mvex.end, strict=False):
        if box.kind == b"mehd":
            version = reader.read(box.payload, 1)[0]
            if version == 1:
                (value,) = struct.unpack(">Q", reader.read(box.payload + 4, 8))
            else:
                (value,) = struct.unpack(">I", reader.read(box.payload + 4, 4))
            return int(value)
    return None


def read_isobmff(file: IO[bytes], size: int) -> VideoFacts:
    reader = BoundedReader(file, size)
    moov: _Box | None = None
    has_media = False
    # The whole top level is walked even after moov: a box running past the end of the file
    # means an upload that was cut short, which no network would take.
    for box in _boxes(reader, 0, size, strict=True):
        if box.kind == b"moov" and moov is None:
            moov = box
        has_media = has_media or box.kind == b"mdat"
    if moov is None:
        raise VideoHeaderError(Problem.NO_HEADER, "no moov box")
    if not has_media:  # cut right after the header, before any picture
        raise VideoHeaderError(Problem.TRUNCATED, "no mdat box")
    timescale, duration = 0, None
    fragment: int | None = None
    video: _Track | None = None
    for box in _boxes(reader, moov.payload, moov.end, strict=False):
        if box.kind == b"mvhd":
            timescale, duration = _time_header(reader, box)
        elif box.kind == b"mvex":
            fragment = _fragment_duration(reader, box)
        elif box.kind == b"trak" and video is None:
            track = _track(reader, box)
            if track.handler == b"vide":
                video = track
    if video is None:
        raise VideoHeaderError(Problem.NO_VIDEO_TRACK, "no track with handler 'vide'")
    seconds = _seconds(timescale, duration) or _seconds(timescale, fragment) or video.duration
    return VideoFacts(width=video.width, height=video.height, duration_seconds=seconds)
