"""The Analytics area: goals measured against the plan, results per channel, campaign, pillar
and content kind, and Varde's own link tracking. Views parse, check and delegate."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.analytics import (
    adherence,
    best_time,
    charts,
    exports,
    goals,
    links,
    listening_panel,
    selectors,
)
from varde.analytics.forms import ConversionForm, GoalReadingForm
from varde.analytics.services import goal_reading_enter
from varde.channels import selectors as channel_selectors
from varde.content import selectors as content_selectors
from varde.inbox.sla import duration_words as sla_words

PERIOD_DAYS = 30


def _period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=PERIOD_DAYS - 1), today


def _goal_cards(request: WorkspaceRequest) -> list[dict[str, Any]]:
    cards = []
    for progress in goals.goals_progress(workspace=request.workspace, today=timezone.localdate()):
        cards.append(
            {
                "progress": progress,
                "spec_id": f"goal-chart-{progress.goal.id}",
                "spec": charts.goal_chart(progress) if progress.series else None,
                "table": progress.series[-8:],
                "form": GoalReadingForm(initial={"day": timezone.localdate()}),
            }
        )
    return cards


@workspace_view(Perm.ANALYTICS_VIEW)
def overview(request: WorkspaceRequest) -> HttpResponse:
    start, end = _period()
    workspace = request.workspace
    cube = selectors.period_cube(workspace=workspace, start=start, end=end)
    context = {
        "nav_active": "analytics",
        "start": start,
        "end": end,
        "cards": _goal_cards(request),
        "listening": listening_panel.listening_panel(workspace=workspace, start=start, end=end),
        "totals": selectors.metric_totals(workspace=workspace, start=start, end=end, rows=cube),
        "breakdowns": [
            (
                label,
                selectors.breakdown(workspace=workspace, by=by, start=start, end=end, rows=cube),
                key,
            )
            for by, label, key in (
                ("channel", _("Per channel"), "channels"),
                ("campaign", _("Per campaign"), "campaigns"),
                ("pillar", _("Per pillar"), "pillars"),
                ("mix_category", _("Per content kind"), "content-kinds"),
            )
        ],
        "columns": list(exports.BREAKDOWN_METRICS),
        "sandbox": selectors.has_sandbox_data(workspace=workspace),
        "can_edit": role_can(request.membership.role, Perm.ANALYTICS_EDIT),
    }
    return render(request, "analytics/overview.html", context)


@workspace_view(Perm.ANALYTICS_VIEW)
def export_table(request: WorkspaceRequest, table: str) -> HttpResponse:
    """One table of the area as CSV, for the same period the pages show."""
    if table not in exports.TABLES:
        raise Http404
    start, end = _period()
    body = exports.export_csv(workspace=request.workspace, key=table, start=start, end=end)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = exports.export_filename(workspace=request.workspace, key=table, start=start, end=end)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view(Perm.ANALYTICS_VIEW)
def plan_kept(request: WorkspaceRequest) -> HttpResponse:
    """What the team did against the plan: posts per week per channel, the content mix and the
    time to a first answer, for the last eight weeks."""
    result = adherence.plan_adherence(workspace=request.workspace, today=timezone.localdate())
    context = {
        "nav_active": "analytics",
        "result": result,
        "median_words": (
            sla_words(result.responses.median_s) if result.responses.median_s is not None else ""
        ),
    }
    return render(request, "analytics/plan_kept.html", context)


@workspace_view(Perm.ANALYTICS_VIEW)
def best_time_page(request: WorkspaceRequest) -> HttpResponse:
    """When the channel's posts have done best, from its own history, with the posts behind
    each number; a hint for planning, never a change of the plan."""
    channels = list(channel_selectors.channels_in(workspace=request.workspace).current())
    chosen = next((c for c in channels if str(c.pk) == request.GET.get("channel")), None)
    if chosen is None and channels:
        chosen = channels[0]
    result = None
    if chosen is not None:
        result = best_time.best_times(
            channel=chosen,
            zone=best_time.zone_of(request.workspace.timezone),
            today=timezone.localdate(),
        )
    context = {
        "nav_active": "analytics",
        "channels": channels,
        "chosen": chosen,
        "result": result,
        "rows": _best_time_rows(result) if result else [],
        "suggestions": [
            {
                "day": best_time.weekday_name(s.weekday),
                "hours": best_time.block_label(s.block),
                "untried": s.untried,
                "score": s.score,
                "posts": s.posts,
            }
            for s in (result.suggestions if result else [])
        ],
        "blocks": [best_time.block_label(block) for block in range(best_time.BLOCKS)],
    }
    return render(request, "analytics/best_time.html", context)


def _best_time_rows(result: best_time.BestTimes) -> list[dict[str, Any]]:
    return [
        {"day": best_time.weekday_name(weekday), "cells": [_heat(c) for c in cells]}
        for weekday, cells in enumerate(result.cells)
    ]


def _heat(cell: best_time.Cell) -> dict[str, Any]:
    """The cell with a shade from 0 (half the usual or less) to 4 (twice or more)."""
    if cell.score is None:
        return {"cell": cell, "shade": None}
    steps = (0.67, 0.9, 1.1, 1.5)
    return {"cell": cell, "shade": sum(cell.score >= step for step in steps)}


@workspace_view(Perm.ANALYTICS_EDIT)
@require_POST
def goal_reading(request: WorkspaceRequest, goal_id: int) -> HttpResponse:
    goal = goals.goal_target(workspace=request.workspace, goal_id=goal_id)
    if goal is None:
        raise Http404
    form = GoalReadingForm(request.POST)
    if form.is_valid():
        goal_reading_enter(
            workspace=request.workspace,
            goal_id=goal.id,
            day=form.cleaned_data["day"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("The number was saved."))
    else:
        messages.error(request, _("The number was not saved: give a date and a number."))
    url = reverse("analytics:overview", kwargs={"workspace": request.workspace.slug})
    return HttpResponseRedirect(f"{url}#goal-{goal.id}")


def _campaign_choices(request: WorkspaceRequest) -> list[tuple[int, str]]:
    return [(c.pk, c.name) for c in content_selectors.campaigns_of(workspace=request.workspace)]


@workspace_view(Perm.ANALYTICS_VIEW)
def link_tracking(request: WorkspaceRequest) -> HttpResponse:
    start, end = _period()
    workspace = request.workspace
    can_edit = role_can(request.membership.role, Perm.ANALYTICS_EDIT)
    key = links.tracking_key_of(workspace=workspace)
    sees_secret = role_can(request.membership.role, Perm.SETTINGS_EDIT)
    context = {
        "nav_active": "analytics",
        "start": start,
        "end": end,
        "links": selectors.link_rows(workspace=workspace, start=start, end=end),
        "conversions": selectors.conversions_recent(workspace=workspace),
        "conversion_totals": selectors.conversion_totals(workspace=workspace, start=start, end=end),
        "form": ConversionForm(
            campaigns=_campaign_choices(request), initial={"day": timezone.localdate()}
        ),
        "can_edit": can_edit,
        "pixel_url": request.build_absolute_uri(
            reverse("links:pixel", kwargs={"pixel_id": key.pixel_id})
        ),
        "endpoint_url": request.build_absolute_uri(
            reverse("links:conversion", kwargs={"pixel_id": key.pixel_id})
        ),
        "secret": links.conversion_secret(workspace=workspace) if sees_secret else None,
        "example_body": json.dumps({"kind": "customer", "value": "1290.00", "id": "order-1001"}),
    }
    return render(request, "analytics/links.html", context)


@workspace_view(Perm.ANALYTICS_EDIT)
@require_POST
def conversion_add(request: WorkspaceRequest) -> HttpResponse:
    form = ConversionForm(request.POST, campaigns=_campaign_choices(request))
    if form.is_valid():
        links.conversion_enter(
            workspace=request.workspace,
            kind=form.cleaned_data["kind"],
            day=form.cleaned_data["day"],
            value=form.cleaned_data["value"],
            campaign_id=form.cleaned_data["campaign"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Not saved: check the date and the amount."))
    return HttpResponseRedirect(
        reverse("analytics:links", kwargs={"workspace": request.workspace.slug})
    )
