"""Per-post delivery status, retrying failed deliveries, and the publishing overview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.lib.htmx import render_page_or_partial
from varde.publishing import hooks, selectors, services
from varde.publishing.choices import DeliveryState
from varde.publishing.forms import SettleUnknownForm
from varde.publishing.models import Delivery

if TYPE_CHECKING:
    from varde.content.models import Post


def _post_or_404(request: WorkspaceRequest, post_id: int) -> Post:
    try:
        return selectors.post_get(workspace=request.workspace, post_id=post_id)
    except ObjectDoesNotExist:
        raise Http404 from None


@workspace_view(Perm.CONTENT_VIEW)
def overview(request: WorkspaceRequest) -> HttpResponse:
    return _overview_page(request)


def _overview_page(
    request: WorkspaceRequest,
    *,
    settle_form: SettleUnknownForm | None = None,
    settle_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    state = request.GET.get("state") or None
    if state is not None and state not in DeliveryState.values:
        state = None
    context = {
        "posts": selectors.posts_with_deliveries(workspace=request.workspace, state=state)[:100],
        "health": selectors.publishing_health(workspace=request.workspace, now=timezone.now()),
        "states": DeliveryState.choices,
        "current_state": state or "",
        "can_publish": role_can(request.membership.role, Perm.CONTENT_PUBLISH),
        # A settle form that did not validate: shown again, with what was typed.
        "settle_form": settle_form,
        "settle_for": settle_for,
        "nav_active": "publishing",
    }
    return render(request, "publishing/overview.html", context, status=status)


@workspace_view(Perm.CONTENT_VIEW)
def post_status(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    deliveries = list(selectors.deliveries_of_post(post=post))
    # What was read back from the networks (analytics and inbox), for published deliveries.
    ids = [d.pk for d in deliveries if d.state == DeliveryState.PUBLISHED]
    read_back = dict(hooks.read_back_of_deliveries.call(request.workspace, ids))
    metrics, replies = read_back.get("metrics", {}), read_back.get("replies", {})
    context = {
        "post": post,
        "deliveries": [
            {
                "delivery": d,
                "attempts": list(selectors.attempts_of(delivery=d)[:20]),
                "metrics": metrics.get(d.pk),
                "replies": replies.get(d.pk, []),
            }
            for d in deliveries
        ],
        "has_failed": any(d.state == DeliveryState.FAILED for d in deliveries),
        "can_publish": role_can(request.membership.role, Perm.CONTENT_PUBLISH),
        "can_draft": role_can(request.membership.role, Perm.CONTENT_DRAFT),
        "has_scheduled": any(d.state == DeliveryState.SCHEDULED for d in deliveries),
        "nav_active": "publishing",
    }
    return render_page_or_partial(
        request, "publishing/post_status.html", "publishing/_deliveries.html", context
    )


@workspace_view(Perm.CONTENT_PUBLISH)
@require_POST
def post_retry_failed(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    failed = list(
        post.deliveries.filter(state=DeliveryState.FAILED).values_list("channel_id", flat=True)
    )
    try:
        # Trying again schedules the post again: the guard runs first, as for every schedule.
        if failed:
            hooks.schedule_refusal.call(post, failed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("publishing:post_status", workspace=request.workspace.slug, post_id=post.pk)
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


@workspace_view(Perm.CONTENT_PUBLISH)
@require_POST
def unknown_settle(request: WorkspaceRequest, delivery_id: int) -> HttpResponse:
    """A person looked at the network: the post is there (with its link), or it is not."""
    overview_url = reverse("publishing:overview", kwargs={"workspace": request.workspace.slug})
    try:
        delivery = selectors.unknown_delivery_get(
            workspace=request.workspace, delivery_id=delivery_id
        )
    except Delivery.DoesNotExist:
        if not selectors.deliveries_in(workspace=request.workspace).filter(pk=delivery_id).exists():
            raise Http404 from None
        messages.info(request, _("That post is no longer waiting for an answer."))
        return redirect(overview_url)
    form = SettleUnknownForm(request.POST)
    if not form.is_valid():
        return _overview_page(request, settle_form=form, settle_for=delivery.pk, status=400)
    published = form.cleaned_data["answer"] == SettleUnknownForm.THERE
    settled = services.delivery_resolve_unknown(
        delivery=delivery,
        published=published,
        url=form.cleaned_data["url"],
        actor=request.user,
    )
    if not settled:
        messages.info(
            request,
            _("Varde is asking the network about this post right now. Try again in a minute."),
        )
    elif published:
        messages.success(
            request,
            _("Marked as published on %(channel)s.") % {"channel": delivery.channel.label},
        )
    else:
        messages.success(
            request,
            _("It will be sent to %(channel)s now.") % {"channel": delivery.channel.label},
        )
    return redirect(overview_url)
