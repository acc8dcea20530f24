"""The calendar page as the template draws it: posts in a month grid, a week of hours or a list.

The view parses the request (period, filters, colouring) and hands over; this module reads
through the selectors and shapes what the template shows. The number of queries stays fixed
whatever the number of posts (``test_query_count_does_not_grow_with_the_number_of_posts``):
add a query here only outside the loops over entries and days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from varde.accounts.permissions import Perm, role_can
from varde.calendar import meters, selectors
from varde.calendar.plan import PlannedChannel, plan_with_accounts
from varde.lib.localformat import zone_label
from varde.lib.timeutil import utc_to_local

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.calendar.periods import Period

MONTH_CELL_LIMIT = 4  # posts shown in a month cell before "n more"
MONTH_SLOT_LIMIT = 3  # open slots shown in a month cell
WEEK_CELL_LIMIT = 6  # posts shown in one hour of the week view before "n more"
LIST_LIMIT = 400  # posts the list view draws; more than that, and the filters help more
WEEK_FIRST_HOUR, WEEK_LAST_HOUR = 7, 20  # the week always shows these; posts outside widen it
PLACEHOLDER_ID = 2_147_483_647
FILTER_PARAMS = ("channel", "campaign", "pillar", "author", "status")

Slots = dict[dt.date, list[selectors.Slot]]
EntriesByDay = dict[dt.date, list[selectors.Entry]]


@dataclass(frozen=True)
class Viewer:
    """Who looks at the calendar: what they may move depends on their role and authorship."""

    role: str
    user_id: int | None

    def may_edit(self, entry: selectors.Entry) -> bool:
        """May unschedule or delete the post (the composer's rule: editors, or its author)."""
        if not role_can(self.role, Perm.CONTENT_DRAFT):
            return False
        return role_can(self.role, Perm.CONTENT_EDIT) or entry.author_id == self.user_id

    def can_move(self, entry: selectors.Entry) -> bool:
        if not entry.movable or not role_can(self.role, Perm.CONTENT_DRAFT):
            return False
        if not role_can(self.role, Perm.CONTENT_EDIT) and entry.author_id != self.user_id:
            return False
        return not (entry.has_scheduled and not role_can(self.role, Perm.CONTENT_PUBLISH))


@dataclass(frozen=True)
class Shown:
    """What the page shows: the period, its posts by day and the plan's open slots."""

    period: Period
    today: dt.date
    entries: list[selectors.Entry]
    by_day: EntriesByDay
    slots: Slots


def today_in(zone: str) -> dt.date:
    return utc_to_local(timezone.now(), zone).date()


def query(params: QueryDict, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    kept = {k: params.get(k, "") for k in ("view", "date", "colour", *FILTER_PARAMS)}
    kept.update({k: ("" if v is None else str(v)) for k, v in changes.items()})
    return urlencode({k: v for k, v in kept.items() if v})


def calendar_page(
    *,
    workspace: Workspace,
    viewer: Viewer,
    period: Period,
    filters: selectors.Filters,
    colour_by: str,
    params: QueryDict,
) -> dict[str, Any]:
    """Everything the calendar template needs for one period; ``params`` only builds links."""
    channels = selectors.calendar_channels(workspace)
    pillars = selectors.calendar_pillars(workspace)
    channel_colours = selectors.colour_of([c.pk for c in channels])
    pillar_colours = selectors.colour_of([p.id for p in pillars])
    entries = selectors.calendar_entries(
        workspace=workspace,
        start=period.start_utc,
        end=period.end_utc,
        filters=filters,
        channel_colours=channel_colours,
        pillar_colours=pillar_colours,
    )
    _link_entries(entries, viewer, workspace.slug)
    now = timezone.now()
    planned = plan_with_accounts(workspace, channels)
    shown = Shown(
        period=period,
        today=today_in(workspace.timezone),
        entries=entries,
        by_day=selectors.entries_by_day(entries),
        slots=_open_slots(workspace, period, planned, now, filters.channel),
    )
    context: dict[str, Any] = {
        "nav_active": "calendar",
        "period": period,
        "view": period.view,
        "today": shown.today,
        "zone_label": _zone_label(workspace.timezone, period.anchor),
        "entries": entries,
        "entry_count": len(entries),
        "colour_by": colour_by,
        "filters": filters,
        "channels": channels,
        "channel_colours": channel_colours,
        "pillars": [(p, pillar_colours[p.id]) for p in pillars],
        "campaigns": selectors.calendar_campaigns(workspace),
        "authors": selectors.calendar_authors(workspace),
        "statuses": selectors.STATUS_CHOICES,
        **_links(params, period),
        "can_draft": role_can(viewer.role, Perm.CONTENT_DRAFT),
        "move_url": reverse("calendar:move", kwargs={"workspace": workspace.slug}),
        "post_root": reverse(
            "content:post", kwargs={"workspace": workspace.slug, "post_id": PLACEHOLDER_ID}
        ).replace(f"{PLACEHOLDER_ID}/", ""),
        "calendar_back": reverse("calendar:calendar", kwargs={"workspace": workspace.slug})
        + "?"
        + query(params),
        "meters": meters.plan_meters(
            workspace=workspace, week=period.anchor, now=now, accounts=channels, planned=planned
        ),
    }
    context.update(VIEW_BODIES[period.view](shown, params))
    return context


def _link_entries(entries: list[selectors.Entry], viewer: Viewer, workspace_slug: str) -> None:
    """Each entry's link and whether this viewer may drag it."""
    url_pattern = _post_url_pattern(workspace_slug)
    for entry in entries:
        entry.can_move = viewer.can_move(entry)
        entry.may_edit = viewer.may_edit(entry)
        entry.url = url_pattern.replace("{id}", str(entry.post_id))


def _post_url_pattern(workspace_slug: str) -> str:
    """The link of a post (the composer's edit page, else its publishing status), with "{id}".

    Reversed once per page, not once per post: a month can hold thousands.
    """
    for name in ("content:post_edit", "publishing:post_status"):
        try:
            url = reverse(name, kwargs={"workspace": workspace_slug, "post_id": PLACEHOLDER_ID})
        except NoReverseMatch:
            continue
        return url.replace(str(PLACEHOLDER_ID), "{id}")
    return ""


def _open_slots(
    workspace: Workspace,
    period: Period,
    planned: list[PlannedChannel],
    now: dt.datetime,
    channel_id: int | None,
) -> Slots:
    """The plan's open slots, only the filtered channel's when the page shows one channel."""
    slots = selectors.open_slots(workspace=workspace, period=period, planned=planned, now=now)
    if channel_id is None:
        return slots
    return {
        day: [s for s in day_slots if s.channel_id == channel_id]
        for day, day_slots in slots.items()
    }


def _zone_label(zone: str, day: dt.date) -> str:
    """ "norsk tid (UTC+01:00)": a place the reader knows, and whether summer time is on."""
    return zone_label(zone, day)


def _links(params: QueryDict, period: Period) -> dict[str, str]:
    """The page's links: the same filters with another period, view or colouring."""
    return {
        "query": query(params),
        "query_prev": query(params, date=period.previous_anchor.isoformat()),
        "query_next": query(params, date=period.next_anchor.isoformat()),
        "query_today": query(params, date=None),
        "query_month": query(params, view="month"),
        "query_week": query(params, view="week"),
        "query_list": query(params, view="list"),
        "query_colour_channel": query(params, colour=None),
        "query_colour_pillar": query(params, colour="pillar"),
    }


def _limited(entries: list[selectors.Entry], limit: int) -> dict[str, Any]:
    """The first ``limit`` entries, and how many more there are ("n more")."""
    return {"entries": entries[:limit], "more": max(0, len(entries) - limit)}


# One body per view; each returns the keys only its template part reads.


def _month_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    month = shown.period.anchor.month
    return {
        "month_weeks": [
            [_month_cell(shown, params, day, in_month=day.month == month) for day in week]
            for week in shown.period.weeks
        ]
    }


def _month_cell(shown: Shown, params: QueryDict, day: dt.date, *, in_month: bool) -> dict[str, Any]:
    return {
        "day": day,
        "in_month": in_month,
        "is_today": day == shown.today,
        **_limited(shown.by_day.get(day, []), MONTH_CELL_LIMIT),
        "more_query": query(params, view="week", date=day.isoformat()),
        "slots": shown.slots.get(day, [])[:MONTH_SLOT_LIMIT],
    }


def _week_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    first, last = _week_hours(shown)
    days = shown.period.days
    return {
        "week_days": [{"day": d, "is_today": d == shown.today} for d in days],
        "week_rows": [
            {
                "hour": hour,
                "label": f"{hour:02d}:00",
                "cells": [_week_cell(shown, day, hour) for day in days],
            }
            for hour in range(first, last + 1)
        ],
    }


def _week_hours(shown: Shown) -> tuple[int, int]:
    """The first and last hour rows: the working day, widened to every post and open slot."""
    hours = [e.local_at.hour for e in shown.entries] + [
        s.local_at.hour for day_slots in shown.slots.values() for s in day_slots
    ]
    return min([WEEK_FIRST_HOUR, *hours]), max([WEEK_LAST_HOUR, *hours])


def _week_cell(shown: Shown, day: dt.date, hour: int) -> dict[str, Any]:
    return {
        "day": day,
        **_limited(
            [e for e in shown.by_day.get(day, []) if e.local_at.hour == hour], WEEK_CELL_LIMIT
        ),
        "slots": [s for s in shown.slots.get(day, []) if s.local_at.hour == hour],
    }


def _list_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    """Days with posts or open slots; past ``LIST_LIMIT`` posts, the rest is counted, not drawn."""
    drawn = {id(e) for e in shown.entries[:LIST_LIMIT]}
    return {
        "list_hidden": max(0, len(shown.entries) - LIST_LIMIT),
        "list_days": [
            {
                "day": day,
                "is_today": day == shown.today,
                "entries": [e for e in shown.by_day.get(day, []) if id(e) in drawn],
                "slots": shown.slots.get(day, []),
            }
            for day in shown.period.days
            if shown.by_day.get(day) or shown.slots.get(day)
        ],
    }


VIEW_BODIES = {"month": _month_body, "week": _week_body, "list": _list_body}
