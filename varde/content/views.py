"""The composer: write once, adapt per channel, see every network's rules live, plan, save.

The page is one form (``#composer``). Small htmx requests post that whole form as the author
types: ``checks`` answers each channel's counts and preview, ``autosave`` saves the draft and
answers only the save status, so a failed save never touches what is on the screen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.approvals import selectors as approval_selectors
from varde.approvals import services as approvals
from varde.channels.models import ConnectedAccount
from varde.content import selectors, services
from varde.content.forms import PostForm, alt_texts_from, parse_local_datetime
from varde.content.models import ApprovalState, Post
from varde.content.rules import ChannelCheck, rules_for
from varde.content.slots import next_free_slot, plan_for_channel
from varde.lib.htmx import is_htmx
from varde.publishing.timeutil import utc_to_local
from varde.strategy.selectors import publishing_plan_for

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
SUBMITTABLE_STATES = (ApprovalState.DRAFT, ApprovalState.CHANGES_REQUESTED)


def reverse_or_none(name: str, **kwargs: Any) -> str | None:
    """A URL of another app that may not be installed yet (the plan meters, the policy check)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _post_or_404(request: WorkspaceRequest, post_id: int) -> Post:
    try:
        return selectors.post_get(workspace=request.workspace, post_id=post_id)
    except Post.DoesNotExist:
        raise Http404 from None


def _may_edit(request: WorkspaceRequest, post: Post) -> bool:
    """Editors edit every post; a contributor edits the posts they wrote."""
    if role_can(request.membership.role, Perm.CONTENT_EDIT):
        return True
    return post.author_id == request.user.pk


def _editable_post(request: WorkspaceRequest, post_id: int) -> Post:
    post = _post_or_404(request, post_id)
    if not _may_edit(request, post):
        raise PermissionDenied
    return post


def _posted_post(request: WorkspaceRequest) -> Post | None:
    """The post an htmx request from the composer is about (hidden ``post_id``), if any."""
    raw = request.POST.get("post_id", "")
    if not raw.isdigit():
        return None
    return _editable_post(request, int(raw))


def _local_input(instant: dt.datetime | None, zone: str) -> str:
    return utc_to_local(instant, zone).strftime(LOCAL_INPUT_FORMAT) if instant else ""


def _initial_for(post: Post, zone: str) -> dict[str, Any]:
    deliveries = selectors.post_open_deliveries(post)
    initial: dict[str, Any] = {
        "text": post.text,
        "title": post.title,
        "channels": [d.channel_id for d in deliveries],
        "link_url": post.link_url,
        "thread": list(post.thread),
        "first_comment": post.first_comment,
        "campaign": post.campaign_id,
        "pillar": post.pillar_id,
        "mix_category": post.mix_category,
        "audience": post.audience_id,
        "key_message": post.key_message_id,
        "is_paid": post.is_paid,
        "planned_at": _local_input(selectors.post_planned_at(post), zone),
    }
    for variant in post.variants.all():
        initial[f"variant_{variant.channel_id}"] = variant.text
    return initial


def _prefill_from_query(
    request: WorkspaceRequest, channels: list[ConnectedAccount]
) -> dict[str, Any]:
    """``?channel=<id>&at=<local ISO time>`` from the calendar's open-slot suggestions."""
    initial: dict[str, Any] = {}
    raw_channel = request.GET.get("channel", "")
    if raw_channel.isdigit() and any(c.pk == int(raw_channel) for c in channels):
        initial["channels"] = [int(raw_channel)]
    raw_at = request.GET.get("at", "")
    if raw_at:
        try:
            at = parse_local_datetime(raw_at, request.workspace.timezone)
        except ValidationError:
            at = None
        initial["planned_at"] = _local_input(at, request.workspace.timezone)
    raw_campaign = request.GET.get("campaign", "")
    if raw_campaign.isdigit():
        initial["campaign"] = int(raw_campaign)
    return initial


def _week_of(instant: dt.datetime | None, zone: str) -> dt.date:
    day = utc_to_local(instant, zone).date() if instant else timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _plan_week_context(instant: dt.datetime | None, zone: str, slug: str) -> dict[str, object]:
    """What the plan meters show: the week of the planned time (this week without one), named
    by its number and dates so nobody takes next week's meters for this week's."""
    monday = _week_of(instant, zone)
    return {
        "meters_url": reverse_or_none("calendar:meters", workspace=slug),
        "meters_week": monday.isoformat(),
        "meters_week_number": monday.isocalendar().week,
        "meters_week_end": monday + dt.timedelta(days=6),
        "meters_week_start": monday,
        "meters_this_week": monday == _week_of(None, zone),
    }


