"""The container header readers, on small real files built by ``videofiles``."""

from __future__ import annotations

import contextlib
import io
import random
import struct
import time

import pytest

from varde.content.tests import videofiles as v
from varde.content.video import VideoFacts, VideoHeaderError, read_isobmff, read_matroska
from varde.content.video.headers import MAX_ELEMENTS, Problem

MDAT = v.box(b"mdat", b"\0" * 16)


def mp4_facts(data: bytes) -> VideoFacts:
    return read_isobmff(io.BytesIO(data), len(data))


def webm_facts(data: bytes) -> VideoFacts:
    return read_matroska(io.BytesIO(data), len(data))


def problem_of(read, data: bytes) -> Problem:
    with pytest.raises(VideoHeaderError) as caught:
        read(io.BytesIO(data), len(data))
    return caught.value.problem


# ---- MP4 / QuickTime -------------------------------------------------------------------------


def test_mp4_length_and_size():
    assert mp4_facts(v.mp4(seconds=12.5, width=1280, height=720)) == VideoFacts(1280, 720, 12.5)


def test_quicktime_is_read_the_same_way():
    assert mp4_facts(v.mp4(brand=b"qt  ", seconds=3)) == VideoFacts(1920, 1080, 3.0)


def test_moov_after_a_64_bit_mdat():
    data = v.mp4(moov_first=False, large_mdat=True, seconds=190)
    assert struct.unpack(">I4s", data[data.index(b"mdat") - 4 : data.index(b"mdat") + 4]) == (
        1,
        b"mdat",
    )
    assert mp4_facts(data) == VideoFacts(1920, 1080, 190.0)


def test_version_1_headers_with_64_bit_times():
    data = v.mp4(mvhd_version=1, tkhd_version=1, seconds=7_200.25)
    assert mp4_facts(data) == VideoFacts(1920, 1080, 7_200.25)


@pytest.mark.parametrize(
    ("matrix", "size"),
    [
        (v.IDENTITY, (1920, 1080)),
        (v.ROTATE_90, (1080, 1920)),
        (v.ROTATE_180, (1920, 1080)),
        (v.ROTATE_270, (1080, 1920)),
    ],
)
@pytest.mark.parametrize("version", [0, 1])
def test_a_phone_filming_upright_is_portrait(matrix, size, version):
    facts = mp4_facts(v.mp4(matrix=matrix, tkhd_version=version))
    assert (facts.width, facts.height) == size


def test_the_sound_track_before_the_video_track_is_skipped():
    # v.mp4 writes the sound track first, with a zero size, as many cameras do.
    assert mp4_facts(v.mp4(width=640, height=360)).width == 640


def test_unknown_movie_duration_falls_back_to_the_fragment_header():
    moov = v.box(
        b"moov",
        v.mvhd(1000, 0)
        + v.box(b"mvex", v.full_box(b"mehd", 0, struct.pack(">I", 45_000)))
        + v.trak(b"vide", 720, 1280),
    )
    assert mp4_facts(v.ftyp() + moov + MDAT) == VideoFacts(720, 1280, 45.0)


def test_a_duration_marked_unknown_is_left_empty():
    moov = v.box(b"moov", v.mvhd(1000, 0xFFFF_FFFF) + v.trak(b"vide", 720, 1280))
    assert mp4_facts(v.ftyp() + moov + MDAT).duration_seconds is None


def test_a_last_box_running_to_the_end_of_the_file():
    data = v.ftyp() + v.box(b"moov", v.mvhd(600, 3000) + v.trak(b"vide", 640, 480))
    data += struct.pack(">I4s", 0, b"mdat") + b"\0" * 100  # size 0: to the end of the file
    assert mp4_facts(data) == VideoFacts(640, 480, 5.0)


def test_sound_only_and_headerless_files_say_so():
    sound = v.ftyp(b"M4A ") + v.box(b"moov", v.mvhd(1000, 5000) + v.trak(b"soun")) + MDAT
    assert problem_of(read_isobmff, sound) == Problem.NO_VIDEO_TRACK
    image = v.ftyp(b"heic") + v.box(b"meta", b"\0" * 40)  # HEIF images use ftyp too
    assert problem_of(read_isobmff, image) == Problem.NO_HEADER


def test_boxes_that_claim_more_than_the_file_holds():
    data = v.mp4()
    assert problem_of(read_isobmff, data[:-10]) == Problem.TRUNCATED
    header_only = data[: data.index(b"mdat") - 4]  # cut between the header and the media
    assert problem_of(read_isobmff, header_only) == Problem.TRUNCATED
    huge = v.ftyp() + struct.pack(">I4sQ", 1, b"mdat", 2**62) + b"\0" * 50
    assert problem_of(read_isobmff, huge) == Problem.TRUNCATED
    tiny = v.ftyp() + struct.pack(">I4s", 4, b"free") + b"\0" * 50
    assert problem_of(read_isobmff, tiny) == Problem.MALFORMED


@pytest.mark.parametrize("moov_first", [True, False])
def test_every_cut_is_refused(moov_first):
    # Moov first: a cut inside the media, or right after the header, leaves no whole mdat.
    data = v.mp4(moov_first=moov_first, large_mdat=True)
    for cut in range(len(data)):
        with pytest.raises(VideoHeaderError):
            mp4_facts(data[:cut])


