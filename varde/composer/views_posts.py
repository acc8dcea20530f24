"""One post outside the composer: read-only detail, duplicate, and its attached files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.composer import selectors as composer_selectors
from varde.composer import services as composer_services
from varde.composer.views_shared import editable_post, may_edit, media_of, post_or_404
from varde.content import selectors, services
from varde.lib.htmx import is_htmx


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def post_detail(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    """A post as it stands, read-only: for analysts, and for posts someone else wrote."""
    post = post_or_404(request, post_id)
    channels = [d.channel for d in composer_selectors.post_open_deliveries(post)]
    checks = selectors.composer_checks(
        channels=channels,
        text=post.text,
        variants={v.channel_id: v.text for v in post.variants.all()},
        link=post.link_url,
        title=post.title,
        thread=list(post.thread),
        first_comment=post.first_comment,
        media=selectors.media_facts(post),
        campaign=post.campaign,
    )
    context = {
        "post": post,
        "checks": checks,
        "media": list(post.media.all()),
        "deliveries": composer_selectors.post_open_deliveries(post),
        "may_edit": role_can(request.membership.role, Perm.CONTENT_DRAFT)
        and may_edit(request, post),
        "can_draft": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "is_scheduled": composer_selectors.post_is_scheduled(post),
        "nav_active": "calendar",
    }
    return render(request, "content/post_detail.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def post_duplicate(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = post_or_404(request, post_id)
    copy = composer_services.post_duplicate(post=post, actor=request.user)
    messages.success(request, _("This is a copy. Change what you need and plan it."))
    return redirect("content:post_edit", workspace=request.workspace.slug, post_id=copy.pk)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def media_remove(request: WorkspaceRequest, post_id: int, media_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    try:
        item = selectors.media_get(workspace=request.workspace, post_id=post.pk, media_id=media_id)
    except Exception as error:
        raise Http404 from error
    services.media_remove(media=item, actor=request.user)
    if not is_htmx(request):
        return redirect("content:post_edit", workspace=request.workspace.slug, post_id=post.pk)
    post = post_or_404(request, post_id)
    return render(request, "content/_media.html", {"post": post, "media": media_of(post)})


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def media_file(request: WorkspaceRequest, post_id: int, media_id: int) -> FileResponse:
    """An attached file, for members of the workspace only (uploads are not public)."""
    try:
        item = selectors.media_get(workspace=request.workspace, post_id=post_id, media_id=media_id)
    except Exception as error:
        raise Http404 from error
    response = FileResponse(item.file.open("rb"), content_type=item.mime_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
