"""The composer: write once, adapt per channel, see every network's rules live, plan, save.

The page is one form (``#composer``). Small htmx requests post that whole form as the author
types: ``checks`` answers each channel's counts and preview, ``autosave`` saves the draft and
answers only the save status, so a failed save never touches what is on the screen. What the
page shows is built in ``views_compose_context``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm
from varde.analytics import selectors as analytics_selectors
from varde.approvals import selectors as approval_selectors
from varde.approvals import services as approvals
from varde.approvals.outcome import approved_message
from varde.composer import selectors as composer_selectors
from varde.composer import services as composer_services
from varde.composer.views_compose_context import (
    checks_for,
    composer_context,
    initial_for,
    plan_week_context,
    prefill_from_query,
)
from varde.composer.views_shared import (
    LOCAL_INPUT_FORMAT,
    SUBMITTABLE_STATES,
    may_edit,
    media_of,
    post_or_404,
    posted_post,
    posted_version,
    reverse_or_none,
)
from varde.content import selectors, services
from varde.content.choices import ApprovalState
from varde.content.forms import PostForm, alt_texts_from, parse_local_datetime
from varde.content.services import StaleVersionError
from varde.content.slots import next_free_slot, plan_for_channel
from varde.lib.timeutil import utc_to_local
from varde.strategy.selectors import publishing_plan_for

if TYPE_CHECKING:
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post


def _save(request: WorkspaceRequest, form: PostForm, post: Post | None) -> composer_services.Saved:
    """Validate and save; raises ValidationError with what to fix."""
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    draft = form.draft(alt_texts_from(request.POST))
    draft.draft_key = request.POST.get("draft_key", "")[:40]
    draft.base_version = posted_version(request) if post is not None else None
    return composer_services.post_save_draft(
        workspace=request.workspace, actor=request.user, draft=draft, post=post
    )


def _first_message(error: ValidationError, form: PostForm | None = None) -> str:
    if form is not None and form.errors:
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    if hasattr(error, "error_dict"):
        return str(next(iter(error.message_dict.values()))[0])
    return error.messages[0] if error.messages else str(error)


def _attach(form: PostForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


# --- Pages ----------------------------------------------------------------------------------


@workspace_view(Perm.CONTENT_DRAFT)
def compose(request: WorkspaceRequest) -> HttpResponse:
    channels = selectors.composer_channels(workspace=request.workspace)
    if request.method == "POST":
        form = PostForm(request.POST, workspace=request.workspace, channels=channels)
        existing = posted_post(request)
        return _save_page(request, form, existing)
    form = PostForm(
        initial=prefill_from_query(request, channels),
        workspace=request.workspace,
        channels=channels,
    )
    return render(request, "content/compose.html", composer_context(request, form, None))


@workspace_view(Perm.CONTENT_DRAFT)
def post_edit(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = post_or_404(request, post_id)
    if not may_edit(request, post):
        return redirect("content:post", workspace=request.workspace.slug, post_id=post.pk)
    channels = selectors.composer_channels(workspace=request.workspace)
    if request.method == "POST":
        form = PostForm(request.POST, workspace=request.workspace, channels=channels)
        return _save_page(request, form, post)
    form = PostForm(
        initial=initial_for(post, request.workspace.timezone),
        workspace=request.workspace,
        channels=channels,
    )
    return render(request, "content/compose.html", composer_context(request, form, post))


def _save_page(request: WorkspaceRequest, form: PostForm, post: Post | None) -> HttpResponse:
    """The "Save draft" button: the whole page, for people without JavaScript too."""
    try:
        saved = _save(request, form, post)
    except StaleVersionError as conflict:
        messages.error(request, conflict.messages[0])
        context = composer_context(request, form, post)
        context["conflict"] = conflict.current
        context["yours"] = request.POST.get("text", "")
        return render(request, "content/compose.html", context, status=409)
    except ValidationError as error:
        if not form.errors:
            _attach(form, error)
        messages.error(request, _("The draft was not saved. Fix what is marked below."))
        context = composer_context(request, form, post)
        return render(request, "content/compose.html", context, status=422)
    upload = request.FILES.get("upload")
    if upload is not None:
        try:
            services.media_add(
                post=saved.post,
                actor=request.user,
                upload=upload,
                alt_text=request.POST.get("new_alt_text", ""),
            )
        except ValidationError as error:
            messages.error(request, _first_message(error))
    if saved.needs_review_again:
        messages.warning(
            request, _("The post was approved; after this change it needs approval again.")
        )
    action = request.POST.get("action", "save")
    if action in {"submit", "approve"}:
        _review_step(request, saved.post, approve=action == "approve")
    elif saved.post.approval_state == ApprovalState.APPROVED:
        # Saving does not take an approved post off the schedule; say so, and where to do it.
        messages.success(
            request,
            _(
                "Saved. It is still approved and goes out as planned; "
                "use “Unschedule” to take it off the schedule."
            ),
        )
    elif saved.post.approval_state == ApprovalState.IN_REVIEW:
        messages.success(request, _("Saved. It is waiting for review."))
    else:
        messages.success(request, _("Draft saved."))
    return redirect("content:post_edit", workspace=request.workspace.slug, post_id=saved.post.pk)


def _review_step(request: WorkspaceRequest, post: Post, *, approve: bool) -> None:
    """After saving: send the post for review, and approve it when the user may and asked to.

    The approvals app holds the rules (who may approve, a second approval, the policy guard at
    approval time); a refusal is shown and the saved draft stays as it is.
    """
    try:
        if post.approval_state in SUBMITTABLE_STATES:
            approvals.post_submit_for_review(post=post, actor=request.user)
        if not approve:
            messages.success(request, _("Saved and sent for review."))
            return
        if not approval_selectors.user_may_approve(post=post, user=request.user):
            messages.warning(request, _("Saved and sent for review; someone else must approve it."))
            return
        approvals.post_approve(post=post, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    if post.approval_state == ApprovalState.APPROVED:
        messages.success(request, approved_message(post))
    else:
        messages.success(request, _("Approved. It needs a second approval from someone else."))


# --- htmx endpoints -------------------------------------------------------------------------


def _bound_form(request: WorkspaceRequest) -> PostForm:
    channels = selectors.composer_channels(workspace=request.workspace)
    form = PostForm(request.POST, workspace=request.workspace, channels=channels)
    form.is_valid()
    return form


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def checks(request: WorkspaceRequest) -> HttpResponse:
    """Counts, rules and previews for each chosen channel, as the author types."""
    post = posted_post(request)
    form = _bound_form(request)
    context = {"checks": checks_for(form, post), "media": media_of(post), "post": post}
    return render(request, "content/_checks.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def autosave(request: WorkspaceRequest) -> HttpResponse:
    """Save the draft quietly; answer only the save status (and the post id once created)."""
    post = posted_post(request)
    form = _bound_form(request)
    zone = request.workspace.timezone
    if post is None and not (
        (form.cleaned_data.get("text") or "").strip() and form.cleaned_data.get("channels")
    ):
        # No post before there is text and a channel: experiments do not pile up as drafts.
        return render(request, "content/_save_status.html", {"state": "waiting"})
    try:
        saved = _save(request, form, post)
    except StaleVersionError as conflict:
        return render(
            request,
            "content/_save_status.html",
            {
                "state": "conflict",
                "current": conflict.current,
                "yours": form.cleaned_data.get("text") or "",
            },
        )
    except ValidationError as error:
        return render(
            request,
            "content/_save_status.html",
            {"state": "error", "reason": _first_message(error, form)},
        )
    context = {
        "state": "saved",
        "saved_at": utc_to_local(timezone.now(), zone),
        "saved": saved,
        "post": saved.post,
        "created": saved.created,
        "media": media_of(saved.post),
    }
    response = render(request, "content/_save_status.html", context)
    if saved.created:
        response["HX-Replace-Url"] = reverse(
            "content:post_edit",
            kwargs={"workspace": request.workspace.slug, "post_id": saved.post.pk},
        )
    return response


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def media_add(request: WorkspaceRequest) -> HttpResponse:
    """Upload one file (the whole form comes along, so a new draft is saved first)."""
    post = posted_post(request)
    upload = request.FILES.get("upload")
    context: dict[str, Any] = {"post": post, "created": False}
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to upload."))
        if post is None:
            form = _bound_form(request)
            saved = _save(request, form, None)
            post, context["created"] = saved.post, True
        services.media_add(
            post=post,
            actor=request.user,
            upload=upload,
            alt_text=request.POST.get("new_alt_text", ""),
        )
    except ValidationError as error:
        context["error"] = _first_message(error)
    if post is not None:
        post = post_or_404(request, post.pk)  # read again: the prefetched media are stale
    context["post"] = post
    context["media"] = media_of(post)
    response = render(request, "content/_media.html", context)
    if "error" not in context:
        # A file changes what each network gets (and may have saved a new draft): the save
        # status, the checks and the guard catch up without a keystroke.
        response["HX-Trigger-After-Settle"] = "composer-changed"
    if context["created"] and post is not None:
        response["HX-Replace-Url"] = reverse(
            "content:post_edit", kwargs={"workspace": request.workspace.slug, "post_id": post.pk}
        )
    return response


@workspace_view(Perm.CONTENT_DRAFT)
@require_GET
def thread_part(request: WorkspaceRequest) -> HttpResponse:
    # The parts already on the page come along, so the new one gets the next number.
    number = len(request.GET.getlist("thread")) + 2
    return render(request, "content/_thread_part.html", {"value": "", "number": number})


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def next_slot(request: WorkspaceRequest) -> HttpResponse:
    """Fill the planned time with the next free slot of the publishing plan."""
    post = posted_post(request)
    form = _bound_form(request)
    chosen: list[ConnectedAccount] = list(form.cleaned_data.get("channels") or [])
    context: dict[str, Any] = {"form": form, "value": request.POST.get("planned_at", "")}
    plans = publishing_plan_for(request.workspace)
    planned = [(c, plan_for_channel(c, plans)) for c in chosen]
    with_plan = [(c, p) for c, p in planned if p is not None and p.times]
    if not chosen:
        context["note"] = _("Choose at least one channel first.")
    elif not with_plan:
        context["note"] = _(
            "The publishing plan has no days and times for these channels yet. "
            "Add them in the strategy (phase 4)."
        )
        context["strategy_url"] = reverse_or_none(
            "strategy:overview", workspace=request.workspace.slug
        )
    else:
        taken = composer_selectors.planned_times_by_channel(
            workspace=request.workspace, channels=[c for c, _p in with_plan], exclude_post=post
        )
        channel, plan = with_plan[0]
        assert plan is not None  # noqa: S101
        slot = next_free_slot(
            workspace=request.workspace,
            plan=plan,
            taken=taken[channel.pk],
            now=timezone.now(),
            also_free=[taken[c.pk] for c, _p in with_plan[1:]],
        )
        if slot is None:
            context["note"] = _("No free slot in the plan in the next eight weeks.")
        else:
            context["value"] = slot.local.strftime(LOCAL_INPUT_FORMAT)
            context["slot"] = slot
            context["slot_channel"] = channel
            context["best_time"] = analytics_selectors.best_time_hint(
                channel=channel, when=slot.local, today=timezone.localdate()
            )
    response = render(request, "content/_planned_at.html", context)
    if "slot" in context:
        # The time changed without a keystroke: save, check and show the plan for that week.
        response["HX-Trigger-After-Settle"] = "composer-changed"
    return response


@workspace_view(Perm.CONTENT_DRAFT)
@require_GET
def plan_week(request: WorkspaceRequest) -> HttpResponse:
    """The calendar's plan meters for the week of the planned time (this week without one)."""
    try:
        planned = parse_local_datetime(
            request.GET.get("planned_at", ""), request.workspace.timezone
        )
    except ValidationError:
        planned = None
    context = plan_week_context(planned, request.workspace.timezone, request.workspace.slug)
    return render(request, "content/_plan_week.html", context)
