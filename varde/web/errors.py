"""Error pages a person can act on, instead of Django's bare ones."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, except a form over the size limit: that gets 413 and what to do about it.

    A post pasted with megabytes of text (or an embedded image) used to give a bare "Bad
    Request (400)", and the person could not tell that the text was the problem."""
    if isinstance(exception, RequestDataTooBig):
        context = {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        return render(request, "web/too_big.html", context, status=413)
    return defaults.bad_request(request, exception or Exception())
