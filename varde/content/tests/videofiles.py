"""Small, real video container files for tests, built box by box and element by element.

They hold headers only (no pictures), which is all the header readers look at; each helper
follows the layout of ISO/IEC 14496-12 (MP4/MOV) or the Matroska/WebM EBML specification.
"""

from __future__ import annotations

import struct

IDENTITY = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
ROTATE_90 = (0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
ROTATE_180 = (-0x10000, 0, 0, 0, -0x10000, 0, 0, 0, 0x40000000)
ROTATE_270 = (0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000)


# ---- ISO BMFF (MP4 / QuickTime) -------------------------------------------------------------


def box(kind: bytes, payload: bytes = b"", *, large: bool = False) -> bytes:
    if large:  # size 1, then a 64-bit largesize
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full_box(kind: bytes, version: int, body: bytes) -> bytes:
    return box(kind, struct.pack(">B3s", version, b"\0\0\0") + body)


def ftyp(brand: bytes = b"isom") -> bytes:
    return box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"mp41")


def mvhd(timescale: int, duration: int, *, version: int = 0) -> bytes:
    if version == 1:
        times = struct.pack(">QQIQ", 0, 0, timescale, duration)
    else:
        times = struct.pack(">IIII", 0, 0, timescale, duration)
    # rate, volume, reserved, matrix, pre_defined, next_track_ID
    rest = (
        struct.pack(">iH10s9i", 0x10000, 0x100, b"", *IDENTITY) + b"\0" * 24 + struct.pack(">I", 3)
    )
    return full_box(b"mvhd", version, times + rest)


def tkhd(
    width: float, height: float, *, version: int = 0, matrix: tuple[int, ...] = IDENTITY
) -> bytes:
    if version == 1:
        head = struct.pack(">QQIIQ", 0, 0, 1, 0, 0)
    else:
        head = struct.pack(">IIIII", 0, 0, 1, 0, 0)
    middle = struct.pack(">8shhhH", b"", 0, 0, 0, 0)
    size = struct.pack(">II", round(width * 65536), round(height * 65536))
    return full_box(b"tkhd", version, head + middle + struct.pack(">9i", *matrix) + size)


def hdlr(handler: bytes) -> bytes:
    return full_box(b"hdlr", 0, struct.pack(">I4s12s", 0, handler, b"") + b"Handler\0")


def mdhd(timescale: int, duration: int) -> bytes:
    return full_box(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))


def trak(handler: bytes, width: float = 0, height: float = 0, **tkhd_options: object) -> bytes:
    return box(
        b"trak",
        tkhd(width, height, **tkhd_options)  # type: ignore[arg-type]
        + box(b"mdia", mdhd(90000, 0) + hdlr(handler)),
    )


def mp4(
    *,
    seconds: float = 10.0,
    width: int = 1920,
    height: int = 1080,
    moov_first: bool = True,
    large_mdat: bool = False,
    mvhd_version: int = 0,
    tkhd_version: int = 0,
    matrix: tuple[int, ...] = IDENTITY,
    brand: bytes = b"isom",
    media_bytes: int = 64,
) -> bytes:
    """An MP4 with a sound track first (as many cameras write them) and a video track."""
    timescale = 1000
    moov = box(
        b"moov",
        mvhd(timescale, round(seconds * timescale), version=mvhd_version)
        + trak(b"soun")
        + trak(b"vide", width, height, version=tkhd_version, matrix=matrix),
    )
    mdat = box(b"mdat", b"\0" * media_bytes, large=large_mdat)
    body = moov + mdat if moov_first else mdat + moov
    return ftyp(brand) + box(b"free") + body


# ---- Matroska / WebM (EBML) -----------------------------------------------------------------


def vint_size(value: int | None) -> bytes:
    if value is None:  # "unknown size": all value bits set
        return b"\x01\xff\xff\xff\xff\xff\xff\xff"
    for length in range(1, 9):
        if value < (1 << (7 * length)) - 1:
            return ((1 << (7 * length)) | value).to_bytes(length, "big")
    raise ValueError(value)


def element(element_id: int, data: bytes = b"", *, unknown_size: bool = False) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return id_bytes + vint_size(None if unknown_size else len(data)) + data


def uint(element_id: int, value: int) -> bytes:
    return element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def float64(element_id: int, value: float) -> bytes:
    return element(element_id, struct.pack(">d", value))


def float32(element_id: int, value: float) -> bytes:
    return element(element_id, struct.pack(">f", value))


def ebml_header(doc_type: bytes = b"webm") -> bytes:
    return element(
        0x1A45DFA3,
        uint(0x4286, 1) + uint(0x42F7, 1) + uint(0x42F2, 4) + uint(0x42F3, 8)
        + element(0x4282, doc_type) + uint(0x4287, 4) + uint(0x4285, 2),
    )  # fmt: skip


def info(seconds: float | None, *, scale: int | None = 1_000_000, short: bool = False) -> bytes:
    """Segment Info: Duration counts TimestampScale nanoseconds (1,000,000 when absent)."""
    data = uint(0x2AD7B1, scale) if scale is not None else b""
    if seconds is not None:
        duration = seconds * 1e9 / (scale or 1_000_000)
        data += float32(0x4489, duration) if short else float64(0x4489, duration)
    return element(0x1549A966, data + element(0x4D80, b"varde-tests"))


def video_track(
    width: int, height: int, *, display: tuple[int, int] | None = None, number: int = 1
) -> bytes:
    video = uint(0xB0, width) + uint(0xBA, height)
    if display:
        video += uint(0x54B0, display[0]) + uint(0x54BA, display[1])
    return element(
        0xAE,
        uint(0xD7, number) + uint(0x83, 1) + element(0x86, b"V_VP9") + element(0xE0, video),
    )


def audio_track(number: int = 2) -> bytes:
    audio = float64(0xB5, 48000.0) + uint(0x9F, 2)
    return element(
        0xAE, uint(0xD7, number) + uint(0x83, 2) + element(0x86, b"A_OPUS") + element(0xE1, audio)
    )


def cluster(unknown_size: bool = False) -> bytes:
    return element(
        0x1F43B675,
        uint(0xE7, 0) + element(0xA3, b"\x81\0\0\x80" + b"\0" * 32),
        unknown_size=unknown_size,
    )


def webm(
    *,
    seconds: float | None = 10.0,
    width: int = 1280,
    height: int = 720,
    display: tuple[int, int] | None = None,
    unknown_segment: bool = False,
    doc_type: bytes = b"webm",
    scale: int | None = 1_000_000,
    short_float: bool = False,
    tracks_after_clusters: bool = False,
) -> bytes:
    tracks = element(0x1654AE6B, audio_track() + video_track(width, height, display=display))
    head = info(seconds, scale=scale, short=short_float)
    media = cluster() + cluster()
    if tracks_after_clusters:
        # A SeekHead says where Tracks is, relative to the start of the Segment's data.
        seek_head_size = len(_seek_head(0))
        position = seek_head_size + len(head) + len(media)
        body = _seek_head(position) + head + media + tracks
    else:
        body = head + tracks + media
    segment = element(0x18538067, body, unknown_size=unknown_segment)
    return ebml_header(doc_type) + segment


def _seek_head(tracks_position: int) -> bytes:
    seek = element(0x53AB, (0x1654AE6B).to_bytes(4, "big")) + element(
        0x53AC, tracks_position.to_bytes(8, "big")
    )
    return element(0x114D9B74, element(0x4DBB, seek))
