"""Per-post delivery status, retrying failed deliveries, and the publishing overview."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.content.models import Post
from varde.lib.htmx import render_page_or_partial
from varde.publishing import selectors, services
from varde.publishing.models import DeliveryState


def _post_or_404(request: WorkspaceRequest, post_id: int) -> Post:
    try:
        return selectors.post_get(workspace=request.workspace, post_id=post_id)
    except Post.DoesNotExist:
        raise Http404 from None


@workspace_view(Perm.CONTENT_VIEW)
def overview(request: WorkspaceRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    if state is not None and state not in DeliveryState.values:
        state = None
    context = {
        "posts": selectors.posts_with_deliveries(workspace=request.workspace, state=state)[:100],
        "health": selectors.publishing_health(workspace=request.workspace, now=timezone.now()),
        "states": DeliveryState.choices,
        "current_state": state or "",
        "nav_active": "publishing",
    }
    return render(request, "publishing/overview.html", context)


@workspace_view(Perm.CONTENT_VIEW)
def post_status(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    deliveries = list(selectors.deliveries_of_post(post=post))
    context = {
        "post": post,
        "deliveries": [
            {"delivery": d, "attempts": list(selectors.attempts_of(delivery=d)[:20])}
            for d in deliveries
        ],
        "has_failed": any(d.state == DeliveryState.FAILED for d in deliveries),
        "can_publish": role_can(request.membership.role, Perm.CONTENT_PUBLISH),
        "nav_active": "publishing",
    }
    return render_page_or_partial(
        request, "publishing/post_status.html", "publishing/_deliveries.html", context
    )


@workspace_view(Perm.CONTENT_PUBLISH)
@require_POST
def post_retry_failed(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    count = services.deliveries_retry_failed(post=post, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s failed channel will be tried again now.",
                "%(count)s failed channels will be tried again now.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing to retry: no channel of this post has failed."))
    return redirect("publishing:post_status", workspace=request.workspace.slug, post_id=post.pk)
