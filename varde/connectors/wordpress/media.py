"""WordPress media: files sent to the media library, and the blocks that show them in a post.

Kept apart from ``wordpress.py`` so the connector reads as the post's story (title, body,
marker, comments) while the media library's details sit together here.

Reference: https://developer.wordpress.org/rest-api/reference/media/ (``POST /wp/v2/media``
with the file as the raw body, then ``POST /wp/v2/media/<id>`` for ``alt_text`` and
``caption``) and the block editor's ``core/image`` and ``core/video`` markup.
"""

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from varde.connectors.contracts import MediaItem

# The connector's ``_object``: one request to wp/v2 with the Application Password, as JSON.
ObjectCall = Callable[..., dict[str, Any]]

_READ_BLOCK = 1024 * 1024
# WordPress decides a file's type by its extension (wp_check_filetype): "quicktime" is none.
_EXTENSIONS = {"image/jpeg": "jpg", "video/quicktime": "mov", "video/mp4": "mp4"}


@dataclass(frozen=True)
class Uploaded:
    """One file in the media library, as the post body shows it."""

    media_id: int
    source_url: str
    alt_text: str
    is_video: bool


def media_block(item: Uploaded) -> str:
    """The post body's markup for one uploaded file: a video block or an image figure."""
    if item.is_video:
        return _video_block(item)
    return (
        f'<figure class="wp-block-image"><img src="{html.escape(item.source_url)}" '
        f'alt="{html.escape(item.alt_text)}"/></figure>'
    )


def _video_block(video: Uploaded) -> str:
    # The block editor's core/video markup: the attachment id in the block comment (a plain
    # integer, so nothing in it can end the comment), the file in a <video> with controls.
    # A video has no alt attribute; its description is the caption everyone sees and hears.
    caption = (
        f'<figcaption class="wp-element-caption">{html.escape(video.alt_text)}</figcaption>'
        if video.alt_text
        else ""
    )
    return (
        f'<!-- wp:video {{"id":{int(video.media_id)}}} -->\n'
        f'<figure class="wp-block-video"><video controls src="{html.escape(video.source_url)}">'
        f"</video>{caption}</figure>\n<!-- /wp:video -->"
    )


def file_body(item: MediaItem) -> bytes | Iterator[bytes]:
    """The upload's body: the bytes, or for a file on disk its blocks read one at a time, so
    a large video is never held in memory whole."""
    if item.path is None:
        return item.read_bytes()
    path = item.path

    def blocks() -> Iterator[bytes]:
        with path.open("rb") as source:
            while block := source.read(_READ_BLOCK):
                yield block

    return blocks()


def upload_media(call: ObjectCall, item: MediaItem, number: int) -> Uploaded:
    """Send one file to the media library, then its alt text (and a video's caption)."""
    extension = _EXTENSIONS.get(item.mime_type, item.mime_type.split("/")[-1])
    # An attachment is not a post: a retry after a lost answer leaves at most an unused
    # file in the media library, so uploads are not side effects for reconciliation.
    media = call(
        "POST",
        "/media",
        side_effect=False,
        content=file_body(item),
        headers={
            "Content-Type": item.mime_type,
            "Content-Length": str(item.size),
            "Content-Disposition": f'attachment; filename="varde-{number}.{extension}"',
        },
    )
    media_id = int(media["id"])
    if item.alt_text:
        # alt_text is stored for any attachment; a video's is also its caption, as the
        # media library shows it next to the file.
        fields = {"alt_text": item.alt_text}
        if item.is_video:
            fields["caption"] = item.alt_text
        call("POST", f"/media/{media_id}", side_effect=False, json=fields)
    return Uploaded(
        media_id=media_id,
        source_url=str(media.get("source_url", "")),
        alt_text=item.alt_text,
        is_video=item.is_video,
    )
