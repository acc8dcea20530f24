"""Unschedule and delete a post: a page that says what will happen, then the button that does it.

Nothing is lost without that confirmation. Both pages take ``next`` (the calendar, the review
queue) so the person lands where they started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.composer import services as composer_services
from varde.composer.views_shared import editable_post
from varde.content.choices import ApprovalState
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.publishing.services import delivery_can_remove

if TYPE_CHECKING:
    from varde.content.models import Post


def _next(request: WorkspaceRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _calendar(request: WorkspaceRequest) -> str:
    return reverse("calendar:calendar", kwargs={"workspace": request.workspace.slug})


def _edit(request: WorkspaceRequest, post: Post) -> str:
    return reverse(
        "content:post_edit", kwargs={"workspace": request.workspace.slug, "post_id": post.pk}
    )


def _rows(request: WorkspaceRequest, post: Post) -> list[dict[str, object]]:
    """Each channel of the post and what "Delete" does to it."""
    may_take_down = role_can(request.membership.role, Perm.CONTENT_PUBLISH)
    rows = []
    for delivery in publishing_selectors.deliveries_of_post(post=post):
        if delivery.state == DeliveryState.CANCELLED:
            continue
        rows.append(
            {
                "delivery": delivery,
                "can_remove": may_take_down and delivery_can_remove(delivery),
                "in_flight": delivery.state in composer_services.IN_FLIGHT,
            }
        )
    return rows


@workspace_view(Perm.CONTENT_DRAFT)
def post_unschedule(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    back = _next(request, _edit(request, post))
    if request.method == "POST":
        try:
            composer_services.post_unschedule(post=post, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Unscheduled. It is a draft again and will not go out; its planned times "
                    "stay in the calendar as drafts. Approve it again to schedule it."
                ),
            )
        return HttpResponseRedirect(back)
    context = {
        "post": post,
        "mode": "unschedule",
        "rows": _rows(request, post),
        "next": back,
        "back": back,
        "was_approved": post.approval_state == ApprovalState.APPROVED,
        "nav_active": "calendar",
    }
    return render(request, "content/post_remove.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
def post_delete(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = editable_post(request, post_id)
    rows = _rows(request, post)
    if request.method == "POST":
        allowed = {int(row["delivery"].pk) for row in rows if row["can_remove"]}  # type: ignore[attr-defined]
        asked = {int(v) for v in request.POST.getlist("remove") if v.isdigit()}
        try:
            done = composer_services.post_delete_or_take_down(
                post=post, actor=request.user, remove_from_network=frozenset(asked & allowed)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_next(request, _edit(request, post)))
        for removal in done.removals:
            (messages.success if removal.removed else messages.error)(request, removal.message)
        if done.deleted:
            messages.success(request, _("The post is deleted."))
            back = _next(request, _calendar(request))
            if str(post_id) in back.split("/"):
                back = _calendar(request)  # the page of the post is gone with it
            return HttpResponseRedirect(back)
        if done.cancelled:
            messages.success(
                request,
                ngettext(
                    "%(count)d channel that had not gone out is cancelled.",
                    "%(count)d channels that had not gone out are cancelled.",
                    done.cancelled,
                )
                % {"count": done.cancelled},
            )
        messages.info(
            request,
            _(
                "It went out on a network, so Varde keeps it as the record of what was said. "
                "Its status page shows each channel."
            ),
        )
        return HttpResponseRedirect(
            reverse(
                "publishing:post_status",
                kwargs={"workspace": request.workspace.slug, "post_id": post.pk},
            )
        )
    context = {
        "post": post,
        "mode": "delete",
        "rows": rows,
        "next": _next(request, ""),
        "back": _next(request, _edit(request, post)),
        "went_out": any(
            row["delivery"].state in composer_services.WENT_OUT  # type: ignore[attr-defined]
            for row in rows
        ),
        "blocked": any(row["in_flight"] for row in rows),
        "nav_active": "calendar",
    }
    return render(request, "content/post_remove.html", context)
