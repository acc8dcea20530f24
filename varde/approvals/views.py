"""The review queue, one post's review, the approval settings and client links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.approvals import selectors, services
from varde.approvals.forms import ApprovalSettingsForm, ApproveForm, ChangesForm, ClientLinkForm
from varde.approvals.models import ClientReviewLink
from varde.approvals.outcome import approved_message
from varde.content.choices import ApprovalState
from varde.policy.guard import guard_check_post, guard_check_posts

if TYPE_CHECKING:
    from varde.content.models import Post
    from varde.policy.findings import GuardReport


def _post_or_404(request: WorkspaceRequest, post_id: int) -> Post:
    try:
        return selectors.post_in_workspace(workspace=request.workspace, post_id=post_id)
    except ObjectDoesNotExist:
        raise Http404 from None


def _back(request: WorkspaceRequest, post: Post) -> HttpResponseRedirect:
    """Back to the page the decision was made on (the queue or the post), never elsewhere."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse(
            "approvals:post", kwargs={"workspace": request.workspace.slug, "post_id": post.pk}
        )
    return HttpResponseRedirect(target)


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this in this workspace.")


def _verdict(
    request: WorkspaceRequest, post: Post, report: GuardReport | None = None
) -> dict[str, object]:
    """The policy guard's verdict on the card, and the fix each person can make from here.

    Approval runs the guard too and refuses a blocked post; the card says so before the click
    and offers the fix (edit the post, confirm a new hashtag, or send it back) instead."""
    if report is None:
        report = guard_check_post(post=post)
    role = request.membership.role
    may_edit = role_can(role, Perm.CONTENT_EDIT) or (
        role_can(role, Perm.CONTENT_DRAFT) and post.author_id == request.user.pk
    )
    blocking = report.blocking()
    return {
        "blocking": blocking,
        "warnings": report.warnings(),
        "unconfirmed_tags": sorted(
            {f.hashtag for f in blocking if f.code == "hashtag_unconfirmed" and f.hashtag}
        ),
        "may_fix": may_edit,
        "may_confirm_tags": role_can(role, Perm.CONTENT_DRAFT),
    }


def _decision_card(request: WorkspaceRequest, post: Post) -> dict[str, object]:
    user = request.user
    return {
        "preview": selectors.post_preview(post=post),
        "history": selectors.approval_history(post=post),
        "may_approve": selectors.user_may_approve(post=post, user=user),
        "may_request_changes": selectors.user_may_request_changes(post=post, user=user),
        "guard": _verdict(request, post),
    }


@workspace_view(Perm.REVIEW_VIEW)
def queue(request: WorkspaceRequest) -> HttpResponse:
    posts = list(selectors.review_queue(workspace=request.workspace, user=request.user)[:50])
    reports = guard_check_posts(posts=posts)
    context = {
        "cards": [
            {
                "preview": selectors.post_preview(post=post),
                "history": post.history,  # type: ignore[attr-defined]
                "may_approve": True,
                "may_request_changes": True,
                "guard": _verdict(request, post, reports[post.pk]),
            }
            for post in posts
        ],
        "required": selectors.required_approvals(workspace=request.workspace),
        "can_decide": role_can(request.membership.role, Perm.REVIEW_DECIDE),
        "can_send_links": role_can(request.membership.role, Perm.CONTENT_APPROVE),
        "can_edit_settings": role_can(request.membership.role, Perm.SETTINGS_EDIT),
        "approve_form": ApproveForm(),
        "changes_form": ChangesForm(),
    }
    return render(request, "approvals/queue.html", context)


# Posts: see one, send it for review, decide -----------------------------------------------


