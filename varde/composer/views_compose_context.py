"""What the composer page shows: the form's starting values, each channel's checks, the plan week.

Built from the form as it stands, valid or not: a posted form shows what was posted, a fresh
one what it starts from (a saved post, or the channel and time of a calendar slot).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import QueryDict
from django.utils import timezone

from varde.accounts.permissions import Perm, role_can
from varde.approvals import selectors as approval_selectors
from varde.composer import selectors as composer_selectors
from varde.composer.views_shared import (
    LOCAL_INPUT_FORMAT,
    SUBMITTABLE_STATES,
    may_edit,
    reverse_or_none,
)
from varde.content import selectors
from varde.content.forms import PostForm, parse_local_datetime
from varde.content.rules import ChannelCheck, rules_for
from varde.lib.timeutil import utc_to_local

if TYPE_CHECKING:
    from varde.accounts.access import WorkspaceRequest
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post


def _local_input(instant: dt.datetime | None, zone: str) -> str:
    return utc_to_local(instant, zone).strftime(LOCAL_INPUT_FORMAT) if instant else ""


def initial_for(post: Post, zone: str) -> dict[str, Any]:
    deliveries = composer_selectors.post_open_deliveries(post)
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
        "planned_at": _local_input(composer_selectors.post_planned_at(post), zone),
    }
    for variant in post.variants.all():
        initial[f"variant_{variant.channel_id}"] = variant.text
    return initial


def prefill_from_query(
    request: WorkspaceRequest, channels: list[ConnectedAccount]
) -> dict[str, Any]:
    """``?channel=<id>&at=<local ISO time>`` from the calendar's open-slot suggestions."""
    initial: dict[str, Any] = {}
    raw_channel = request.GET.get("channel", "")
    if raw_channel.isdigit() and any(c.pk == int(raw_channel) for c in channels):
        initial["channels"] = [int(raw_channel)]
    elif len(channels) == 1:
        # With one channel there is nothing to choose: it is ticked already.
        initial["channels"] = [channels[0].pk]
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


def plan_week_context(instant: dt.datetime | None, zone: str, slug: str) -> dict[str, object]:
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


def checks_for(form: PostForm, post: Post | None) -> list[ChannelCheck]:
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


def _checks_and_planned(
    request: WorkspaceRequest, form: PostForm, post: Post | None
) -> tuple[list[ChannelCheck], Any]:
    """The live checks of what the form holds, and the planned time the week panel shows."""
    planned = composer_selectors.post_planned_at(post) if post else None
    if form.is_bound:
        form.is_valid()
        cleaned = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        return checks_for(form, post), cleaned.get("planned_at")
    bound = PostForm(
        _as_querydict(dict(form.initial)), workspace=request.workspace, channels=form.channel_list
    )
    bound.is_valid()
    # A new post opened from a calendar slot (``?at=``): the meters show the slot's week.
    return checks_for(bound, post), planned or bound.cleaned_data.get("planned_at")


def _channel_context(form: PostForm) -> dict[str, Any]:
    chosen = _chosen_ids(form)
    rules = {c.pk: rules_for(c) for c in form.channel_list}
    with_threads = [pk for pk, r in rules.items() if r.has_threads]
    with_comments = [pk for pk, r in rules.items() if r.has_first_comment]
    return {
        "channel_rows": [
            {"channel": c, "rules": rules[c.pk], "checked": str(c.pk) in chosen, "variant": field}
            for c, field in form.variant_fields()
        ],
        "thread_networks": sorted({r.network_label for r in rules.values() if r.has_threads}),
        "comment_networks": sorted(
            {r.network_label for r in rules.values() if r.has_first_comment}
        ),
        # The thread and the first comment are shown only where a chosen network takes them,
        # or where something is written in them already (nothing typed is ever hidden);
        # composer.js reads the same lists to follow the ticks without a round trip.
        "channel_features": {"threads": with_threads, "comments": with_comments},
        "thread_shown": _any_chosen(chosen, with_threads)
        or any(part.strip() for part in _field_value(form, "thread") or []),
        "comment_shown": _any_chosen(chosen, with_comments)
        or bool((_field_value(form, "first_comment") or "").strip()),
    }


def _any_chosen(chosen: set[str], channel_ids: list[int]) -> bool:
    return any(str(pk) in chosen for pk in channel_ids)


def _post_context(request: WorkspaceRequest, form: PostForm, post: Post | None) -> dict[str, Any]:
    """What depends on the saved post: its media, deliveries, version and what may be done."""
    slug = request.workspace.slug
    return {
        "media": list(post.media.all()) if post else [],
        "deliveries": composer_selectors.post_open_deliveries(post) if post else [],
        "may_edit": post is None or may_edit(request, post),
        "can_submit": post is None or post.approval_state in SUBMITTABLE_STATES,
        "can_approve": _can_approve(request, post),
        "review_url": reverse_or_none("approvals:post", workspace=slug, post_id=post.pk)
        if post
        else None,
        # The version this page shows; a page re-shown after a refused save keeps the one it
        # had, so saving again is refused too until the person chooses.
        "base_version": (request.POST.get("base_version") if form.is_bound else None)
        or (post.version if post else ""),
        "is_scheduled": post is not None and composer_selectors.post_is_scheduled(post),
    }


def composer_context(
    request: WorkspaceRequest, form: PostForm, post: Post | None
) -> dict[str, Any]:
    slug = request.workspace.slug
    checks, planned = _checks_and_planned(request, form, post)
    if not form.is_bound:
        # A page opened to write: the cursor is in the text. Not after a refused save, where
        # the person reads what is marked first.
        form.fields["text"].widget.attrs["autofocus"] = True
    return {
        "form": form,
        "post": post,
        "checks": checks,
        **_channel_context(form),
        "thread_parts": _field_value(form, "thread") or [],
        "planned_value": _field_value(form, "planned_at") or "",
        **_post_context(request, form, post),
        "timezone_name": request.workspace.timezone,
        **plan_week_context(planned, request.workspace.timezone, slug),
        "policy_url": reverse_or_none("policy:check", workspace=slug),
        "draft_key": request.POST.get("draft_key", "")[:40] or uuid.uuid4().hex,
        "nav_active": "calendar",
    }


def _chosen_ids(form: PostForm) -> set[str]:
    value = _field_value(form, "channels") or []
    return {str(v.pk if isinstance(v, Model) else v) for v in value}


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
