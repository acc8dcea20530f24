"""What the post views share: finding a post in the workspace, who may edit it, optional URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from varde.accounts.permissions import Perm, role_can
from varde.composer import selectors as composer_selectors
from varde.content.choices import ApprovalState

if TYPE_CHECKING:
    from varde.accounts.access import WorkspaceRequest
    from varde.content.models import Post

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
SUBMITTABLE_STATES = (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED)


def reverse_or_none(name: str, **kwargs: Any) -> str | None:
    """A URL of another app that may not be installed yet (the plan meters, the policy check)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def post_or_404(request: WorkspaceRequest, post_id: int) -> Post:
    try:
        return composer_selectors.post_get(workspace=request.workspace, post_id=post_id)
    except ObjectDoesNotExist:
        raise Http404 from None


def may_edit(request: WorkspaceRequest, post: Post) -> bool:
    """Editors edit every post; a contributor edits the posts they wrote."""
    if role_can(request.membership.role, Perm.CONTENT_EDIT):
        return True
    return post.author_id == request.user.pk


def editable_post(request: WorkspaceRequest, post_id: int) -> Post:
    post = post_or_404(request, post_id)
    if not may_edit(request, post):
        raise PermissionDenied
    return post


def posted_post(request: WorkspaceRequest) -> Post | None:
    """The post an htmx request from the composer is about (hidden ``post_id``), if any."""
    raw = request.POST.get("post_id", "")
    if not raw.isdigit():
        return None
    return editable_post(request, int(raw))


def media_of(post: Post | None) -> list[Any]:
    return list(post.media.all()) if post else []


def posted_version(request: WorkspaceRequest) -> int | None:
    """The post version the page was showing ("Save mine anyway" sends the newer one)."""
    for name in ("overwrite_version", "base_version"):
        raw = request.POST.get(name, "")
        if raw.isdigit():
            return int(raw)
    return None
