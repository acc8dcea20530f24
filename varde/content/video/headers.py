"""What the container readers share: their result, their error and a bounded file reader."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import IO

# A real file's headers take a few hundred elements; a file that needs more is broken or built
# to keep a reader busy.
MAX_ELEMENTS = 20_000
# Header structures Varde reads whole (mvhd, tkhd, hdlr, small EBML numbers) are tiny.
MAX_READ = 4096


class Problem(enum.StrEnum):
    TRUNCATED = "truncated"  # a header says more bytes follow than the file has
    MALFORMED = "malformed"  # sizes or numbers that cannot be right
    NO_HEADER = "no_header"  # no moov / Segment with Info and Tracks
    NO_VIDEO_TRACK = "no_video_track"  # only sound, or no track at all
    UNSUPPORTED = "unsupported"  # a container kind the networks do not take (Matroska)


class VideoHeaderError(Exception):
    """The headers cannot be read; ``problem`` says why, for a message the author can act on."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem


@dataclass(frozen=True)
class VideoFacts:
    """The displayed size (after rotation) and the length; None where the file does not say."""

    width: int | None
    height: int | None
    duration_seconds: float | None


def clean_duration(seconds: float | None) -> float | None:
    # Zero, negative, NaN or absurd (over a week) is "not stated", not a length to check against.
    if seconds is None or not math.isfinite(seconds) or seconds <= 0 or seconds > 7 * 86_400:
        return None
    return round(seconds, 3)


def clean_size(width: int | None, height: int | None) -> tuple[int | None, int | None]:
    if not width or not height or width > 100_000 or height > 100_000:
        return None, None
    return width, height


class BoundedReader:
    """Reads at offsets of a seekable file, never past its size, counting what it visits."""

    def __init__(self, file: IO[bytes], size: int) -> None:
        self.file = file
        self.size = size
        self.visited = 0

    def step(self) -> None:
        self.visited += 1
        if self.visited > MAX_ELEMENTS:
            raise VideoHeaderError(Problem.MALFORMED, "too many header elements")

    def read(self, offset: int, length: int) -> bytes:
        """Exactly ``length`` bytes at ``offset``, or VideoHeaderError if the file ends first."""
        if length > MAX_READ:
            raise VideoHeaderError(Problem.MALFORMED, f"a header field of {length} bytes")
        if offset < 0 or offset + length > self.size:
            raise VideoHeaderError(Problem.TRUNCATED, f"{length} bytes at {offset}")
        self.file.seek(offset)
        data = self.file.read(length)
        if len(data) != length:
            raise VideoHeaderError(Problem.TRUNCATED, f"{length} bytes at {offset}")
        return data

    def read_upto(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes at ``offset`` (fewer at the end of the file)."""
        available = max(0, min(length, self.size - offset))
        return self.read(offset, available) if available else b""
