"""A real PNG, built with the standard library: the servers sniff image bytes (the Bluesky
PDS refuses anything that is not an image), so fake bytes would not do."""

import struct
import zlib


def png(width: int = 16, height: int = 16, rgb: tuple[int, int, int] = (0, 92, 168)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
