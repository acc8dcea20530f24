"""The one content address reachable without logging in: an attached file behind a signed,
expiring token (``public_media``), for networks that download media (Instagram, Threads)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponseNotFound
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from varde.accounts.access import public_view
from varde.content import public_media

# The file is all there is: nothing may run, load or frame it, even if a browser opens it.
_LOCKED_DOWN = "default-src 'none'; sandbox"


@public_view
@require_safe
def media_file(request: HttpRequest, token: str, filename: str) -> HttpResponseBase:
    media = public_media.media_for_token(token, filename)
    if media is None:
        # The same bare answer for a bad, expired or tampered token and a missing file, so
        # nothing tells a guesser which part was wrong (and no page, session or menu).
        return HttpResponseNotFound(b"", content_type="text/plain")
    try:
        stream = media.file.open("rb")
    except OSError:
        return HttpResponseNotFound(b"", content_type="text/plain")
    response = FileResponse(stream, content_type=media.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = _LOCKED_DOWN
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
