"""Public addresses of link tracking: the short link, the thank-you page pixel and the signed
conversion endpoint. No cookie is set and no address is stored (``links``)."""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from varde.accounts.access import public_view
from varde.analytics import links
from varde.analytics.models import TrackingKey

# A 1×1 transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _visit(request: HttpRequest) -> links.Visit:
    # REMOTE_ADDR is the proxy-corrected address (deploy docs); it is hashed, never stored.
    return links.Visit(
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@public_view
@never_cache
@require_GET
def follow(request: HttpRequest, code: str) -> HttpResponse:
    target = links.link_follow(code=code, visit=_visit(request), now=timezone.now())
    if target is None:
        raise Http404
    response = HttpResponseRedirect(target)  # 302
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    return response


@public_view
@never_cache
@require_GET
def pixel(request: HttpRequest, pixel_id: str) -> HttpResponse:
    links.conversion_from_pixel(
        pixel_id=pixel_id,
        kind=request.GET.get("kind", ""),
        value=request.GET.get("value", ""),
        visit=_visit(request),
        now=timezone.now(),
    )
    return HttpResponse(PIXEL, content_type="image/gif")


@public_view
@csrf_exempt
@require_POST
def conversion(request: HttpRequest, pixel_id: str) -> HttpResponse:
    key = TrackingKey.objects.filter(pixel_id=pixel_id).first()
    if key is None:
        raise Http404
    try:
        made = links.conversion_receive(
            pixel_or_workspace=key,
            body=request.body,
            timestamp=request.headers.get("X-Varde-Timestamp", ""),
            signature=request.headers.get("X-Varde-Signature", ""),
            now=timezone.now(),
        )
    except links.ConversionRefusedError as refused:
        return JsonResponse({"error": refused.reason}, status=refused.status)
    return JsonResponse({"id": made.pk, "kind": made.kind}, status=201)
