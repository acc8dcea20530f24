"""Read a video's length and picture size from its container headers, in pure Python.

MP4/QuickTime (ISO BMFF) and WebM/Matroska keep both in small header structures (``moov`` and
``Segment → Info/Tracks``), so no decoder is needed. The readers seek from header to header and
never load the media data: a 1 GB upload costs a few kilobytes of reading. Every walk is bounded
(elements visited, bytes read), so a crafted or broken file ends in ``VideoHeaderError``, never
in a hang.
"""

from varde.content.video.headers import VideoFacts, VideoHeaderError
from varde.content.video.isobmff import read_isobmff
from varde.content.video.matroska import read_matroska

__all__ = ["VideoFacts", "VideoHeaderError", "read_isobmff", "read_matroska"]