@workspace_view(Perm.WORKSPACE_VIEW)
def post_review(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    # Two kinds of people open a post's review: the team (who may read content) and client
    # reviewers (who may read only what waits for review). One permission cannot say both.
    post = _post_or_404(request, post_id)
    role = request.membership.role
    in_review = post.approval_state == ApprovalState.IN_REVIEW
    if not (role_can(role, Perm.CONTENT_VIEW) or (role_can(role, Perm.REVIEW_VIEW) and in_review)):
        raise PermissionDenied
    may_submit = (
        role_can(role, Perm.CONTENT_EDIT)
        or (role_can(role, Perm.CONTENT_DRAFT) and post.author_id == request.user.pk)
    ) and post.approval_state in (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED)
    context = {
        "card": _decision_card(request, post),
        "post": post,
        "may_submit": may_submit,
        "required": selectors.required_approvals(workspace=request.workspace),
        "approve_form": ApproveForm(),
        "changes_form": ChangesForm(),
    }
    return render(request, "approvals/post.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def post_submit(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    try:
        services.post_submit_for_review(post=post, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Sent for review. The people who approve posts are told."))
    return _back(request, post)


@workspace_view(Perm.REVIEW_DECIDE)
@require_POST
def post_approve(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return _back(request, post)
    try:
        services.post_approve(post=post, actor=request.user, comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        if post.approval_state == ApprovalState.APPROVED:
            messages.success(request, approved_message(post))
        else:
            messages.success(
                request, _("Approved. It now needs a second approval from someone else.")
            )
    return _back(request, post)


@workspace_view(Perm.REVIEW_DECIDE)
@require_POST
def post_request_changes(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    form = ChangesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return _back(request, post)
    try:
        services.post_request_changes(
            post=post, actor=request.user, comment=form.cleaned_data["comment"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Sent back to the author with your comment."))
    return _back(request, post)


# Settings -----------------------------------------------------------------------------------


@workspace_view(Perm.SETTINGS_EDIT)
def approval_settings(request: WorkspaceRequest) -> HttpResponse:
    current = selectors.approval_settings_for(workspace=request.workspace)
    if request.method == "POST":
        form = ApprovalSettingsForm(request.POST)
        if form.is_valid():
            services.approval_settings_update(
                workspace=request.workspace,
                actor=request.user,
                require_second_approval=form.cleaned_data["require_second_approval"],
            )
            messages.success(request, _("Review settings saved."))
            return redirect("approvals:settings", workspace=request.workspace.slug)
    else:
        form = ApprovalSettingsForm(
            initial={"require_second_approval": current.require_second_approval}
        )
    context = {"form": form, "nav_active": "settings", "settings_tab": "review"}
    return render(request, "approvals/settings.html", context)


# Client review links ------------------------------------------------------------------------


def _link_rows(request: WorkspaceRequest) -> list[dict[str, object]]:
    rows = []
    for link in selectors.client_links_of(workspace=request.workspace)[:100]:
        decisions = list(link.decisions.all())
        rows.append(
            {
                "link": link,
                "state": selectors.client_link_state(link=link),
                "posts": list(link.posts.all()),
                "decisions": decisions,
            }
        )
    return rows


@workspace_view(Perm.CONTENT_APPROVE)
def client_links(request: WorkspaceRequest) -> HttpResponse:
    form = ClientLinkForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.client_link_create(
                workspace=request.workspace,
                posts=form.cleaned_data["posts"],
                actor=request.user,
                days=form.cleaned_data["days"],
                label=form.cleaned_data["label"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            # The token is not stored, so this is the only time the address can be shown.
            address = settings.BASE_URL + reverse("client_review:review", args=[token])
            return render(
                request,
                "approvals/link_created.html",
                {"link": link, "address": address, "posts": list(link.posts.all())},
            )
    context = {"form": form, "rows": _link_rows(request)}
    return render(request, "approvals/links.html", context)


@workspace_view(Perm.CONTENT_APPROVE)
@require_POST
def client_link_revoke(request: WorkspaceRequest, link_id: int) -> HttpResponse:
    link = ClientReviewLink.objects.filter(workspace=request.workspace, pk=link_id).first()
    if link is None:
        raise Http404
    services.client_link_revoke(link=link, actor=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect("approvals:links", workspace=request.workspace.slug)