def test_a_flood_of_tiny_boxes_stops_at_the_bound():
    data = v.ftyp() + v.box(b"free") * (MAX_ELEMENTS + 10) + v.mp4()
    started = time.monotonic()
    assert problem_of(read_isobmff, data) == Problem.MALFORMED
    assert time.monotonic() - started < 5


def test_a_1_gb_file_is_read_by_its_headers_only(tmp_path):
    # A sparse file: a 64-bit mdat of 1 GB, then the moov, as a camera writes it.
    moov = v.box(b"moov", v.mvhd(1000, 61_000) + v.trak(b"vide", 3840, 2160))
    mdat_size = 1024**3
    path = tmp_path / "big.mp4"
    with path.open("wb") as out:
        out.write(v.ftyp() + struct.pack(">I4sQ", 1, b"mdat", mdat_size))
        out.seek(len(v.ftyp()) + mdat_size)
        out.write(moov)
    read = 0
    with path.open("rb") as raw:

        class Counting(io.RawIOBase):
            def readable(self):
                return True

            def seekable(self):
                return True

            def seek(self, offset, whence=0):
                return raw.seek(offset, whence)

            def read(self, n=-1):
                nonlocal read
                chunk = raw.read(n)
                read += len(chunk)
                return chunk

        facts = read_isobmff(Counting(), path.stat().st_size)
    assert facts == VideoFacts(3840, 2160, 61.0)
    assert read < 4096


# ---- WebM / Matroska -------------------------------------------------------------------------


def test_webm_length_and_size():
    assert webm_facts(v.webm(seconds=42.5, width=640, height=360)) == VideoFacts(640, 360, 42.5)


def test_webm_without_duration_leaves_it_empty():
    # A browser's MediaRecorder writes no Duration and a Segment of unknown size.
    data = v.webm(seconds=None, unknown_segment=True)
    assert webm_facts(data) == VideoFacts(1280, 720, None)


def test_webm_timestamp_scale_and_a_4_byte_duration():
    assert webm_facts(v.webm(seconds=190.25, scale=100_000, short_float=True)).duration_seconds == (
        190.25
    )
    assert webm_facts(v.webm(seconds=12.5, scale=None)).duration_seconds == 12.5


def test_webm_display_size_is_what_viewers_see():
    assert webm_facts(v.webm(width=1280, height=720, display=(960, 720))).width == 960


def test_webm_tracks_after_the_media_are_found_through_the_seek_head():
    assert webm_facts(v.webm(tracks_after_clusters=True)) == VideoFacts(1280, 720, 10.0)


def test_matroska_is_not_webm():
    assert problem_of(read_matroska, v.webm(doc_type=b"matroska")) == Problem.UNSUPPORTED


def test_webm_sound_only():
    tracks = v.element(0x1654AE6B, v.audio_track())
    data = v.ebml_header() + v.element(0x18538067, v.info(3.0) + tracks + v.cluster())
    assert problem_of(read_matroska, data) == Problem.NO_VIDEO_TRACK


def test_webm_broken_headers():
    assert problem_of(read_matroska, v.ebml_header() + b"\0\0\0\0") == Problem.MALFORMED
    assert problem_of(read_matroska, v.ebml_header()) == Problem.TRUNCATED
    no_tracks = v.ebml_header() + v.element(0x18538067, v.info(3.0) + v.cluster())
    assert problem_of(read_matroska, no_tracks) == Problem.NO_HEADER


def test_every_cut_of_a_webm_with_a_known_size_is_refused():
    data = v.webm()
    for cut in range(len(data)):
        with pytest.raises(VideoHeaderError):
            webm_facts(data[:cut])


def test_a_flood_of_void_elements_stops_at_the_bound():
    voids = v.element(0xEC) * (MAX_ELEMENTS + 10)
    data = v.ebml_header() + v.element(0x18538067, voids, unknown_size=True)
    started = time.monotonic()
    assert problem_of(read_matroska, data) == Problem.MALFORMED
    assert time.monotonic() - started < 5


# ---- Garbage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "sample"),
    [
        (read_isobmff, v.mp4(moov_first=False, large_mdat=True, mvhd_version=1)),
        (read_matroska, v.webm(tracks_after_clusters=True)),
    ],
)
def test_damaged_files_fail_cleanly_and_quickly(read, sample):
    rng = random.Random(6)  # the same damage on every run
    started = time.monotonic()
    for _ in range(3000):
        data = bytearray(sample)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(VideoHeaderError):  # anything else fails the test
            read(io.BytesIO(bytes(data)), len(data))
    noise = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(VideoHeaderError):
        read(io.BytesIO(sample[:16] + noise), 16 + len(noise))
    assert time.monotonic() - started < 20


def test_zero_padding_after_the_last_box_is_not_a_cut():
    assert mp4_facts(v.mp4() + b"\0\0\0\0") == VideoFacts(1920, 1080, 10.0)
    assert problem_of(read_isobmff, v.mp4() + b"\0\0\0\x10") == Problem.TRUNCATED