def _checks_for(form: PostForm, post: Post | None) -> list[ChannelCheck]:
    """Per chosen channel counts and previews from whatever the form holds now, valid or not."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    chosen = [c for c in form.channel_list if c in (data.get("channels") or [])]
    return selectors.composer_checks(
        channels=chosen,
        text=data.get("text") or "",
        variants={c.pk: data.get(f"variant_{c.pk}") or "" for c in form.channel_list},
        link=data.get("link_url") or "",
        title=data.get("title") or "",
        thread=list(data.get("thread") or []),
        first_comment=data.get("first_comment") or "",
        media=selectors.media_facts(post),
        campaign=data.get("campaign"),
    )


def _composer_context(
    request: WorkspaceRequest, form: PostForm, post: Post | None
) -> dict[str, Any]:
    slug = request.workspace.slug
    planned = selectors.post_planned_at(post) if post else None
    if form.is_bound:
        form.is_valid()
        checks = _checks_for(form, post)
        planned = form.cleaned_data.get("planned_at") if hasattr(form, "cleaned_data") else None
    else:
        bound = PostForm(
            _as_querydict(dict(form.initial)),
            workspace=request.workspace,
            channels=form.channel_list,
        )
        bound.is_valid()
        checks = _checks_for(bound, post)
        # A new post opened from a calendar slot (``?at=``): the meters show the slot's week.
        planned = planned or bound.cleaned_data.get("planned_at")
    chosen = _chosen_ids(form)
    rules = {c.pk: rules_for(c) for c in form.channel_list}
    return {
        "form": form,
        "post": post,
        "checks": checks,
        "channel_rows": [
            {"channel": c, "rules": rules[c.pk], "checked": str(c.pk) in chosen, "variant": field}
            for c, field in form.variant_fields()
        ],
        "thread_networks": sorted({r.network_label for r in rules.values() if r.has_threads}),
        "comment_networks": sorted(
            {r.network_label for r in rules.values() if r.has_first_comment}
        ),
        "thread_parts": _field_value(form, "thread") or [],
        "planned_value": _field_value(form, "planned_at") or "",
        "media": list(post.media.all()) if post else [],
        "deliveries": selectors.post_open_deliveries(post) if post else [],
        "may_edit": post is None or _may_edit(request, post),
        "can_submit": post is None or post.approval_state in SUBMITTABLE_STATES,
        "can_approve": _can_approve(request, post),
        "review_url": reverse_or_none("approvals:post", workspace=slug, post_id=post.pk)
        if post
        else None,
        "timezone_name": request.workspace.timezone,
        **_plan_week_context(planned, request.workspace.timezone, slug),
        "policy_url": reverse_or_none("policy:check", workspace=slug),
        "draft_key": request.POST.get("draft_key", "")[:40] or uuid.uuid4().hex,
        "nav_active": "calendar",
    }


def _chosen_ids(form: PostForm) -> set[str]:
    value = _field_value(form, "channels") or []
    return {str(v.pk if isinstance(v, ConnectedAccount) else v) for v in value}


def _field_value(form: PostForm, name: str) -> Any:
    """What the field shows now: the posted value, or the initial one."""
    if form.is_bound:
        if name in {"channels", "thread"} and isinstance(form.data, QueryDict):
            return form.data.getlist(name)
        return form.data.get(name)
    return form.initial.get(name)


def _can_approve(request: WorkspaceRequest, post: Post | None) -> bool:
    """Offer "Approve and schedule" to people who decide reviews, where it can succeed."""
    if not role_can(request.membership.role, Perm.REVIEW_DECIDE):
        return False
    if post is None or post.approval_state in SUBMITTABLE_STATES:
        return True
    return approval_selectors.user_may_approve(post=post, user=request.user)


def _as_querydict(initial: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in initial.items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = str(value)
    return data


def _save(request: WorkspaceRequest, form: PostForm, post: Post | None) -> services.Saved:
    """Validate and save; raises ValidationError with what to fix."""
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    draft = form.draft(alt_texts_from(request.POST))
    draft.draft_key = request.POST.get("draft_key", "")[:40]
    return services.post_save_draft(
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
        existing = _posted_post(request)
        return _save_page(request, form, existing)
    form = PostForm(
        initial=_prefill_from_query(request, channels),
        workspace=request.workspace,
        channels=channels,
    )
    return render(request, "content/compose.html", _composer_context(request, form, None))


@workspace_view(Perm.CONTENT_DRAFT)
def post_edit(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not _may_edit(request, post):
        return redirect("content:post", workspace=request.workspace.slug, post_id=post.pk)
    channels = selectors.composer_channels(workspace=request.workspace)
    if request.method == "POST":
        form = PostForm(request.POST, workspace=request.workspace, channels=channels)
        return _save_page(request, form, post)
    form = PostForm(
        initial=_initial_for(post, request.workspace.timezone),
        workspace=request.workspace,
        channels=channels,
    )
    return render(request, "content/compose.html", _composer_context(request, form, post))


def _save_page(request: WorkspaceRequest, form: PostForm, post: Post | None) -> HttpResponse:
    """The "Save draft" button: the whole page, for people without JavaScript too."""
    try:
        saved = _save(request, form, post)
    except ValidationError as error:
        if not form.errors:
            _attach(form, error)
        messages.error(request, _("The draft was not saved. Fix what is marked below."))
        context = _composer_context(request, form, post)
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
        messages.success(request, _("Approved. It goes out at its planned time on each channel."))
    else:
        messages.success(request, _("Approved. It needs a second approval from someone else."))


@workspace_view(Perm.CONTENT_VIEW)
@require_GET
def post_detail(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    """A post as it stands, read-only: for analysts, and for posts someone else wrote."""
    post = _post_or_404(request, post_id)
    channels = [d.channel for d in selectors.post_open_deliveries(post)]
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
        "deliveries": selectors.post_open_deliveries(post),
        "may_edit": role_can(request.membership.role, Perm.CONTENT_DRAFT)
        and _may_edit(request, post),
        "can_draft": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "nav_active": "calendar",
    }
    return render(request, "content/post_detail.html", context)


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def post_duplicate(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    copy = services.post_duplicate(post=post, actor=request.user)
    messages.success(request, _("This is a copy. Change what you need and plan it."))
    return redirect("content:post_edit", workspace=request.workspace.slug, post_id=copy.pk)


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
    post = _posted_post(request)
    form = _bound_form(request)
    context = {"checks": _checks_for(form, post), "media": _media(post), "post": post}
    return render(request, "content/_checks.html", context)


def _media(post: Post | None) -> list[Any]:
    return list(post.media.all()) if post else []


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def autosave(request: WorkspaceRequest) -> HttpResponse:
    """Save the draft quietly; answer only the save status (and the post id once created)."""
    post = _posted_post(request)
    form = _bound_form(request)
    zone = request.workspace.timezone
    if post is None and not (form.cleaned_data.get("text") or "").strip():
        return render(request, "content/_save_status.html", {"state": "idle"})
    try:
        saved = _save(request, form, post)
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
        "media": _media(saved.post),
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
    post = _posted_post(request)
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
        post = _post_or_404(request, post.pk)  # read again: the prefetched media are stale
    context["post"] = post
    context["media"] = _media(post)
    response = render(request, "content/_media.html", context)
    if context["created"] and post is not None:
        response["HX-Replace-Url"] = reverse(
            "content:post_edit", kwargs={"workspace": request.workspace.slug, "post_id": post.pk}
        )
    return response


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def media_remove(request: WorkspaceRequest, post_id: int, media_id: int) -> HttpResponse:
    post = _editable_post(request, post_id)
    try:
        item = selectors.media_get(workspace=request.workspace, post_id=post.pk, media_id=media_id)
    except Exception as error:
        raise Http404 from error
    services.media_remove(media=item, actor=request.user)
    if not is_htmx(request):
        return redirect("content:post_edit", workspace=request.workspace.slug, post_id=post.pk)
    post = _post_or_404(request, post_id)
    return render(request, "content/_media.html", {"post": post, "media": _media(post)})


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
    post = _posted_post(request)
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
        taken = selectors.planned_times_by_channel(
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
    context = _plan_week_context(planned, request.workspace.timezone, request.workspace.slug)
    return render(request, "content/_plan_week.html", context)
