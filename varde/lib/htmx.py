"""One view, two answers: the whole page, or only the part htmx asked for (as NetBox does)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.headers.get("HX-Boosted")


def render_page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    return TemplateResponse(request, partial if is_htmx(request) else page, context)
